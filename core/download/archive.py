"""What a delivery is (by its first bytes), and safe extraction of the zips Pixxel may deliver.

The whole archive is checked before anything is written: no member may land outside the
destination (absolute names, `..`, drive letters, colons, symlinked folders), be a link or a device,
collide with another member, or expand absurdly. Members are then streamed, each to
`<name>.part` and renamed when complete, so a file under its final name is whole. Extraction is
all-or-nothing: on any failure the files this call extracted are removed again.

Pure Python (runs in QgsTask.run()).
"""

import os
import re
import shutil
import stat
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Dict, List, Optional, Set, Tuple

from ..pixxel.errors import (
    CancelledError,
    DiskFullError,
    IncompleteTransferError,
    PixxelError,
    UnexpectedResponseError,
    UnsafeArchiveError,
)
from ..pixxel.redaction import pixxel_logger
from .file_names import is_device_name, name_key
from .files import DISK_FULL_ERRNOS, format_bytes

log = pixxel_logger()

# Imagery compresses a few times at most; 200:1 only happens with crafted or degenerate data.
# Below the floor, even an absurd ratio cannot hurt (and tiny text members do reach it).
MAX_RATIO = 200
RATIO_FLOOR = 64 * 1024 * 1024
COPY_CHUNK = 1024 * 1024
# Deflate output is bounded per read; zipfile decompresses bzip2/LZMA reads unbounded in memory,
# so one small read of a crafted member could take gigabytes. Pixxel's zips use neither.
_SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_DRIVE = re.compile(r"^[A-Za-z]:")
_BAD_COMPONENT_CHARS = re.compile(r"[\x00-\x1f:]")


def extract(
    zip_path: Path,
    destination_dir: Path,
    *,
    keep_zip: bool = True,
    is_cancelled: Callable[[], bool] = lambda: False,
    on_progress: Optional[Callable[[int, int], None]] = None,
) -> List[Path]:
    """Extract every file of `zip_path` under `destination_dir`; return them in archive order.

    `on_progress(bytes_done, bytes_total)` counts uncompressed bytes, once per chunk. The zip is
    deleted only when `keep_zip` is False and everything was extracted.
    Raises UnsafeArchiveError (nothing written), DiskFullError, IncompleteTransferError (a
    damaged or truncated zip), UnexpectedResponseError (encrypted or an unsupported compression),
    CancelledError.
    """
    zip_path = Path(zip_path)
    root = _real(Path(destination_dir))
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise IncompleteTransferError(
            f"{zip_path.name} is damaged or incomplete ({exc}). Download it again.") from None
    with archive:
        folders, files = _plan(archive, root, _real(zip_path))
        total = sum(info.file_size for info, _ in files)
        free = shutil.disk_usage(_existing_ancestor(root)).free
        if total > free:
            raise DiskFullError(f"Not enough free space in {root} to extract {zip_path.name}: "
                                f"{format_bytes(total)} needed, {format_bytes(free)} free.")
        extracted: List[Path] = []
        try:
            for folder in folders:
                folder.mkdir(parents=True, exist_ok=True)
            done = 0
            for info, target in files:
                done = _extract_member(archive, info, target, done, total, is_cancelled,
                                       on_progress)
                extracted.append(target)
        except BaseException:
            for path in extracted:
                path.unlink(missing_ok=True)
            raise
    if not keep_zip:
        zip_path.unlink()
    log.info("Extracted %d file(s), %s, from %s to %s", len(extracted), format_bytes(total),
             zip_path.name, root)
    return extracted


def _plan(archive: zipfile.ZipFile, root: Path, zip_path: Path
          ) -> Tuple[List[Path], List[Tuple[zipfile.ZipInfo, Path]]]:
    """Every folder to create and (member, target) to write, or UnsafeArchiveError."""
    folders: List[Path] = []
    files: List[Tuple[zipfile.ZipInfo, Path]] = []
    seen: Dict[str, str] = {}  # name_key(path) -> member name: Windows and macOS fold case
    parents: Set[str] = set()
    compressed = 0
    for info in archive.infolist():
        name = info.filename
        parts = _safe_parts(name)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeArchiveError(f"The archive holds a link ({name}); it was not extracted.")
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            raise UnsafeArchiveError(f"The archive holds a special file ({name}); it was not "
                                     f"extracted.")
        target = root.joinpath(*parts)
        # Existing symlinked folders under the destination must not lead elsewhere either.
        if root not in _real(target).parents:
            raise UnsafeArchiveError(f"The archive member {name} would be written outside "
                                     f"{root}; nothing was extracted.")
        key = name_key("/".join(parts))
        for depth in range(1, len(parts)):
            parents.add(name_key("/".join(parts[:depth])))
        if info.is_dir():
            folders.append(target)
            continue
        if key in seen:
            raise UnsafeArchiveError(f"The archive holds {name} twice (as {seen[key]} and "
                                     f"{name}); nothing was extracted.")
        seen[key] = name
        if _real(target) == zip_path:
            raise UnsafeArchiveError(f"The archive member {name} would overwrite the archive.")
        if info.flag_bits & 0x1:
            raise UnexpectedResponseError(f"The archive member {name} is password-protected.")
        if info.compress_type not in _SUPPORTED_COMPRESSION:
            raise UnexpectedResponseError(
                f"The archive member {name} uses a compression method ({info.compress_type}) "
                f"this plugin does not extract; extract it with another tool.")
        _check_ratio(info.file_size, info.compress_size, f"The archive member {name}")
        compressed += info.compress_size
        files.append((info, target))
    clash = parents & set(seen)
    if clash:
        raise UnsafeArchiveError(f"The archive holds {seen[min(clash)]} both as a file and as a "
                                 f"folder; nothing was extracted.")
    _check_ratio(sum(info.file_size for info, _ in files), compressed, "The archive")
    return folders, files


def _safe_parts(name: str) -> List[str]:
    # Zips made on Windows may use backslashes; on Windows they would be separators.
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise UnsafeArchiveError(f"The archive member {name} has an absolute path; nothing was "
                                 f"extracted.")
    parts = [part for part in re.split(r"[/\\]", name) if part not in ("", ".")]
    for part in parts:
        if part == "..":
            raise UnsafeArchiveError(f"The archive member {name} points outside its folder "
                                     f"(..); nothing was extracted.")
        if _BAD_COMPONENT_CHARS.search(part) or is_device_name(part):
            raise UnsafeArchiveError(f"The archive member name {name!r} is not a safe file "
                                     f"name; nothing was extracted.")
    if not parts:
        raise UnsafeArchiveError(f"The archive member name {name!r} is empty.")
    return parts


def _check_ratio(size: int, compressed: int, what: str) -> None:
    if size > RATIO_FLOOR and size > MAX_RATIO * max(compressed, 1):
        raise UnsafeArchiveError(
            f"{what} would expand from {format_bytes(compressed)} to "
            f"{format_bytes(size)}: refusing a likely zip bomb.")


def _extract_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, done: int, total: int,
    is_cancelled: Callable[[], bool], on_progress: Optional[Callable[[int, int], None]],
) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    written = 0
    try:
        with archive.open(info) as source, open(part, "wb") as sink:
            while True:
                if is_cancelled():
                    raise CancelledError("Extraction cancelled.")
                block = source.read(COPY_CHUNK)
                if not block:
                    break
                written += len(block)
                if written > info.file_size:  # zipfile caps this already; never trust one check
                    raise UnsafeArchiveError(f"The archive member {info.filename} is larger "
                                             f"than it declares.")
                sink.write(block)
                done += len(block)
                if on_progress is not None:
                    on_progress(done, total)
        os.replace(part, target)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        part.unlink(missing_ok=True)
        raise IncompleteTransferError(f"The archive member {info.filename} is damaged ({exc}). "
                                      f"Download the file again.") from None
    except OSError as exc:
        part.unlink(missing_ok=True)
        if exc.errno in DISK_FULL_ERRNOS:
            raise DiskFullError(f"The disk filled up while extracting {info.filename} to "
                                f"{target.parent}.") from None
        raise PixxelError(f"Could not write {target}: {exc.strerror}.") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return done


def _real(path: Path) -> Path:
    # os.path.realpath, not Path.resolve: before Python 3.10, resolve() of a path that does not
    # exist yet could come back relative on Windows (bpo-38671), and QGIS 3.22 ships 3.9 there.
    return Path(os.path.realpath(path))


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path
