"""Reading reflectance spectra at pixels and points: the spectral profile tool and the
"extract spectra at points" algorithm.

A spectrum is one read of a small window through every good band at once (GDAL's band-interleaved
dataset read), which open_raster() makes cost ~0.5 ms on an uncompressed 1 GiB, 150-band scene.
Reflectance is DN * scale + offset per band; nodata, masked (GDAL mask band) and non-finite values
become NaN, bad bands are left out.

Pure numpy + GDAL (no Qt, no QGIS). GDAL's global exception mode is left as the host set it.
"""

import math
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from osgeo import gdal

from .spectra import SpectralBand, SpectralBands, SpectralError

WINDOWS = (1, 3, 5)
GeoTransform = Sequence[float]
Window = Tuple[int, int, int, int]  # left, top, width, height in pixels


class OutsideRasterError(SpectralError):
    """A point or pixel off the raster."""


@dataclass(frozen=True)
class Spectrum:
    """Reflectance through the good bands at one pixel, or over a window centred on it."""

    bands: Tuple[int, ...]  # 1-based band numbers; bad bands are left out
    wavelengths_nm: np.ndarray  # NaN where a band's wavelength is unknown
    values: np.ndarray  # the pixel's reflectance, or the window's mean; NaN: nodata or masked
    std: Optional[np.ndarray]  # the window's population standard deviation; None for one pixel
    valid_pixels: np.ndarray  # per band, how many of the window's pixels the values come from


def map_to_pixel(geotransform: GeoTransform, x: float, y: float) -> Tuple[int, int]:
    """The (column, row) of the pixel holding map coordinates (x, y), rotation terms included;
    not bounds-checked (pixel_at is). SpectralError for a geotransform that maps no area."""
    origin_x, pixel_width, row_rotation, origin_y, column_rotation, pixel_height = geotransform
    determinant = pixel_width * pixel_height - row_rotation * column_rotation
    if determinant == 0:
        raise SpectralError("The raster's georeferencing is degenerate (its pixels have no area).")
    dx, dy = x - origin_x, y - origin_y
    column = (pixel_height * dx - row_rotation * dy) / determinant
    row = (pixel_width * dy - column_rotation * dx) / determinant
    return math.floor(column), math.floor(row)


def pixel_at(dataset: "gdal.Dataset", x: float, y: float) -> Optional[Tuple[int, int]]:
    """The (column, row) under map coordinates (x, y) in the raster's CRS; None off the raster."""
    column, row = map_to_pixel(dataset.GetGeoTransform(), x, y)
    inside = 0 <= column < dataset.RasterXSize and 0 <= row < dataset.RasterYSize
    return (column, row) if inside else None


def read_spectrum(
    dataset: "gdal.Dataset", column: int, row: int, bands: SpectralBands, window: int = 1
) -> Spectrum:
    """The spectrum at pixel (column, row), or the mean and std over a `window` x `window` square
    centred on it (clipped at the raster's edges). OutsideRasterError off the raster."""
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {WINDOWS}, not {window}")
    width, height = dataset.RasterXSize, dataset.RasterYSize
    if not (0 <= column < width and 0 <= row < height):
        raise OutsideRasterError(
            f"Pixel ({column}, {row}) is off the raster ({width} x {height} pixels)."
        )
    good = [band for band in bands if not band.bad]
    half = window // 2
    left, top = max(0, column - half), max(0, row - half)
    right, bottom = min(width, column + half + 1), min(height, row + half + 1)
    reflectance = read_reflectance(dataset, good, (left, top, right - left, bottom - top))
    flat = reflectance.reshape(len(good), -1)
    valid = ~np.isnan(flat)
    counts = valid.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0 is NaN: no valid pixel
        mean = np.where(valid, flat, 0.0).sum(axis=1) / counts
        variance = np.where(valid, (flat - mean[:, None]) ** 2, 0.0).sum(axis=1) / counts
    wavelengths = [np.nan if b.wavelength_nm is None else b.wavelength_nm for b in good]
    return Spectrum(
        bands=tuple(band.index for band in good),
        wavelengths_nm=np.array(wavelengths, dtype=np.float64),
        values=mean,
        std=None if window == 1 else np.sqrt(variance),
        valid_pixels=counts,
    )


def read_reflectance(
    dataset: "gdal.Dataset", bands: Sequence[SpectralBand], window: Window
) -> np.ndarray:
    """Reflectance of `bands` in a window, (bands, height, width) float64, in ONE dataset read
    (and one of a GDAL mask band, where there is one); NaN where a value is nodata, masked or not
    finite. SpectralError if GDAL cannot read it."""
    left, top, width, height = window
    if not bands:  # an empty band_list would make GDAL read every band
        return np.empty((0, height, width))
    raw = valid = None
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        raw = dataset.ReadAsArray(
            left, top, width, height, band_list=[band.index for band in bands]
        )
        valid = _unmasked(dataset, bands, window)
    except RuntimeError:  # the host turned GDAL exceptions on
        pass
    finally:
        gdal.PopErrorHandler()
    if raw is None or valid is None:
        raise SpectralError(f"GDAL could not read {dataset.GetDescription()}.")
    raw = raw.reshape(len(bands), height, width)  # GDAL drops the band axis for one band
    nodata = np.array([math.nan if band.nodata is None else band.nodata for band in bands])
    if raw.dtype.kind == "f":
        # As the raster stores it: a Float32 raster's -9999.99 is not the double GDAL reports.
        with np.errstate(over="ignore", invalid="ignore"):
            nodata = nodata.astype(raw.dtype)
    # NaN, or a value an integer raster cannot hold, matches nothing.
    valid &= raw != nodata[:, None, None]
    scale = np.array([band.scale for band in bands])[:, None, None]
    offset = np.array([band.offset for band in bands])[:, None, None]
    with np.errstate(invalid="ignore", over="ignore"):
        reflectance = raw.astype(np.float64) * scale + offset
    valid &= np.isfinite(reflectance)
    reflectance[~valid] = np.nan
    return reflectance


def _unmasked(
    dataset: "gdal.Dataset", bands: Sequence[SpectralBand], window: Window
) -> Optional[np.ndarray]:
    """Pixels GDAL's mask bands keep, (bands, height, width); None if a mask cannot be read.
    Nodata-derived masks are skipped: read_reflectance compares values, which costs no read."""
    left, top, width, height = window
    valid = np.ones((len(bands), height, width), dtype=bool)
    shared = None
    for position, band in enumerate(bands):
        source = dataset.GetRasterBand(band.index)
        flags = source.GetMaskFlags()
        if flags & (gdal.GMF_ALL_VALID | gdal.GMF_NODATA):
            continue
        if flags & gdal.GMF_PER_DATASET and shared is not None:
            valid[position] = shared
            continue
        mask = source.GetMaskBand().ReadAsArray(left, top, width, height)
        if mask is None:
            return None
        valid[position] = mask != 0
        if flags & gdal.GMF_PER_DATASET:
            shared = valid[position]
    return valid


# --- points --------------------------------------------------------------------------------------


def spectral_field_names(bands: SpectralBands) -> List[str]:
    """One attribute name per good band, in band order: `r<nm>` with the centre rounded to whole
    nm (r665), `b<band number>` without a known wavelength. When two bands round to the same name
    the first in band order keeps it and the next get `_2`, `_3`... (r665, r665_2): stable for a
    given raster, and at most 10 characters, as Shapefiles need."""
    names: List[str] = []
    seen: Dict[str, int] = {}
    for band in bands:
        if band.bad:
            continue
        base = f"b{band.index}" if band.wavelength_nm is None else f"r{round(band.wavelength_nm)}"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}_{seen[base]}")
    return names


def extract_spectra(
    dataset: "gdal.Dataset", points: Sequence[Tuple[float, float]], bands: SpectralBands
) -> List[Dict[str, Optional[float]]]:
    """Per point (map coordinates in the raster's CRS), its reflectance per good band keyed by
    spectral_field_names(); None where the value is nodata or masked, or the point is off the
    raster."""
    names = spectral_field_names(bands)
    rows = []
    for x, y in points:
        pixel = pixel_at(dataset, x, y)
        if pixel is None:
            rows.append(dict.fromkeys(names))
            continue
        values = read_spectrum(dataset, pixel[0], pixel[1], bands).values
        rows.append({name: None if math.isnan(v) else float(v) for name, v in zip(names, values)})
    return rows
