"""What the engine knows about files: what a file is (by its first bytes and its name), the
one table of the roles files play in a product, names made safe for every platform, and how
sizes and a full disk read to a user.

Pure Python: the download job, the transfer, the archive and the imagery description share it.
"""

import errno
import shutil
from email.message import Message
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple
from urllib.parse import unquote, urlsplit

from ..pixxel.errors import DiskFullError, PixxelError
from .file_names import FILE_RESERVE, safe_component

ZIP, TIFF, BIGTIFF, UNKNOWN = "zip", "tiff", "bigtiff", "unknown"
_MAGIC = (
    (b"PK\x03\x04", ZIP),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"II+\x00", BIGTIFF),
    (b"MM\x00+", BIGTIFF),
)

MASK_SUFFIXES = (".mask.tif", ".mask.tiff")
IMAGE_SUFFIXES = (".tif", ".tiff")
# A product's side files by suffix: the footprint is GeoJSON whichever suffix storage gives it.
SIDE_FILE_ROLES = (
    (".geojson", "footprint"),
    (".json", "footprint"),
    (".jpeg", "preview"),
    (".jpg", "preview"),
    (".png", "preview"),
    (".hdr", "header"),
    (".xml", "metadata"),
)
IMAGE, MASK, OTHER = "image", "mask", "other"
# TIFF content that is never a product image: GDAL overviews and masks, unfinished downloads.
NOT_IMAGE_SUFFIXES = (".ovr", ".msk", ".part")

DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_UNITS = ("bytes", "KiB", "MiB", "GiB", "TiB")


def sniff(path: Path) -> str:
    """ZIP, TIFF, BIGTIFF or UNKNOWN from the file's magic bytes (the extension is not trusted)."""
    with open(path, "rb") as stream:
        return magic_kind(stream.read(4))


def magic_kind(head: bytes) -> str:
    """ZIP, TIFF, BIGTIFF or UNKNOWN from the first bytes of a file or body."""
    return next((kind for magic, kind in _MAGIC if head[:4] == magic), UNKNOWN)


def is_zip(path: Path) -> bool:
    return sniff(path) == ZIP


def file_role(path: Path) -> Optional[Tuple[str, str]]:
    """(role, product name) of a delivered file: MASK by name, a side-file role by suffix, IMAGE
    for TIFF bytes; None for anything else (or a file that cannot be read)."""
    name, lower = path.name, path.name.lower()
    for suffix in MASK_SUFFIXES:
        if lower.endswith(suffix):
            return MASK, name[: -len(suffix)]
    for suffix, role in SIDE_FILE_ROLES:
        if lower.endswith(suffix):
            return role, _strip_image_suffix(name[: -len(suffix)])
    if not lower.endswith(NOT_IMAGE_SUFFIXES) and _is_tiff(path):
        return IMAGE, _strip_image_suffix(name)
    return None


def classify(files: Iterable[Path]) -> Tuple[List[Path], List[Path], Dict[str, List[Path]]]:
    """(images, masks, other files by role; OTHER for files without one)."""
    images: List[Path] = []
    masks: List[Path] = []
    side: Dict[str, List[Path]] = {}
    for path in files:
        role = (file_role(path) or (OTHER, ""))[0]
        if role == IMAGE:
            images.append(path)
        elif role == MASK:
            masks.append(path)
        else:
            side.setdefault(role, []).append(path)
    return images, masks, side


def _strip_image_suffix(name: str) -> str:
    # "X.tif.hdr" is as common as "X.hdr" for side files written by GDAL-based tools.
    for suffix in IMAGE_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _is_tiff(path: Path) -> bool:
    try:
        return sniff(path) in (TIFF, BIGTIFF)
    except OSError:
        return False


def suggested_filename(
    url: str, content_disposition: Optional[str] = None, default: str = "download"
) -> str:
    """A safe local file name: Content-Disposition's filename (RFC 6266/2231) when given, else the
    URL path's last segment; without directories, control or reserved characters."""
    name = None
    if content_disposition:
        message = Message()
        message["Content-Disposition"] = content_disposition
        name = message.get_filename()
    if not name:
        name = unquote(urlsplit(url).path)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return safe_component(name, default, reserve=FILE_RESERVE)


def format_bytes(count: int) -> str:
    value, exponent = float(count), 0
    while value >= 1024 and exponent < len(_UNITS) - 1:
        value /= 1024
        exponent += 1
    return f"{count} bytes" if exponent == 0 else f"{value:.1f} {_UNITS[exponent]}"


def ensure_free_space(folder: Path, needed: Optional[int]) -> None:
    """Raises DiskFullError before writing `needed` bytes into `folder` when they cannot fit."""
    if needed is None or needed <= 0:
        return
    if shutil.disk_usage(folder).free < needed:
        raise disk_full_error(folder, needed)


def disk_full_error(folder: Path, needed: Optional[int]) -> DiskFullError:
    free = format_bytes(shutil.disk_usage(folder).free)
    if needed is None:
        return DiskFullError(f"Not enough free space in {folder} ({free} free).")
    return DiskFullError(f"Not enough free space in {folder}: {format_bytes(needed)} more is "
                         f"needed, {free} is free.")


def make_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, f"create the folder {folder}") from None
    return folder


def os_error(exc: OSError, action: str) -> PixxelError:
    """The PixxelError a failed file operation means to a user; DiskFullError when the disk is."""
    if exc.errno in DISK_FULL_ERRNOS:
        return DiskFullError(f"Not enough free space to {action}.")
    return PixxelError(f"Could not {action}: {exc.strerror or exc}.")
