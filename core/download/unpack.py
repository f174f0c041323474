"""A fetched delivery put in place: recognised by its bytes, a zip extracted (archive.py), any
other file moved into its product folder.

What storage delivered is judged by what it is (content_check.delivery_kind), never by its name:
a GeoTIFF or a zip, or one of the side files a Pixxel product ships. Anything else — storage's
error document, a web page, a file damaged beyond recognition — is refused.

A delivery that fails validation (unrecognisable, a damaged or unsafe zip) is thrown away, with
any `.part` of it: when storage states no checksum, a damaged copy cannot be told from a good one
by its size, and the next attempt would otherwise find the same bad copy "already complete" and
fail the same way for ever. A cancel or a full disk keeps it: nothing is wrong with it.

Pure Python (runs in QgsTask.run()).
"""

import os
import zipfile
from pathlib import Path
from typing import Callable, List, Optional, Tuple

from ..pixxel.errors import (
    IncompleteTransferError,
    UnexpectedResponseError,
    UnsafeArchiveError,
)
from ..pixxel.redaction import pixxel_logger
from . import archive
from .content_check import HEAD_BYTES, TIFF_KINDS, delivery_kind, error_message, storage_error
from .file_names import path_inside, safe_component
from .files import IMAGE_SUFFIXES, UNKNOWN, ZIP, make_folder, os_error
from .part_file import part_paths

log = pixxel_logger()

#: What says the delivery itself is bad (and not the disk, the user or the moment).
VALIDATION_ERRORS = (IncompleteTransferError, UnsafeArchiveError, UnexpectedResponseError)


def unpack(
    staging: Path,
    name: str,
    folder: Path,
    *,
    keep_zip: bool,
    is_cancelled: Callable[[], bool],
    on_unpacking: Callable[[int, int], None],
) -> Tuple[List[Path], str, Optional[str]]:
    """Put the delivery at `staging` (named `name` by storage) in place under the AOI `folder`:
    (the product files, what was delivered, where the zip was kept relative to `folder`).
    `on_unpacking(done, total)` reports a zip's extraction. Raises UnexpectedResponseError for a
    delivery that is not imagery, and whatever archive.extract raises; after a VALIDATION_ERRORS
    one, nothing of the delivery is left."""
    try:
        return _unpack(staging, name, folder, keep_zip, is_cancelled, on_unpacking)
    except VALIDATION_ERRORS as error:
        for path in (staging, *part_paths(staging)):
            path.unlink(missing_ok=True)
        log.warning("The delivery %s failed validation and was thrown away, so that the next "
                    "attempt downloads it afresh: %s", name, error)
        raise


def _unpack(staging: Path, name: str, folder: Path, keep_zip: bool,
            is_cancelled: Callable[[], bool], on_unpacking: Callable[[int, int], None]
            ) -> Tuple[List[Path], str, Optional[str]]:
    kind = delivery_kind(staging)
    if kind == UNKNOWN:
        raise UnexpectedResponseError(_unknown_message(staging, name))
    if kind != ZIP:
        if kind not in TIFF_KINDS:
            log.warning("%s is not imagery but a %s file; it is kept as delivered", name, kind)
        product = make_folder(path_inside(folder, _product_name(name)))
        target = product / name
        _move(staging, target)
        return [target], kind, None
    on_unpacking(0, 0)
    into = folder
    if not _has_top_folder(staging):
        into = path_inside(folder, safe_component(Path(name).stem, "products"))
    files = archive.extract(staging, into, keep_zip=keep_zip, is_cancelled=is_cancelled,
                            on_progress=on_unpacking)
    if not keep_zip:
        return files, kind, None
    kept = path_inside(folder, name)
    _move(staging, kept)
    return files, kind, kept.relative_to(folder).as_posix()


def _move(source: Path, target: Path) -> None:
    try:
        os.replace(source, target)
    except OSError as exc:
        raise os_error(exc, f"move the download to {target}") from None


def _unknown_message(staging: Path, name: str) -> str:
    with open(staging, "rb") as stream:
        found = storage_error(stream.read(HEAD_BYTES))
    if found is not None:  # an error document that arrived past the transfer's own check
        return error_message(found, 200)
    return (f"Storage delivered {name}, which is neither a GeoTIFF nor a zip nor a file a Pixxel "
            f"product holds; it was not kept. Request the download again; if this keeps "
            f"happening, contact Pixxel.")


def _product_name(file_name: str) -> str:
    stem = file_name
    if stem.lower().endswith(IMAGE_SUFFIXES):
        stem = stem.rsplit(".", 1)[0]
    else:
        stem = Path(stem).stem or stem
    return safe_component(stem, "product")


def _has_top_folder(zip_path: Path) -> bool:
    """Whether every file of the zip lies in a folder (Pixxel's `<product>/<files>`)."""
    try:
        with zipfile.ZipFile(zip_path) as bundle:
            names = [info.filename.replace("\\", "/").strip("/") for info in bundle.infolist()
                     if not info.is_dir()]
    except (zipfile.BadZipFile, OSError):
        return False  # archive.extract reports the damage in its own words
    return bool(names) and all("/" in name for name in names)
