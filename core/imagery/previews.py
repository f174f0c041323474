"""An archive capture's thumbnail as a small GeoTIFF that QGIS can put on the map.

Pixxel's archive items link a thumbnail (a PNG here; a JPEG or a GeoTIFF would do too) through a
short-lived signed storage URL. It is fetched whole through the one HttpGateway, without the
API key, rather than opened by GDAL through /vsicurl/: that way QGIS' proxy settings and trusted
CAs apply as for every other request, and no project ever stores a signed link that stops
working within the hour (a layer's source is saved with the project). Thumbnails are a few
hundred kilobytes at most, so reading one whole costs less than the Range requests a remote
read would make.

A PNG or JPEG has no georeference: it is placed on the item's bounding box in EPSG:4326 (GDAL's
`-a_ullr`), which is the footprint of Pixxel's north-up products. A thumbnail that is already a
georeferenced GeoTIFF is kept as it is.

Pure Python on GDAL (no Qt).
"""

from pathlib import Path
from typing import Callable, Optional, Tuple
from urllib.parse import urlsplit

from osgeo import gdal

from ..download.atomic_write import write_atomically
from ..download.file_names import safe_component
from ..pixxel.answer import CutShortError, TooLargeError, read_answer
from ..pixxel.archive_models import ArchiveItem
from ..pixxel.errors import (
    IncompleteTransferError,
    PixxelError,
    SignedUrlExpiredError,
    UnexpectedResponseError,
)
from ..pixxel.http import HttpGateway
from ..pixxel.retry import never_cancelled

MAX_PREVIEW_BYTES = 32 * 1024 * 1024  # far above any thumbnail; refuses a full product
TIMEOUTS = (10.0, 30.0)
_MAGIC = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"II*\x00", ".tif"),
          (b"MM\x00*", ".tif"), (b"II+\x00", ".tif"), (b"MM\x00+", ".tif"))


class PreviewError(PixxelError):
    """The capture has no usable preview."""


def preview_path(folder: Path, item: ArchiveItem) -> Path:
    """Where the georeferenced preview of `item` goes (one per item, replaced when fetched
    again)."""
    return Path(folder) / safe_component(f"{item.id}.preview.tif", "preview.tif")


def fetch_preview(
    gateway: HttpGateway,
    item: ArchiveItem,
    folder: Path,
    *,
    is_cancelled: Callable[[], bool] = never_cancelled,
) -> Path:
    """The thumbnail of `item` as a GeoTIFF in `folder`; raises a PixxelError saying why not."""
    if not item.thumbnail_url:
        raise PreviewError(f"The archive item {item.id} has no preview.")
    content = _download(gateway, item.thumbnail_url, is_cancelled)
    extension = next((ext for magic, ext in _MAGIC if content.startswith(magic)), None)
    if extension is None:
        raise PreviewError(f"The preview of {item.id} is not a PNG, JPEG or TIFF image.")
    target = preview_path(folder, item)
    raw = target.with_name(target.name[: -len(".tif")] + ".source" + extension)
    try:
        write_atomically(raw, content)
        _georeference(raw, target, item.bbox)
    except OSError as exc:
        raise PreviewError(f"Could not write the preview of {item.id}: {exc.strerror}.") from None
    finally:
        raw.unlink(missing_ok=True)
    return target


def _download(gateway: HttpGateway, url: str, is_cancelled: Callable[[], bool]) -> bytes:
    # Streamed and read by read_answer, which counts the bytes itself: a body cut short is noticed
    # whether urllib3 ends it quietly (1.26) or raises IncompleteRead (2.x), and a body with no
    # Content-Length is bounded and cancellable too.
    response = gateway.send("GET", url, timeout=TIMEOUTS, stream=True, is_cancelled=is_cancelled)
    try:
        status = response.status_code
        if status in (401, 403):
            raise SignedUrlExpiredError(
                "The preview link has expired: search again for a fresh one.", status=status
            )
        if status != 200:
            raise UnexpectedResponseError(
                f"Pixxel's storage answered HTTP {status} for the preview.", status=status
            )
        answer = read_answer(response, host=urlsplit(url).netloc, max_bytes=MAX_PREVIEW_BYTES,
                             is_cancelled=is_cancelled)
    except TooLargeError:
        raise PreviewError("The preview is too large to be a thumbnail.") from None
    except CutShortError as exc:
        of = f" of {exc.declared}" if exc.declared is not None else ""
        raise IncompleteTransferError(
            f"The preview arrived incomplete ({exc.received}{of} bytes)."
        ) from None
    finally:
        response.close()
    return answer.body


def _georeference(source: Path, target: Path, bbox: Optional[Tuple[float, ...]]) -> None:
    try:
        _translate(source, target, bbox)
    except RuntimeError as error:  # the host turned GDAL exceptions on
        raise PreviewError(f"GDAL could not read or write the preview ({error}).") from None


def _translate(source: Path, target: Path, bbox: Optional[Tuple[float, ...]]) -> None:
    dataset = gdal.Open(str(source))
    if dataset is None:
        raise PreviewError("GDAL cannot read the preview image.")
    georeferenced = bool(dataset.GetProjection()) and \
        dataset.GetGeoTransform(can_return_null=True) is not None
    if not georeferenced and bbox is None:
        raise PreviewError("The capture has no bounding box to place its preview on.")
    options = {"format": "GTiff", "creationOptions": ["COMPRESS=DEFLATE"]}
    if not georeferenced:
        west, south, east, north = bbox
        options.update(outputBounds=[west, north, east, south], outputSRS="EPSG:4326")
    partial = target.with_name(f".{target.name}.partial")
    try:
        written = gdal.Translate(str(partial), dataset, **options)
        dataset = None
        if written is None:
            raise PreviewError("GDAL could not write the preview.")
        written = None  # closed: flushed to disk before the rename
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
