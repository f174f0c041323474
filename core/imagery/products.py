"""What a Pixxel delivery holds: its images, their side files, bands, true-colour bands and stretch.

A delivery is a set of files named `XXnn_imageID_YYYYMMDD_LnX_YYYYMMDD_aaabbccc.<ext>` (docs
API.md): the image `.tif`, a bit-encoded `.mask.tif`, a `.geojson` footprint, a `.jpeg` preview,
an ENVI `.hdr` and an `.xml`. Real deliveries may lack any side file, or be one bare GeoTIFF under
whatever name the download got, so roles are decided by name *and* content (a TIFF's magic bytes)
and every side file is optional.

The stretch is computed here, from a decimated sample, because this runs in `QgsTask.run()`:
statistics computed by QGIS on the main thread would freeze the map on a multi-GB scene.

Pure Python + numpy + GDAL (no Qt): runs in worker threads and plain unit tests. GDAL's global
exception mode is left as the host set it (QGIS and other plugins share it); both modes are
handled.
"""

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple

import numpy as np
from osgeo import gdal

from ..download.files import IMAGE, file_role
from ..pixxel.errors import CancelledError, UnexpectedResponseError
from ..pixxel.redaction import pixxel_logger

log = pixxel_logger()

REFLECTANCE_MAX = 50000  # Pixxel scales reflectance 0..1 to DN 0..50000
PIXXEL_NODATA = 0.0
TRUE_COLOUR_NM = (650.0, 560.0, 480.0)  # red, green, blue
STRETCH_PERCENTS = (2.0, 98.0)
# Pixels sampled per band for the stretch: plenty for two percentiles, a few MB to read. Without
# overviews they come from a SAMPLE_GRID x SAMPLE_GRID grid of windows SAMPLE_WINDOW_PX wide.
SAMPLE_PIXELS = 1024 * 1024
SAMPLE_GRID = 16
SAMPLE_WINDOW_PX = 64
OVERVIEWS_ABOVE_BYTES = 100 * 1024 * 1024
MASK_NODATA_BIT = 8  # bit 3 of the quality mask (sandbox/products.py; Pixxel publishes no table)

# ENVI allows these "wavelength units"; their values are not wavelengths at all.
_NOT_WAVELENGTH_UNITS = ("index", "wavenumber", "ghz", "mhz")
_HEADER_MAX_BYTES = 4 * 1024 * 1024
_HEADER_FIELD = re.compile(r"^\s*([^=\n{}]+?)\s*=\s*(\{.*?\}|[^\n]*)", re.MULTILINE | re.DOTALL)
_DESCRIPTION = re.compile(
    r"^(?P<name>.*?)\s*\(\s*(?P<value>\d*\.?\d+(?:[eE][-+]?\d+)?)\s*(?P<units>[^)]*)\)\s*$"
)
_NAME = re.compile(
    r"^(?P<satellite>[A-Za-z]{2}\d{1,2})_(?P<image_id>\d+)_(?P<acquired>\d{8})_"
    r"(?P<level>L\d[A-Za-z]?)_(?P<produced>\d{8})"
    r"(?:_(?P<resolution>\d{3})(?P<version>\d{2})(?P<bands>\d{3}))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NameParts:
    """The fields of a Pixxel product name; a field the name does not carry is None."""

    satellite: str
    image_id: str  # as written, leading zeros kept
    acquired: Optional[date]
    level: str
    produced: Optional[date]
    resolution_m: Optional[int]
    version: Optional[int]
    band_count: Optional[int]


@dataclass(frozen=True)
class BandInfo:
    index: int  # 1-based, as GDAL and QGIS count
    name: str
    wavelength_nm: Optional[float]


@dataclass(frozen=True)
class Stretch:
    minimum: float
    maximum: float


FALLBACK_STRETCH = Stretch(0.0, float(REFLECTANCE_MAX))


@dataclass(frozen=True)
class ProductDescription:
    name: str
    image: Path
    mask: Optional[Path]
    footprint: Optional[Path]
    preview: Optional[Path]
    header: Optional[Path]
    metadata_xml: Optional[Path]
    satellite: Optional[str]
    level: Optional[str]
    acquired: Optional[date]
    band_count: int
    bands: Tuple[BandInfo, ...]
    rgb: Tuple[int, int, int]  # 1-based band indexes for red, green, blue
    stretch: Tuple[Stretch, Stretch, Stretch]  # per rgb band
    nodata: Optional[float]
    size_bytes: int
    crs_wkt: str
    needs_overviews: bool  # big, and GDAL finds no internal or external overviews


def parse_product_name(name: str) -> Optional[NameParts]:
    """The parts of a Pixxel product name, or None if `name` does not start like one.

    Tolerant: any case, any text after the name (extensions, "(1)" from a browser), the
    resolution/version/band-count block may be missing, and an impossible date becomes None."""
    match = _NAME.match(name.strip())
    if match is None:
        return None
    fields = match.groupdict()
    return NameParts(
        satellite=fields["satellite"].upper(),
        image_id=fields["image_id"],
        acquired=_compact_date(fields["acquired"]),
        level=fields["level"].upper(),
        produced=_compact_date(fields["produced"]),
        resolution_m=_optional_int(fields["resolution"]),
        version=_optional_int(fields["version"]),
        band_count=_optional_int(fields["bands"]),
    )


def describe_products(
    files: Iterable[Path],
    *,
    rgb_band_names: Optional[Mapping[str, str]] = None,
    band_tables: Optional[Mapping[str, Sequence[Mapping]]] = None,
    is_cancelled: Callable[[], bool] = lambda: False,
) -> List[ProductDescription]:
    """One description per image among `files`, with its side files, sorted by name.

    `rgb_band_names` is the satellite's `rgb_composite` ({"red": "B045", ...}); when it does not
    name bands of an image, true colour comes from wavelengths. `band_tables` gives, per product
    name, the API's bands ({name, wavelength in nm}: a catalog's STAC bands) for the bands whose
    files say no wavelength. Files that are neither images nor known side files are ignored.
    Raises CancelledError when `is_cancelled()` turns true, and UnexpectedResponseError for a
    TIFF that GDAL cannot open."""
    groups = _group_by_product(files)
    descriptions = []
    for key in sorted(groups, key=lambda k: (k[1], str(k[0]))):
        _check_cancelled(is_cancelled)
        table = (band_tables or {}).get(key[1], ())
        descriptions.append(_describe(key[1], groups[key], rgb_band_names, is_cancelled, table))
    return descriptions


# --- roles ---------------------------------------------------------------------------------------


def _group_by_product(files: Iterable[Path]) -> Dict[Tuple[Path, str], Dict[str, Path]]:
    """(folder, product name) -> role -> path, keeping only groups that have an image."""
    groups: Dict[Tuple[Path, str], Dict[str, Path]] = {}
    for path in map(Path, files):
        role_and_name = file_role(path) if path.is_file() else None
        if role_and_name is not None:
            role, name = role_and_name
            groups.setdefault((path.parent, name), {}).setdefault(role, path)
    return {key: roles for key, roles in groups.items() if IMAGE in roles}


# --- one product ---------------------------------------------------------------------------------


def _describe(
    name: str,
    roles: Mapping[str, Path],
    rgb_band_names: Optional[Mapping[str, str]],
    is_cancelled: Callable[[], bool],
    band_table: Sequence[Mapping] = (),
) -> ProductDescription:
    image = roles[IMAGE]
    dataset = _open_raster(image)
    if dataset is None:
        raise UnexpectedResponseError(f"{image.name} is not a readable GeoTIFF")
    parts = parse_product_name(name)
    metadata = dataset.GetMetadata() or {}
    header = _read_header(roles.get("header"))
    bands = _with_table_wavelengths(_bands(dataset, header), band_table)
    rgb = _true_colour(bands, rgb_band_names)
    nodata = _nodata(dataset)
    mask = roles.get("mask")
    stretch = _stretch(dataset, rgb, nodata, mask, is_cancelled)
    size = image.stat().st_size
    return ProductDescription(
        name=name,
        image=image,
        mask=mask,
        footprint=roles.get("footprint"),
        preview=roles.get("preview"),
        header=roles.get("header"),
        metadata_xml=roles.get("metadata"),
        satellite=parts.satellite if parts else _first(metadata, "satellite_code", "satellite"),
        level=parts.level if parts else _first(metadata, "level", "processing_level"),
        acquired=(parts.acquired if parts else None) or _iso_date(metadata.get("acquisition_date")),
        band_count=dataset.RasterCount,
        bands=bands,
        rgb=rgb,
        stretch=stretch,
        nodata=nodata,
        size_bytes=size,
        crs_wkt=dataset.GetProjection() or "",
        needs_overviews=size > OVERVIEWS_ABOVE_BYTES
        and dataset.GetRasterBand(1).GetOverviewCount() == 0,
    )


def _open_raster(path: Path) -> Optional["gdal.Dataset"]:
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        return gdal.OpenEx(str(path), gdal.OF_RASTER | gdal.OF_READONLY, allowed_drivers=["GTiff"])
    except RuntimeError:  # the host turned GDAL exceptions on
        return None
    finally:
        gdal.PopErrorHandler()


def _nodata(dataset: "gdal.Dataset") -> Optional[float]:
    """The image's declared nodata; Pixxel's 0 when it declares none (docs API.md)."""
    declared = dataset.GetRasterBand(1).GetNoDataValue() if dataset.RasterCount else None
    return PIXXEL_NODATA if declared is None or math.isnan(declared) else float(declared)


# --- bands and wavelengths -----------------------------------------------------------------------


def _bands(dataset: "gdal.Dataset", header: Mapping[str, str]) -> Tuple[BandInfo, ...]:
    count = dataset.RasterCount
    descriptions = [dataset.GetRasterBand(i).GetDescription() for i in range(1, count + 1)]
    parsed = [_DESCRIPTION.match(text.strip()) for text in descriptions]
    header_names = _header_list(header, "band names", count)
    from_metadata = _metadata_wavelengths(dataset)
    from_header = _header_wavelengths(header, count)
    from_descriptions = [
        _to_nm(float(match["value"]), match["units"]) if match else None for match in parsed
    ]
    bands = []
    for i in range(count):
        described = parsed[i]["name"] if parsed[i] else descriptions[i].strip()
        name = described or (header_names[i] if header_names else "") or f"Band {i + 1}"
        wavelength = _first_known(from_metadata[i], from_header[i], from_descriptions[i])
        bands.append(BandInfo(i + 1, name, wavelength))
    return tuple(bands)


def _with_table_wavelengths(bands: Tuple[BandInfo, ...], table: Sequence[Mapping]) -> Tuple:
    """`bands`, those without a wavelength given the table's (by name, else by position)."""
    by_name = {str(row.get("name", "")).strip().lower(): row for row in table}
    found = []
    for band in bands:
        row = by_name.get(band.name.strip().lower())
        row = table[band.index - 1] if row is None and len(table) == len(bands) else row
        value = (row or {}).get("wavelength") if band.wavelength_nm is None else None
        nm = _to_nm(float(value), "") if isinstance(value, (int, float)) else band.wavelength_nm
        found.append(BandInfo(band.index, band.name, nm))
    return tuple(found)


def _metadata_wavelengths(dataset: "gdal.Dataset") -> List[Optional[float]]:
    dataset_units = (dataset.GetMetadata() or {}).get("wavelength_units", "")
    values = []
    for i in range(1, dataset.RasterCount + 1):
        band = dataset.GetRasterBand(i)
        item = band.GetMetadata() or {}
        units = item.get("wavelength_units", dataset_units)
        nm = _to_nm(_number(item.get("wavelength")), units)
        # GDAL >= 3.10 also exposes ENVI and other formats' centres in the IMAGERY domain.
        imagery = _number(band.GetMetadataItem("CENTRAL_WAVELENGTH_UM", "IMAGERY"))
        values.append(_first_known(nm, _to_nm(imagery, "um")))
    return values


def _header_wavelengths(header: Mapping[str, str], count: int) -> List[Optional[float]]:
    units = header.get("wavelength units", "")
    values = _header_list(header, "wavelength", count)
    return [_to_nm(_number(v), units) for v in values] if values else [None] * count


def _to_nm(value: Optional[float], units: str) -> Optional[float]:
    """Nanometres. The magnitude decides between nm and µm (docs API.md: > 100 is nm), since
    units are often missing or wrong; units only rule out values that are no wavelength."""
    if value is None or not math.isfinite(value) or value <= 0:
        return None
    if units.strip().lower() in _NOT_WAVELENGTH_UNITS:
        return None
    return value if value > 100 else value * 1000


def _read_header(path: Optional[Path]) -> Dict[str, str]:
    """ENVI header fields, keys lower-cased, `{...}` values with their braces; {} if unreadable."""
    if path is None:
        return {}
    try:
        with path.open("r", encoding="utf-8", errors="replace") as stream:
            text = stream.read(_HEADER_MAX_BYTES)
    except OSError as error:
        log.warning("Ignoring the ENVI header %s: %s", path.name, error)
        return {}
    return {
        " ".join(key.lower().split()): value.strip() for key, value in _HEADER_FIELD.findall(text)
    }


def _header_list(header: Mapping[str, str], key: str, count: int) -> List[str]:
    """A `{a, b, ...}` header list, or [] unless it has exactly one entry per band."""
    value = header.get(key, "")
    if not (value.startswith("{") and value.endswith("}")):
        return []
    items = [item.strip() for item in value[1:-1].split(",")]
    return items if len(items) == count else []


# --- true colour ---------------------------------------------------------------------------------


def _true_colour(
    bands: Sequence[BandInfo], rgb_band_names: Optional[Mapping[str, str]]
) -> Tuple[int, int, int]:
    named = _named_rgb(bands, rgb_band_names or {})
    if named:
        return named
    with_wavelength = [band for band in bands if band.wavelength_nm is not None]
    if with_wavelength:
        red, green, blue = (
            min(with_wavelength, key=lambda band: abs(band.wavelength_nm - nm)).index
            for nm in TRUE_COLOUR_NM
        )
        return red, green, blue
    # Pixxel bands ascend in wavelength, so the first three read as blue, green, red.
    return (3, 2, 1) if len(bands) >= 3 else (1, 1, 1)


def _named_rgb(
    bands: Sequence[BandInfo], rgb_band_names: Mapping[str, str]
) -> Optional[Tuple[int, int, int]]:
    by_name = {band.name.strip().lower(): band.index for band in bands}
    wanted = [
        str(rgb_band_names.get(colour, "")).strip().lower() for colour in ("red", "green", "blue")
    ]
    if not all(name in by_name for name in wanted):
        return None
    red, green, blue = (by_name[name] for name in wanted)
    return red, green, blue


# --- stretch -------------------------------------------------------------------------------------


class _Window(NamedTuple):
    x: int
    y: int
    width: int
    height: int
    buf_width: int
    buf_height: int


def _stretch(
    dataset: "gdal.Dataset",
    rgb: Tuple[int, int, int],
    nodata: Optional[float],
    mask_path: Optional[Path],
    is_cancelled: Callable[[], bool],
) -> Tuple[Stretch, Stretch, Stretch]:
    red, green, blue = sample_stretch(
        dataset, rgb, nodata, mask_path=mask_path, is_cancelled=is_cancelled
    )
    return red, green, blue


def sample_stretch(
    dataset: "gdal.Dataset",
    bands: Sequence[int],
    nodata: Optional[float],
    *,
    mask_path: Optional[Path] = None,
    is_cancelled: Callable[[], bool] = lambda: False,
) -> Tuple[Stretch, ...]:
    """The 2-98 % stretch of each of `bands` (1-based, in the band's own values) from a sample
    of a bounded size (_sample_windows), as the true-colour layers get it: band combinations and
    index layers use it too. Non-finite values, `nodata` and pixels a Pixxel quality mask at
    `mask_path` flags as nodata are left out. Raises CancelledError when `is_cancelled()` turns
    true."""
    windows = _sample_windows(dataset)
    valid = _mask_valid(mask_path, dataset, windows)
    by_band: Dict[int, Stretch] = {}
    for index in bands:
        _check_cancelled(is_cancelled)
        if index not in by_band:
            by_band[index] = _band_stretch(dataset, index, windows, nodata, valid)
    return tuple(by_band[index] for index in bands)


def _sample_windows(dataset: "gdal.Dataset") -> List[_Window]:
    """Where to sample, at most ~SAMPLE_PIXELS per band, whatever the image size.

    With overviews (or a small image) one decimated read of the whole image is cheapest: GDAL
    serves it from the overviews. Without, a decimated read still touches every strip or tile, so
    it costs a full read of the band; a grid of small full-resolution windows touches only the
    blocks under it, a bounded amount of I/O even on a multi-GB scene."""
    width, height = dataset.RasterXSize, dataset.RasterYSize
    band = dataset.GetRasterBand(1)
    if width * height <= SAMPLE_PIXELS or band.GetOverviewCount() > 0:
        scale = min(1.0, math.sqrt(SAMPLE_PIXELS / max(width * height, 1)))
        columns, rows = max(1, round(width * scale)), max(1, round(height * scale))
        return [_Window(0, 0, width, height, columns, rows)]
    window_width = max(1, min(SAMPLE_WINDOW_PX, width // SAMPLE_GRID))
    window_height = max(1, min(SAMPLE_WINDOW_PX, height // SAMPLE_GRID))
    return [
        _Window(x, y, window_width, window_height, window_width, window_height)
        for y in _spread(height, window_height)
        for x in _spread(width, window_width)
    ]


def _spread(length: int, size: int) -> List[int]:
    """SAMPLE_GRID window origins spread evenly along `length`."""
    return [
        min(length - size, max(0, round((i + 0.5) * length / SAMPLE_GRID - size / 2)))
        for i in range(SAMPLE_GRID)
    ]


def _read_sample(band: "gdal.Band", windows: Sequence[_Window]) -> Optional[np.ndarray]:
    """The band's values in `windows`, flattened into one array; None if GDAL cannot read them."""
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        parts = [
            band.ReadAsArray(*window[:4], buf_xsize=window.buf_width, buf_ysize=window.buf_height)
            for window in windows
        ]
    except RuntimeError:  # the host turned GDAL exceptions on
        return None
    finally:
        gdal.PopErrorHandler()
    if any(part is None for part in parts):
        return None
    return np.concatenate([part.ravel() for part in parts])


def _mask_valid(
    mask_path: Optional[Path], image: "gdal.Dataset", windows: Sequence[_Window]
) -> Optional[np.ndarray]:
    """Sampled pixels the quality mask does not flag as nodata; None without a usable mask."""
    mask = _open_raster(mask_path) if mask_path else None
    if mask is None or (mask.RasterXSize, mask.RasterYSize) != (
        image.RasterXSize,
        image.RasterYSize,
    ):
        return None
    bits = _read_sample(mask.GetRasterBand(1), windows)
    return None if bits is None else (bits.astype(np.int64) & MASK_NODATA_BIT) == 0


def _band_stretch(
    dataset: "gdal.Dataset",
    index: int,
    windows: Sequence[_Window],
    nodata: Optional[float],
    valid: Optional[np.ndarray],
) -> Stretch:
    sample = _read_sample(dataset.GetRasterBand(index), windows)
    if sample is None:
        log.warning(
            "Could not sample band %d of %s; using the full range", index, dataset.GetDescription()
        )
        return FALLBACK_STRETCH
    keep = np.isfinite(sample) if sample.dtype.kind == "f" else np.ones(sample.shape, dtype=bool)
    if nodata is not None:
        keep &= sample != nodata
    if valid is not None:
        keep &= valid
    values = sample[keep]
    if values.size == 0:
        return FALLBACK_STRETCH
    low, high = (float(v) for v in np.percentile(values, STRETCH_PERCENTS))
    # A flat band still needs a range QGIS can divide by.
    return Stretch(low, high if high > low else low + 1.0)


# --- small parsers -------------------------------------------------------------------------------


def _check_cancelled(is_cancelled: Callable[[], bool]) -> None:
    if is_cancelled():
        raise CancelledError("Cancelled while reading the products.")


def _first_known(*values: Optional[float]) -> Optional[float]:
    return next((value for value in values if value is not None), None)


def _first(metadata: Mapping[str, str], *keys: str) -> Optional[str]:
    return next((metadata[key].strip() for key in keys if metadata.get(key, "").strip()), None)


def _number(value: Optional[str]) -> Optional[float]:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _optional_int(value: Optional[str]) -> Optional[int]:
    return int(value) if value else None


def _compact_date(text: str) -> Optional[date]:
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _iso_date(text: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(text.strip()[:10]) if text else None
    except ValueError:
        return None
