"""Spectral indices (NDVI, NDRE, ...) and the user's own band math, computed into a GeoTIFF.

Formulas, wavelengths and sources are those of the project's spectral reference
(shared/spectral/INDICES.md); `R<nm>` is the reflectance of the good band nearest <nm> (see
expressions.py). Reflectance, not DN, goes into the formulas: SAVI's 0.5 and MCARI's 0.2 assume
it, so describe a Pixxel image with its scale (spectra.PIXXEL_L2A_SCALE) before computing.

The output is Float32, tiled and compressed, on the input's grid, with NaN as nodata: an index
has no value that is impossible (a custom expression may give -9999), and NaN is what the
arithmetic gives for a zero denominator anyway. A pixel is nodata where any input band is nodata
or masked, or the formula has no finite answer there.

Memory stays flat on multi-GB scenes: the image is processed in windows of about CHUNK_PIXELS,
whole output tiles tall and aligned on the input's blocks, and GDAL's cache is emptied after each
row of windows. Pure numpy + GDAL (no Qt, no QGIS).
"""

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Tuple, Union

import numpy as np
from osgeo import gdal

from ..pixxel.errors import CancelledError
from .expressions import Expression, parse_expression, resolve_bands
from .sampling import read_reflectance
from .spectra import (
    SpectralBand,
    SpectralBands,
    SpectralError,
    describe_spectral_bands,
    open_raster,
)

OUTPUT_NODATA = math.nan
OUTPUT_TILE = 256
CHUNK_PIXELS = 1 << 19  # ~4 MB per input band as float64: a few tens of MB at the peak
_OUTPUT_OPTIONS = (
    "TILED=YES",
    f"BLOCKXSIZE={OUTPUT_TILE}",
    f"BLOCKYSIZE={OUTPUT_TILE}",
    "COMPRESS=DEFLATE",
    "PREDICTOR=3",  # floating-point predictor: index surfaces compress far better with it
    "BIGTIFF=IF_SAFER",
)


@dataclass(frozen=True)
class SpectralIndex:
    key: str  # stable, for settings and Processing enums
    name: str
    expression: str
    source: str


INDICES: Tuple[SpectralIndex, ...] = (
    SpectralIndex("ndvi", "NDVI", "(R860 - R650) / (R860 + R650)", "Rouse et al. 1974"),
    SpectralIndex("gndvi", "GNDVI", "(R860 - R550) / (R860 + R550)", "Gitelson et al. 1996"),
    SpectralIndex("ndre", "NDRE", "(R790 - R720) / (R790 + R720)", "Barnes et al. 2000"),
    SpectralIndex("cire", "CIre", "R800 / R720 - 1", "Gitelson et al. 2003"),
    SpectralIndex("ndwi", "NDWI", "(R560 - R860) / (R560 + R860)", "McFeeters 1996"),
    SpectralIndex("savi", "SAVI", "1.5 * (R860 - R650) / (R860 + R650 + 0.5)", "Huete 1988"),
    SpectralIndex(
        "mcari",
        "MCARI",
        "((R700 - R670) - 0.2 * (R700 - R550)) * (R700 / R670)",
        "Daughtry et al. 2000",
    ),
    SpectralIndex("pri", "PRI", "(R531 - R570) / (R531 + R570)", "Gamon et al. 1992"),
)


@dataclass(frozen=True)
class ComputedIndex:
    path: Path
    name: str
    expression: str
    bands: Tuple[Tuple[str, SpectralBand], ...]  # each reference and the band it read


def find_index(key_or_name: str) -> Optional[SpectralIndex]:
    wanted = key_or_name.strip().lower()
    return next((i for i in INDICES if wanted in (i.key, i.name.lower())), None)


def compute_index(
    input_path: Union[str, Path],
    index_or_expression: Union[SpectralIndex, str],
    output_path: Union[str, Path],
    *,
    bands: Optional[SpectralBands] = None,
    is_cancelled: Callable[[], bool] = lambda: False,
    on_progress: Callable[[float], None] = lambda percent: None,
) -> ComputedIndex:
    """Write the index (an INDICES entry, its key or name, or an expression) of the image at
    `input_path` to `output_path` as a Float32 GeoTIFF, replacing it only when complete.

    `bands` describes the image (describe_spectral_bands); without it, it is read from the file
    with no default scale. `on_progress` gets 0..100. Raises ExpressionError (unknown reference,
    no band near a wavelength), SpectralError (unreadable input, failed write) and CancelledError
    when `is_cancelled()` turns true; in every case no partial output is left behind."""
    index = find_index(index_or_expression) if isinstance(index_or_expression, str) else None
    chosen = index_or_expression if isinstance(index_or_expression, SpectralIndex) else index
    expression = parse_expression(chosen.expression if chosen else str(index_or_expression))
    name = chosen.name if chosen else expression.text
    # A dataset of our own: emptying its cache as we go leaves the caller's cache warm.
    source = open_raster(Path(input_path))
    resolved = resolve_bands(expression, bands or describe_spectral_bands(source))
    output = Path(output_path)
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        _write_index(source, expression, resolved, name, partial, is_cancelled, on_progress)
        os.replace(partial, output)
    finally:
        _remove_partial(partial)
    return ComputedIndex(output, name, expression.text, tuple(resolved.items()))


def _write_index(
    source: "gdal.Dataset",
    expression: Expression,
    resolved: Dict[str, SpectralBand],
    name: str,
    partial: Path,
    is_cancelled: Callable[[], bool],
    on_progress: Callable[[float], None],
) -> None:
    reads = list({band.index: band for band in resolved.values()}.values())
    position = {band.index: i for i, band in enumerate(reads)}
    width, height = source.RasterXSize, source.RasterYSize
    rows, columns = _window_size(source, reads[0])
    target = _create_output(source, partial, name, expression, resolved)
    band = target.GetRasterBand(1)
    try:
        for top in range(0, height, rows):
            for left in range(0, width, columns):
                if is_cancelled():
                    raise CancelledError("Cancelled while computing the index.")
                window = (left, top, min(columns, width - left), min(rows, height - top))
                reflectance = read_reflectance(source, reads, window)
                values = {ref: reflectance[position[read.index]] for ref, read in resolved.items()}
                result = np.broadcast_to(expression.evaluate(values), reflectance.shape[1:])
                _raise_on(partial, _failure(band.WriteArray, result.astype(np.float32), left, top))
            # Blocks read or written are never needed again: dropping them keeps memory flat.
            source.FlushCache()
            _raise_on(partial, _failure(target.FlushCache))
            on_progress(100.0 * min(top + rows, height) / height)
    finally:
        # Closed here, also on error: the caller deletes the file, which Windows refuses while
        # it is open, and the frames of a traceback would keep it open. Dropping the last
        # reference inside _failure() closes it there, where a failure can be seen.
        band = None
        last_reference = [target]
        target = None
        closing_failure = _failure(last_reference.clear)
    # Closing writes the TIFF directory: it can fail too, and with GDAL exceptions on the bindings
    # raise that from the destructor, where nothing can catch it. Reading the file back tells.
    _raise_on(partial, closing_failure or _unreadable(partial, width, height))


def _raise_on(partial: Path, failure: Optional[str]) -> None:
    # Given the message, not the operation: a bound method of the dataset in a frame of the
    # traceback would keep the dataset open.
    if failure is not None:
        raise SpectralError(f"Could not write the index in {partial.parent}: {failure}")


def _unreadable(partial: Path, width: int, height: int) -> Optional[str]:
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        written = gdal.OpenEx(str(partial), gdal.OF_RASTER | gdal.OF_READONLY, ["GTiff"])
    except RuntimeError:  # the host turned GDAL exceptions on
        written = None
    finally:
        gdal.PopErrorHandler()
    if written is None or (written.RasterXSize, written.RasterYSize) != (width, height):
        return "the file is incomplete"
    return None


def _failure(operation: Callable[..., Any], *arguments: Any) -> Optional[str]:
    """GDAL's message if a write failed, however GDAL reports it: a return code (WriteArray;
    FlushCache from GDAL 3.7), an exception, or only its error state (closing a dataset)."""
    gdal.ErrorReset()
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        code = operation(*arguments)
    except RuntimeError as error:  # the host turned GDAL exceptions on
        return str(error)
    finally:
        gdal.PopErrorHandler()
    if code not in (None, gdal.CE_None) or gdal.GetLastErrorType() >= gdal.CE_Failure:
        return gdal.GetLastErrorMsg() or "GDAL reported an error"
    return None


def _create_output(
    source: "gdal.Dataset",
    partial: Path,
    name: str,
    expression: Expression,
    resolved: Dict[str, SpectralBand],
) -> "gdal.Dataset":
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        target = gdal.GetDriverByName("GTiff").Create(
            str(partial),
            source.RasterXSize,
            source.RasterYSize,
            1,
            gdal.GDT_Float32,
            list(_OUTPUT_OPTIONS),
        )
    except RuntimeError:  # the host turned GDAL exceptions on
        target = None
    finally:
        gdal.PopErrorHandler()
    if target is None:
        raise SpectralError(
            f"Could not create a file in {partial.parent}: {gdal.GetLastErrorMsg()}"
        )
    geotransform = source.GetGeoTransform(can_return_null=True)
    if geotransform:
        target.SetGeoTransform(geotransform)
    target.SetProjection(source.GetProjection() or "")
    target.SetMetadata(
        {
            "index": name,
            "expression": expression.text,
            "bands": ", ".join(
                f"{reference}={band.name} ({band.wavelength_nm:g} nm)"
                if band.wavelength_nm is not None
                else f"{reference}={band.name}"
                for reference, band in resolved.items()
            ),
        }
    )
    band = target.GetRasterBand(1)
    band.SetNoDataValue(OUTPUT_NODATA)
    band.SetDescription(name)
    return target


def _window_size(source: "gdal.Dataset", first: SpectralBand) -> Tuple[int, int]:
    """(rows, columns) of the processing windows: whole output tiles tall, a multiple of the
    input's block height when that is reasonable (so no strip or tile is read twice), and
    narrower than the image only when a full-width row of them would exceed CHUNK_PIXELS."""
    block_height = max(1, source.GetRasterBand(first.index).GetBlockSize()[1])
    unit = math.lcm(OUTPUT_TILE, block_height)
    if unit > 4 * OUTPUT_TILE:
        unit = OUTPUT_TILE
    width = source.RasterXSize
    rows = unit * max(1, CHUNK_PIXELS // (unit * width))
    if rows * width <= CHUNK_PIXELS:
        return rows, width
    return rows, max(OUTPUT_TILE, CHUNK_PIXELS // rows // OUTPUT_TILE * OUTPUT_TILE)


def _remove_partial(partial: Path) -> None:
    for path in (partial, partial.with_name(partial.name + ".aux.xml")):
        path.unlink(missing_ok=True)
