"""Synthetic Pixxel-like products for the sandbox storage server.

A product is six files named after the Pixxel convention
``XXnn_imageID_YYYYMMDD_LnX_YYYYMMDD_aaabbccc``:

* ``<name>.tif``: UInt16 GeoTIFF (EPSG:4326), DN = reflectance * 50000, valid pixels 1..50000,
  nodata 0 (a ragged top-left corner, as at the edge of a real swath), one band per wavelength.
* ``<name>.mask.tif``: UInt8 quality mask on the same grid, bit-encoded:
  bit 0 (1) cloud, bit 1 (2) cloud shadow, bit 2 (4) water, bit 3 (8) nodata (alone: no other bit
  is set on a nodata pixel).
* ``<name>.geojson`` footprint, ``<name>.jpeg`` true-colour preview, ``<name>.hdr`` ENVI header,
  ``<name>.xml`` metadata.

The scene is land seen from orbit: fields, forested hills, a river, a lake, a town and a few clouds
with their shadows, mixed from endmember spectra. It is a function of the seed in image-relative
coordinates, so every size shows the same landscape, and it is rendered in row blocks so that
memory stays flat however big the product is. Same spec, same bytes.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

import numpy as np
from osgeo import gdal, osr

from sandbox.satellites import (
    SATELLITE_CODES,
    SCALE,
    TRUE_COLOUR_NM,
    pick_wavelengths,
    satellite_by_code,
)

gdal.UseExceptions()

REFLECTANCE_SCALE = 50000
MASK_CLOUD, MASK_SHADOW, MASK_WATER, MASK_NODATA = 1, 2, 4, 8
MASK_BITS = {0: "cloud", 1: "cloud shadow", 2: "water", 3: "nodata"}
ROLES = {
    "image": ".tif",
    "mask": ".mask.tif",
    "footprint": ".geojson",
    "preview": ".jpeg",
    "header": ".hdr",
    "metadata": ".xml",
}
DELIVERIES = ("zip", "tif")
PREVIEW_MAX_PX = 512

_NAME_RE = re.compile(
    r"^(TD[12]|FF0[1-6])_(\d{6})_(\d{8})_(L\d[A-Z])_(\d{8})_(\d{3})(\d{2})(\d{3})$"
)
# Pixels per row block (its bands are rendered a few at a time): what bounds memory.
_BLOCK_PIXELS = 1 << 18
_BAND_CHUNK = 8
_NOISE_DN = 60.0
_NOISE_SPAN = 4099


class NameParts(NamedTuple):
    satellite: str
    image_id: int
    acquired: datetime.date
    level: str
    produced: datetime.date
    resolution_m: int
    version: int
    band_count: int


def parse_name(name: str) -> NameParts:
    """The fields of a Pixxel product name; ValueError if it does not follow the convention."""
    match = _NAME_RE.match(name)
    if match is None:
        raise ValueError(
            f"{name!r} is not a Pixxel product name (XXnn_imageID_YYYYMMDD_LnX_YYYYMMDD_aaabbccc)"
        )
    sat, image_id, acquired, level, produced, resolution, version, bands = match.groups()
    return NameParts(
        sat,
        int(image_id),
        _date(acquired),
        level,
        _date(produced),
        int(resolution),
        int(version),
        int(bands),
    )


def _date(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%Y%m%d").date()


def product_name(
    satellite: str,
    image_id: int,
    acquired: datetime.date,
    level: str,
    produced: datetime.date,
    resolution_m: int,
    version: int,
    band_count: int,
) -> str:
    """``XXnn_imageID_YYYYMMDD_LnX_YYYYMMDD_aaabbccc``.

    Example: ``TD1_005630_20230314_L2A_20230504_03001069``.
    """
    name = (
        f"{satellite}_{image_id:06d}_{acquired:%Y%m%d}_{level}_{produced:%Y%m%d}_"
        f"{resolution_m:03d}{version:02d}{band_count:03d}"
    )
    parse_name(name)
    return name


@dataclass(frozen=True)
class ProductSpec:
    name: str
    satellite: str
    bbox: tuple[float, float, float, float]
    width: int
    height: int
    wavelengths_nm: tuple[float, ...]
    seed: int
    delivery: str
    level: str = "L2A"

    def __post_init__(self) -> None:
        # Specs may be built from JSON lists; tuples keep the spec hashable.
        object.__setattr__(self, "bbox", tuple(float(v) for v in self.bbox))
        object.__setattr__(self, "wavelengths_nm", tuple(float(v) for v in self.wavelengths_nm))
        parts = parse_name(self.name)
        problems = [
            (self.satellite not in SATELLITE_CODES, f"unknown satellite {self.satellite!r}"),
            (
                parts.satellite != self.satellite,
                f"name says {parts.satellite}, spec says {self.satellite}",
            ),
            (parts.level != self.level, f"name says {parts.level}, spec says {self.level}"),
            (
                parts.band_count != len(self.wavelengths_nm),
                f"name says {parts.band_count} bands, spec has {len(self.wavelengths_nm)}",
            ),
            (
                any(b <= a for a, b in zip(self.wavelengths_nm, self.wavelengths_nm[1:])),
                "wavelengths must ascend",
            ),
            (self.width < 1 or self.height < 1, "width and height must be positive"),
            (
                not (self.bbox[0] < self.bbox[2] and self.bbox[1] < self.bbox[3]),
                "bbox must be min_lon, min_lat, max_lon, max_lat",
            ),
            (self.delivery not in DELIVERIES, f"delivery must be one of {DELIVERIES}"),
        ]
        errors = [message for failed, message in problems if failed]
        if errors:
            raise ValueError(f"bad ProductSpec {self.name}: " + "; ".join(errors))

    @property
    def parts(self) -> NameParts:
        return parse_name(self.name)


PIXEL_DEGREES = 0.0003  # about 30 m: what small_spec's pixels measure


def small_spec(
    *,
    satellite: str = "TD1",
    image_id: int = 5630,
    bands: int = 16,
    size: tuple[int, int] = (32, 32),
    seed: int = 7,
    delivery: str = "zip",
    acquired: datetime.date = datetime.date(2023, 3, 14),
    produced: datetime.date = datetime.date(2023, 5, 4),
    origin: tuple[float, float] = (77.5, 12.9),
) -> ProductSpec:
    """A product of `size` pixels of PIXEL_DEGREES from `origin` (south-west corner), with
    `bands` of the satellite's wavelengths, named as Pixxel names its products: the small
    products tests and examples make, where the catalogue's would be too big."""
    resolution = satellite_by_code(satellite)["bands"][0]["spatial_resolution"]
    name = product_name(satellite, image_id, acquired, "L2A", produced, resolution, 1, bands)
    width, height = size
    west, south = origin
    bbox = (west, south, west + width * PIXEL_DEGREES, south + height * PIXEL_DEGREES)
    return ProductSpec(
        name, satellite, bbox, width, height, pick_wavelengths(satellite, bands), seed, delivery
    )


def dims_for_bytes(target_bytes: int, band_count: int) -> tuple[int, int]:
    """Width and height of a roughly square UInt16 image file of about ``target_bytes``."""
    pixels = max(1, target_bytes // (2 * band_count))
    width = max(1, round(pixels**0.5))
    return width, max(1, round(pixels / width))


# --- caching -------------------------------------------------------------------------------------

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(path), threading.Lock())


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _cached(final: Path, make: Callable[[Path], None]) -> Path:
    """Make ``final`` once: built under a private name, published by an atomic rename.

    The thread lock spares duplicate work inside one server; across processes both may build,
    and whoever renames second either replaces an identical file or finds the directory taken.
    """
    with _lock_for(final):
        if final.exists():
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(f".{final.name}.{os.getpid()}-{threading.get_ident()}.partial")
        _remove(partial)
        try:
            make(partial)
            try:
                os.replace(partial, final)
            except OSError:
                if not final.exists():
                    raise
        finally:
            _remove(partial)
    return final


def product_files(spec: ProductSpec, cache_dir: Path) -> dict[str, Path]:
    """Role -> path of the six product files in ``cache_dir/<name>/``, generated on first use.

    The name identifies the product: a cached one is reused even if the rest of the spec differs.
    """
    folder = _cached(Path(cache_dir) / spec.name, lambda partial: _generate(spec, partial))
    return {role: folder / f"{spec.name}{suffix}" for role, suffix in ROLES.items()}


def build(spec: ProductSpec, cache_dir: Path) -> Path:
    """The file served for one asset: a zip of the six files under ``<name>/``, or the bare tif."""
    files = product_files(spec, cache_dir)
    if spec.delivery == "tif":
        return files["image"]
    entries = [(path, f"{spec.name}/{path.name}", spec.parts.produced) for path in files.values()]
    return _cached(
        Path(cache_dir) / f"{spec.name}.zip", lambda partial: _write_zip(partial, entries)
    )


def build_bundle(specs: list[ProductSpec], cache_dir: Path) -> Path:
    """One zip for a multi-asset download, each product under ``<name>/``.

    A product delivered as a bare GeoTIFF contributes only its image; a zipped one all six files.
    """
    unique = {spec.name: spec for spec in reversed(specs)}
    names = sorted(unique)
    digest = hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]
    entries = [
        (path, f"{name}/{path.name}", unique[name].parts.produced)
        for name in names
        for role, path in product_files(unique[name], cache_dir).items()
        if unique[name].delivery == "zip" or role == "image"
    ]
    return _cached(
        Path(cache_dir) / f"bundle-{digest}.zip", lambda partial: _write_zip(partial, entries)
    )


def _write_zip(target: Path, entries: Iterable[tuple[Path, str, datetime.date]]) -> None:
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        for path, arcname, when in entries:
            # Fixed timestamps keep the archive reproducible. Files are streamed, not loaded whole.
            info = zipfile.ZipInfo(arcname, date_time=(when.year, when.month, when.day, 0, 0, 0))
            info.compress_type = (
                zipfile.ZIP_STORED if path.suffix in (".tif", ".jpeg") else zipfile.ZIP_DEFLATED
            )
            info.external_attr = 0o644 << 16
            # Known size up front lets zipfile switch to zip64 for entries over 4 GiB.
            info.file_size = path.stat().st_size
            with path.open("rb") as source, archive.open(info, "w") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)


# --- generation ----------------------------------------------------------------------------------


def _generate(spec: ProductSpec, folder: Path) -> None:
    folder.mkdir()
    paths = {role: folder / f"{spec.name}{suffix}" for role, suffix in ROLES.items()}
    band_names = _band_names(spec)
    _write_rasters(spec, band_names, paths["image"], paths["mask"])
    _write_preview(spec, paths["image"], paths["preview"])
    paths["header"].write_text(_envi_header(spec, band_names), encoding="utf-8")
    paths["metadata"].write_text(_metadata_xml(spec, band_names), encoding="utf-8")
    paths["footprint"].write_text(json.dumps(_footprint(spec), indent=2) + "\n", encoding="utf-8")
    # GDAL side-car files (.aux.xml) would make the delivery differ from the six documented files.
    for stray in set(folder.iterdir()) - set(paths.values()):
        stray.unlink()


def _band_names(spec: ProductSpec) -> list[str]:
    bands = satellite_by_code(spec.satellite)["bands"]
    return [
        min(bands, key=lambda band: abs(band["wavelength"] - nm))["name"]
        for nm in spec.wavelengths_nm
    ]


def _nm(value: float) -> str:
    return f"{value:g}"


def _geotransform(spec: ProductSpec) -> tuple[float, float, float, float, float, float]:
    min_lon, min_lat, max_lon, max_lat = spec.bbox
    return (
        min_lon,
        (max_lon - min_lon) / spec.width,
        0.0,
        max_lat,
        0.0,
        -(max_lat - min_lat) / spec.height,
    )


def _wgs84_wkt() -> str:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    return srs.ExportToWkt()


def _block_rows(width: int, height: int) -> int:
    rows = 256
    while rows > 1 and rows * width > _BLOCK_PIXELS:
        rows //= 2
    return min(rows, height)


def _create(
    path: Path, spec: ProductSpec, bands: int, data_type: int, rows: int, compress: str
) -> gdal.Dataset:
    # Strips one row block tall: each block completes its strips, so flushing leaves nothing cached,
    # and unlike tiles they add no padding, so dims_for_bytes() predicts the file size.
    options = [
        f"BLOCKYSIZE={rows}",
        "INTERLEAVE=BAND",
        f"COMPRESS={compress}",
        "BIGTIFF=IF_SAFER",
    ]
    dataset = gdal.GetDriverByName("GTiff").Create(
        str(path), spec.width, spec.height, bands, data_type, options
    )
    dataset.SetGeoTransform(_geotransform(spec))
    dataset.SetProjection(_wgs84_wkt())
    return dataset


def _describe_image(dataset: gdal.Dataset, spec: ProductSpec, band_names: list[str]) -> None:
    parts = spec.parts
    dataset.SetMetadata(
        {
            "product_name": spec.name,
            "satellite": satellite_by_code(spec.satellite)["name"],
            "satellite_code": spec.satellite,
            "level": spec.level,
            "acquisition_date": parts.acquired.isoformat(),
            "production_date": parts.produced.isoformat(),
            "scale_factor": repr(SCALE),
            "add_offset": "0",
            "wavelength_units": "nm",
            # Written as TIFF tags; a fixed date keeps the bytes reproducible.
            "TIFFTAG_DATETIME": f"{parts.produced:%Y:%m:%d} 00:00:00",
            "TIFFTAG_SOFTWARE": "Pixxel for QGIS sandbox",
        }
    )
    for index, (name, nm) in enumerate(zip(band_names, spec.wavelengths_nm), start=1):
        band = dataset.GetRasterBand(index)
        band.SetDescription(f"{name} ({_nm(nm)} nm)")
        band.SetMetadata({"wavelength": _nm(nm), "wavelength_units": "nm"})
        band.SetNoDataValue(0)


def _describe_mask(dataset: gdal.Dataset) -> None:
    band = dataset.GetRasterBand(1)
    band.SetDescription(
        "quality mask (" + ", ".join(f"bit{bit} {what}" for bit, what in MASK_BITS.items()) + ")"
    )
    band.SetMetadata({f"bit_{bit}": what for bit, what in MASK_BITS.items()})


def _write_rasters(
    spec: ProductSpec, band_names: list[str], image_path: Path, mask_path: Path
) -> None:
    scene = _Scene(spec.seed, spec.width, spec.height)
    spectra = _spectra_dn(spec.wavelengths_nm)
    rows = _block_rows(spec.width, spec.height)
    image = _create(image_path, spec, len(band_names), gdal.GDT_UInt16, rows, "NONE")
    mask = _create(mask_path, spec, 1, gdal.GDT_Byte, rows, "DEFLATE")
    _describe_image(image, spec, band_names)
    _describe_mask(mask)
    for index, row0 in enumerate(range(0, spec.height, rows)):
        count = min(rows, spec.height - row0)
        fractions, bits = scene.block(row0, count)
        mask.GetRasterBand(1).WriteArray(bits, 0, row0)
        _write_block(
            image, spectra, fractions, bits, row0, np.random.default_rng([spec.seed, 1, index])
        )
    # Closing writes the TIFF directories; the preview reads the image next.
    image = mask = None


def _write_block(
    image: gdal.Dataset,
    spectra: np.ndarray,
    fractions: np.ndarray,
    bits: np.ndarray,
    row0: int,
    rng: np.random.Generator,
) -> None:
    rows, width = bits.shape
    pixels = rows * width
    nodata = (bits & MASK_NODATA).ravel() != 0
    # One noise field per block, read at a different offset for each band: independent-looking
    # sensor noise without paying for a random draw per pixel per band.
    noise = rng.standard_normal(pixels + _NOISE_SPAN, dtype=np.float32) * np.float32(_NOISE_DN)
    offsets = rng.integers(0, _NOISE_SPAN, len(spectra))
    for first in range(0, len(spectra), _BAND_CHUNK):
        last = min(first + _BAND_CHUNK, len(spectra))
        values = spectra[first:last] @ fractions
        for row, offset in zip(values, offsets[first:last]):
            row += noise[offset : offset + pixels]
        np.clip(values, 1, REFLECTANCE_SCALE, out=values)
        dn = values.astype(np.uint16)
        dn[:, nodata] = 0
        image.WriteArray(
            dn.reshape(last - first, rows, width),
            0,
            row0,
            band_list=list(range(first + 1, last + 1)),
        )
        # Dropping written strips from GDAL's block cache is what keeps memory flat on huge files.
        image.FlushCache()


def _write_preview(spec: ProductSpec, image_path: Path, preview_path: Path) -> None:
    scale = min(1.0, PREVIEW_MAX_PX / max(spec.width, spec.height))
    width, height = max(1, round(spec.width * scale)), max(1, round(spec.height * scale))
    rgb = _read_true_colour(spec, image_path, width, height)
    valid = rgb[rgb > 0]
    low, high = np.percentile(valid, (2, 98)) if valid.size else (0.0, 1.0)
    scaled = np.clip((rgb - low) / max(high - low, 1.0) * 254 + 1, 1, 255).astype(np.uint8)
    scaled[rgb == 0] = 0
    memory = gdal.GetDriverByName("MEM").Create("", width, height, 3, gdal.GDT_Byte)
    memory.WriteArray(scaled)
    gdal.GetDriverByName("JPEG").CreateCopy(str(preview_path), memory, options=["QUALITY=85"])


def _read_true_colour(spec: ProductSpec, image_path: Path, width: int, height: int) -> np.ndarray:
    """Red, green and blue averaged down to ``width`` x ``height``, a few source rows at a time.

    GDAL's averaging read allocates its whole source window and caches every block it reads:
    in one call that is hundreds of MB on a multi-GB image.
    """
    image = gdal.Open(str(image_path))
    bands = [
        image.GetRasterBand(_nearest_index(spec.wavelengths_nm, nm) + 1)
        for nm in TRUE_COLOUR_NM.values()
    ]
    rgb = np.empty((3, height, width), dtype=np.float32)
    step = max(1, _BLOCK_PIXELS * height // (spec.width * spec.height))
    for first in range(0, height, step):
        last = min(first + step, height)
        top, bottom = first * spec.height // height, last * spec.height // height
        for colour, band in enumerate(bands):
            rgb[colour, first:last] = band.ReadAsArray(
                0,
                top,
                spec.width,
                bottom - top,
                width,
                last - first,
                resample_alg=gdal.GRIORA_Average,
            )
        image.FlushCache()
    return rgb


def _nearest_index(wavelengths: tuple[float, ...], target: float) -> int:
    return min(range(len(wavelengths)), key=lambda i: abs(wavelengths[i] - target))


def _envi_header(spec: ProductSpec, band_names: list[str]) -> str:
    min_lon, _, _, max_lat = spec.bbox
    transform = _geotransform(spec)
    fields = [
        (
            "description",
            f"{{{spec.name} ({spec.level}, {satellite_by_code(spec.satellite)['name']})}}",
        ),
        ("samples", spec.width),
        ("lines", spec.height),
        ("bands", len(band_names)),
        ("header offset", 0),
        ("file type", "TIFF"),
        ("data type", 12),
        ("interleave", "bsq"),
        ("byte order", 0),
        (
            "map info",
            f"{{Geographic Lat/Lon, 1, 1, {min_lon!r}, {max_lat!r}, {transform[1]!r}, "
            f"{-transform[5]!r}, WGS-84, units=Degrees}}",
        ),
        ("band names", "{" + ", ".join(band_names) + "}"),
        ("wavelength units", "Nanometers"),
        ("wavelength", "{" + ", ".join(_nm(nm) for nm in spec.wavelengths_nm) + "}"),
        ("data ignore value", 0),
        ("reflectance scale factor", REFLECTANCE_SCALE),
    ]
    return "ENVI\n" + "".join(f"{key} = {value}\n" for key, value in fields)


def _metadata_xml(spec: ProductSpec, band_names: list[str]) -> str:
    parts = spec.parts
    root = ElementTree.Element("PixxelProduct")
    for tag, text in [
        ("ProductName", spec.name),
        ("Satellite", satellite_by_code(spec.satellite)["name"]),
        ("SatelliteCode", spec.satellite),
        ("ImageId", f"{parts.image_id:06d}"),
        ("ProcessingLevel", spec.level),
        ("AcquisitionDate", parts.acquired.isoformat()),
        ("ProductionDate", parts.produced.isoformat()),
        ("SpatialResolution", str(parts.resolution_m)),
        ("Version", str(parts.version)),
        ("CRS", "EPSG:4326"),
    ]:
        ElementTree.SubElement(root, tag).text = text
    keys = ("minLon", "minLat", "maxLon", "maxLat")
    ElementTree.SubElement(
        root, "BoundingBox", {key: repr(value) for key, value in zip(keys, spec.bbox)}
    )
    ElementTree.SubElement(
        root,
        "Raster",
        {
            "width": str(spec.width),
            "height": str(spec.height),
            "dataType": "UInt16",
            "noData": "0",
            "scaleFactor": repr(SCALE),
            "reflectanceScale": str(REFLECTANCE_SCALE),
        },
    )
    bands = ElementTree.SubElement(
        root, "Bands", {"count": str(len(band_names)), "wavelengthUnits": "nm"}
    )
    for index, (name, nm) in enumerate(zip(band_names, spec.wavelengths_nm), start=1):
        ElementTree.SubElement(
            bands, "Band", {"index": str(index), "name": name, "wavelength": _nm(nm)}
        )
    mask = ElementTree.SubElement(root, "QualityMask", {"file": f"{spec.name}.mask.tif"})
    for bit, what in MASK_BITS.items():
        ElementTree.SubElement(mask, "Bit", {"index": str(bit)}).text = what
    ElementTree.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + ElementTree.tostring(root, encoding="unicode")
        + "\n"
    )


def _footprint(spec: ProductSpec) -> dict:
    min_lon, min_lat, max_lon, max_lat = spec.bbox
    # The ragged nodata corner is cut off the footprint, as a real data outline would be.
    cut = _Scene.corner_fraction(spec.width, spec.height)
    cut_lon, cut_lat = min_lon + cut * (max_lon - min_lon), max_lat - cut * (max_lat - min_lat)
    ring = [
        [min_lon, min_lat],
        [max_lon, min_lat],
        [max_lon, max_lat],
        [cut_lon, max_lat],
        [min_lon, cut_lat],
        [min_lon, min_lat],
    ]
    parts = spec.parts
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "name": spec.name,
                    "satellite": satellite_by_code(spec.satellite)["name"],
                    "acquired": parts.acquired.isoformat(),
                    "level": spec.level,
                },
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }


# --- the scene -----------------------------------------------------------------------------------

# Endmember reflectance spectra (wavelength nm, reflectance), in the order of _Scene fractions.
# fmt: off
_LEAF_NM = (400, 450, 500, 530, 550, 570, 600, 650, 675, 690,
            705, 720, 740, 760, 800, 850, 900, 940, 960, 1000)
_BROAD_NM = (400, 500, 600, 700, 800, 900, 1000)
_ENDMEMBERS: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...] = (
    # crops and grass: green bump, red absorption, steep red edge 690-740 nm, bright NIR plateau
    (_LEAF_NM, (.030, .035, .045, .080, .110, .090, .065, .045, .035, .045,
                .120, .250, .380, .440, .470, .480, .480, .400, .420, .460)),
    # forest: the same shape, darker
    (_LEAF_NM, (.020, .025, .030, .050, .065, .055, .040, .028, .022, .030,
                .080, .160, .250, .290, .310, .320, .320, .270, .280, .300)),
    # bare soil: rising slowly with wavelength
    (_BROAD_NM, (.07, .11, .17, .22, .26, .29, .31)),
    # water: dark, falling to almost nothing in the NIR
    ((400, 450, 500, 550, 600, 650, 700, 750, 800, 900, 1000),
     (.050, .055, .050, .040, .025, .015, .009, .005, .004, .003, .002)),
    # roofs and roads: flat and bright
    (_BROAD_NM, (.13, .15, .17, .18, .19, .20, .20)),
    # cloud
    ((400, 500, 700, 900, 1000), (.62, .60, .57, .54, .50)),
)
# fmt: on


def _spectra_dn(wavelengths: tuple[float, ...]) -> np.ndarray:
    """(bands, endmembers) matrix turning fractions into DN."""
    columns = [np.interp(wavelengths, nm, reflectance) for nm, reflectance in _ENDMEMBERS]
    return (np.stack(columns, axis=1) * REFLECTANCE_SCALE).astype(np.float32)


def _smoothstep(t: np.ndarray) -> np.ndarray:
    return t * t * (3 - 2 * t)


def _ramp(values: np.ndarray, width: float) -> np.ndarray:
    """0..1 across a soft edge ``width`` wide centred on zero: anti-aliased shapes."""
    return np.clip(values / width + 0.5, 0.0, 1.0)


class _ValueNoise:
    """Smoothly interpolated random lattice over the unit square, sampled on any row/column grid."""

    def __init__(self, rng: np.random.Generator, cells: int) -> None:
        self.cells = cells
        self.grid = rng.random((cells + 2, cells + 2), dtype=np.float32)

    def _axis(self, coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scaled = np.clip(coords, 0.0, 1.0) * self.cells
        index = np.minimum(scaled.astype(np.intp), self.cells)
        return index, _smoothstep(scaled - index).astype(np.float32)

    def __call__(self, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
        iy, fy = self._axis(ys)
        ix, fx = self._axis(xs)

        def along_x(rows: np.ndarray) -> np.ndarray:
            left = rows[:, ix]
            return left + (rows[:, ix + 1] - left) * fx

        top, bottom = along_x(self.grid[iy]), along_x(self.grid[iy + 1])
        return top + (bottom - top) * fy[:, None]


class _Fbm:
    """Octaves of value noise: terrain-like fields, normalised to about 0..1."""

    def __init__(self, rng: np.random.Generator, cells: int, octaves: int) -> None:
        self.layers = [(_ValueNoise(rng, cells * 2**o), 0.5**o) for o in range(octaves)]
        self.total = sum(weight for _, weight in self.layers)

    def __call__(self, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
        return sum(noise(ys, xs) * np.float32(weight / self.total) for noise, weight in self.layers)


class _Scene:
    """One seed's landscape in image-relative coordinates (the longer side spans 0..1)."""

    _TABLE = 64

    def __init__(self, seed: int, width: int, height: int) -> None:
        rng = np.random.default_rng([seed, 0])
        self.width, self.height = width, height
        self.pixel = 1.0 / max(width, height)
        self.extent = (width * self.pixel, height * self.pixel)
        self.terrain = _Fbm(rng, 3, 5)
        self.texture = _Fbm(rng, 24, 3)
        self.puffs = _Fbm(rng, 8, 3)
        self.meander = _ValueNoise(rng, 6)
        self.forest_level = float(np.quantile(self._coarse_sample(self.terrain), 0.72))
        self._place_features(rng)
        self._plan_fields(rng)
        self.edge_jitter = rng.uniform(-1.5, 1.5, 257).astype(np.float32)
        self.corner = self.corner_fraction(width, height)

    @staticmethod
    def corner_fraction(width: int, height: int) -> float:
        """Where the nodata corner's edge crosses the top and left sides, as a fraction of each."""
        return max(0.05, 3.0 / min(width, height))

    def _coarse_sample(self, field: _Fbm) -> np.ndarray:
        return field(np.linspace(0, self.extent[1], 64), np.linspace(0, self.extent[0], 64))

    def _place_features(self, rng: np.random.Generator) -> None:
        ex, ey = self.extent
        self.river = (rng.uniform(0.3, 0.7) * ex, rng.uniform(0, 1), rng.uniform(0.6, 1.4))
        self.lake = (
            rng.uniform(0.2, 0.8) * ex,
            rng.uniform(0.25, 0.75) * ey,
            rng.uniform(0.07, 0.11),
            rng.uniform(0.05, 0.08),
        )
        self.town = (
            rng.uniform(0.2, 0.8) * ex,
            rng.uniform(0.2, 0.8) * ey,
            rng.uniform(0.06, 0.09),
        )
        self.clouds = [
            (rng.uniform(0, ex), rng.uniform(0, ey), rng.uniform(0.035, 0.07))
            for _ in range(rng.integers(3, 6))
        ]
        self.shadow_shift = (rng.uniform(0.02, 0.04), rng.uniform(-0.04, -0.02))

    def _plan_fields(self, rng: np.random.Generator) -> None:
        shape = (self._TABLE, self._TABLE)
        self.field_angle = rng.uniform(-0.5, 0.5)
        self.field_size = (rng.uniform(0.05, 0.08), rng.uniform(0.03, 0.05))
        self.row_shift = rng.random(self._TABLE)
        kind, amount = rng.random(shape), rng.random(shape)
        # Green crops, bare (ploughed) soil, and sparse or drying cover in between.
        self.field_cover = np.where(
            kind < 0.45,
            0.7 + 0.28 * amount,
            np.where(kind < 0.75, 0.02 + 0.1 * amount, 0.25 + 0.35 * amount),
        ).astype(np.float32)
        self.field_soil = 0.75 + 0.5 * rng.random(shape, dtype=np.float32)
        self.roof = 0.6 + 0.9 * rng.random(shape, dtype=np.float32)

    def block(self, row0: int, rows: int) -> tuple[np.ndarray, np.ndarray]:
        """Endmember fractions (endmembers, rows * width) and mask bits (rows, width) of a block."""
        ys = ((row0 + np.arange(rows) + 0.5) * self.pixel).astype(np.float32)
        xs = ((np.arange(self.width) + 0.5) * self.pixel).astype(np.float32)
        terrain, texture = self.terrain(ys, xs), self.texture(ys, xs)
        water = np.maximum(self._river(ys, xs), self._lake(ys, xs, terrain, texture))
        town = self._town(ys, xs, texture) * (1 - water)
        land = 1 - water - town
        forest = land * _ramp(terrain - self.forest_level, 0.03)
        cover, soil_tone = self._fields(ys, xs)
        open_land = land - forest
        shade = 0.85 + 0.3 * texture
        cloud = self._cloud(ys, xs)
        shadow = self._cloud(ys - self.shadow_shift[1], xs - self.shadow_shift[0]) * (1 - cloud)
        ground = (1 - cloud) * (1 - 0.65 * shadow)
        fractions = (
            np.stack(
                [
                    open_land * cover * shade,
                    forest * shade,
                    open_land * (1 - cover) * soil_tone * shade,
                    water * (0.9 + 0.2 * texture),
                    town * self._roofs(ys, xs),
                ]
            )
            * ground
        )
        fractions = np.concatenate([fractions, cloud[None]]).reshape(len(_ENDMEMBERS), -1)
        bits = self._mask(row0 + np.arange(rows), xs, cloud, shadow, water)
        return fractions.astype(np.float32, copy=False), bits

    def _river(self, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
        x0, phase, turns = self.river
        wobble = self.meander(ys, np.array([0.5], dtype=np.float32))[:, 0]
        centre = x0 + 0.1 * np.sin(2 * np.pi * (turns * ys + phase)) + 0.15 * (wobble - 0.5)
        half_width = max(0.008, 0.8 * self.pixel)
        return _ramp(half_width - np.abs(xs[None, :] - centre[:, None]), self.pixel)

    def _lake(
        self, ys: np.ndarray, xs: np.ndarray, terrain: np.ndarray, texture: np.ndarray
    ) -> np.ndarray:
        cx, cy, rx, ry = self.lake
        distance = (
            np.hypot((xs[None, :] - cx) / rx, (ys[:, None] - cy) / ry)
            + 0.8 * (terrain - 0.5)
            + 0.6 * (texture - 0.5)
        )
        return _ramp((1 - distance) * ry, self.pixel)

    def _town(self, ys: np.ndarray, xs: np.ndarray, texture: np.ndarray) -> np.ndarray:
        cx, cy, radius = self.town
        distance = np.hypot(xs[None, :] - cx, ys[:, None] - cy) + 0.05 * (texture - 0.5)
        return _ramp(radius - distance, self.pixel)

    def _roofs(self, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
        block = 0.012
        iy, ix = (
            (ys / block).astype(np.intp) % self._TABLE,
            (xs / block).astype(np.intp) % self._TABLE,
        )
        street = ((ys % block) < block / 5)[:, None] | ((xs % block) < block / 5)[None, :]
        return np.where(street, 0.5, self.roof[iy[:, None], ix[None, :]])

    def _fields(self, ys: np.ndarray, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cos, sin = np.cos(self.field_angle), np.sin(self.field_angle)
        along = xs[None, :] * cos + ys[:, None] * sin
        across = ys[:, None] * cos - xs[None, :] * sin
        size_along, size_across = self.field_size
        strip = np.floor(across / size_across + 10).astype(np.intp) % self._TABLE
        cell = (
            np.floor(along / size_along + self.row_shift[strip] + 10).astype(np.intp) % self._TABLE
        )
        return self.field_cover[strip, cell], self.field_soil[strip, cell]

    def _cloud(self, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
        density = sum(
            np.exp(-(((ys - cy) / radius) ** 2) / 2)[:, None]
            * np.exp(-(((xs - cx) / radius) ** 2) / 2)[None, :]
            for cx, cy, radius in self.clouds
        )
        return np.clip((density - 0.45 + 1.5 * (self.puffs(ys, xs) - 0.5)) * 2.5, 0.0, 1.0)

    def _mask(
        self,
        rows: np.ndarray,
        xs: np.ndarray,
        cloud: np.ndarray,
        shadow: np.ndarray,
        water: np.ndarray,
    ) -> np.ndarray:
        bits = (
            np.where(cloud > 0.3, MASK_CLOUD, 0)
            | np.where((shadow > 0.3) & (cloud <= 0.3), MASK_SHADOW, 0)
            | np.where(water > 0.5, MASK_WATER, 0)
        ).astype(np.uint8)
        jitter = self.edge_jitter[rows % len(self.edge_jitter)] * self.pixel
        reach = xs[None, :] / self.extent[0] + ((rows + 0.5) / self.height)[:, None]
        bits[reach < self.corner + jitter[:, None]] = MASK_NODATA
        return bits
