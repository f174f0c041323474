"""A raster's spectral description: which band sees which wavelength, how its DN become
reflectance, which bands and values to leave out.

Wavelengths, FWHM, bad-band flags, scale, offset and nodata are gathered from every place GDAL or a
delivery may keep them; the first source that knows a value wins, in this order:
band metadata (domains "" and "ENVI") > GDAL >= 3.10's IMAGERY domain > ENVI header lists (the
ENVI driver's "ENVI" domain, or a side-car .hdr parsed by `read_envi_header`) > band description
"name (650 nm)" > the satellite's bands from the API > the caller's explicit defaults.

Pure numpy + GDAL (no Qt, no QGIS): runs in worker threads and plain unit tests. GDAL's global
exception mode is left as the host set it; both modes are handled.
"""

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import (
    Any,
    Dict,
    Iterator,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from osgeo import gdal

PIXXEL_L2A_SCALE = 1 / 50000  # API.md: L2A reflectance = DN / 50000; pass it as default_scale
TOLERANCE_NM = 20.0  # INDICES.md: refuse a band farther than its FWHM or 20 nm from the target

# ENVI allows these "wavelength units"; their values are not wavelengths at all.
_NOT_WAVELENGTH_UNITS = ("index", "wavenumber", "ghz", "mhz")
_HEADER_MAX_BYTES = 4 * 1024 * 1024
_HEADER_FIELD = re.compile(r"^\s*([^=\n{}]+?)\s*=\s*(\{.*?\}|[^\n]*)", re.MULTILINE | re.DOTALL)
_DESCRIPTION = re.compile(
    r"^(?P<name>.*?)\s*\(\s*(?P<value>\d*\.?\d+(?:[eE][-+]?\d+)?)\s*(?P<units>[^)]*)\)\s*$"
)

DatasetOrPath = Union["gdal.Dataset", str, Path]


class SpectralError(ValueError):
    """Something about a raster's spectra the user can act on; the message is written for them."""


class WavelengthUnavailableError(SpectralError):
    """No usable band close enough to a wanted wavelength."""


@dataclass(frozen=True)
class SpectralBand:
    index: int  # 1-based, as GDAL and QGIS count
    name: str
    wavelength_nm: Optional[float]
    fwhm_nm: Optional[float]
    bad: bool  # ENVI bad band list: never plotted, picked or used in an index
    scale: float  # reflectance = DN * scale + offset
    offset: float
    nodata: Optional[float]

    @property
    def tolerance_nm(self) -> float:
        """How far from a target this band may be and still stand for it: its FWHM, but never
        less than TOLERANCE_NM, so that subset captures with gaps between narrow bands still
        serve the standard indices."""
        return max(TOLERANCE_NM, self.fwhm_nm or 0.0)


@dataclass(frozen=True)
class SpectralBands:
    bands: Tuple[SpectralBand, ...]

    def __iter__(self) -> Iterator[SpectralBand]:
        return iter(self.bands)

    def __len__(self) -> int:
        return len(self.bands)

    @property
    def usable(self) -> Tuple[SpectralBand, ...]:
        """Good bands with a known wavelength, by ascending wavelength."""
        known = [band for band in self.bands if not band.bad and band.wavelength_nm is not None]
        return tuple(sorted(known, key=lambda band: band.wavelength_nm))

    def named(self, name: str) -> Optional[SpectralBand]:
        wanted = name.strip().lower()
        return next((band for band in self.bands if band.name.lower() == wanted), None)

    def nearest(self, target_nm: float) -> SpectralBand:
        """The good band whose centre is nearest `target_nm`; WavelengthUnavailableError, with a
        message saying why, when it is farther than its tolerance_nm."""
        usable = self.usable
        if not usable:
            raise WavelengthUnavailableError(
                f"needs a band near {target_nm:g} nm; this image's bands have no known wavelength"
            )
        band = min(usable, key=lambda b: abs(b.wavelength_nm - target_nm))
        if abs(band.wavelength_nm - target_nm) <= band.tolerance_nm:
            return band
        first, last = usable[0].wavelength_nm, usable[-1].wavelength_nm
        if target_nm > last:
            where = f"this sensor's bands end at {last:g} nm"
        elif target_nm < first:
            where = f"this sensor's bands start at {first:g} nm"
        else:
            where = f"the nearest usable band is at {band.wavelength_nm:g} nm"
        raise WavelengthUnavailableError(f"needs a band near {target_nm:g} nm; {where}")


# --- describing ----------------------------------------------------------------------------------


def open_raster(path: Union[str, Path]) -> "gdal.Dataset":
    """The raster at `path`, read-only, set up for spectra.

    GDAL reads whole blocks through its cache: on an uncompressed band-interleaved GeoTIFF (as
    Pixxel delivers) one pixel through 150 bands costs 150 strips, ~70 MB and ~35 ms per spectrum
    on a 1 GiB scene, and fills the cache. Direct I/O reads only the bytes of the window (~0.5
    ms, no cache); GDAL ignores it where it does not apply (compressed files, for one). It is read
    at open time, so it is set for this thread only around the open."""
    gdal.SetThreadLocalConfigOption("GTIFF_DIRECT_IO", "YES")
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        dataset = gdal.OpenEx(str(path), gdal.OF_RASTER | gdal.OF_READONLY)
    except RuntimeError as error:  # the host turned GDAL exceptions on
        raise SpectralError(f"{Path(path).name} is not a raster GDAL can read: {error}") from None
    finally:
        gdal.PopErrorHandler()
        gdal.SetThreadLocalConfigOption("GTIFF_DIRECT_IO", None)
    if dataset is None:
        raise SpectralError(f"{Path(path).name} is not a raster GDAL can read")
    return dataset


def describe_spectral_bands(
    dataset_or_path: DatasetOrPath,
    satellite_bands: Optional[Sequence[Mapping[str, Any]]] = None,
    *,
    envi_header: Optional[Mapping[str, str]] = None,
    default_scale: float = 1.0,
    default_offset: float = 0.0,
    default_nodata: Optional[float] = None,
) -> SpectralBands:
    """Every band's wavelength, FWHM, bad flag, scale, offset and nodata (module docstring: where
    from). `satellite_bands` are the API's `bands` of the image's satellite ({name, wavelength,
    scale, offset}), matched by band name, else by position when the counts agree. The defaults
    apply only where nothing else says: for a Pixxel L2A image pass PIXXEL_L2A_SCALE and nodata 0.
    """
    dataset = _dataset(dataset_or_path)
    file = _FileFields.read(dataset, envi_header)
    defaults = (default_scale, default_offset, default_nodata)
    return SpectralBands(
        tuple(
            _describe_band(dataset.GetRasterBand(index), index, file, satellite_bands, defaults)
            for index in range(1, dataset.RasterCount + 1)
        )
    )


class _FileFields(NamedTuple):
    """What the dataset as a whole says about its bands: lists have one entry per band or none."""

    count: int
    units: str
    wavelengths: List[str]
    fwhm: List[str]
    bbl: List[str]
    names: List[str]
    scale: Optional[Tuple[float, float]]
    ignore_value: Optional[float]

    @classmethod
    def read(
        cls, dataset: "gdal.Dataset", envi_header: Optional[Mapping[str, str]]
    ) -> "_FileFields":
        count = dataset.RasterCount
        envi = {_envi_key(key): value for key, value in (envi_header or {}).items()}
        envi.update({_envi_key(k): v for k, v in (dataset.GetMetadata("ENVI") or {}).items()})
        metadata = dataset.GetMetadata() or {}
        return cls(
            count=count,
            units=metadata.get("wavelength_units", envi.get("wavelength_units", "")),
            wavelengths=_envi_list(envi, "wavelength", count),
            fwhm=_envi_list(envi, "fwhm", count),
            bbl=_envi_list(envi, "bbl", count),
            names=_envi_list(envi, "band_names", count),
            scale=_file_scale(metadata, envi),
            ignore_value=_number(envi.get("data_ignore_value")),
        )

    def item(self, values: List[str], index: int) -> Optional[str]:
        return values[index - 1] if values else None


def _describe_band(
    band: "gdal.Band",
    index: int,
    file: _FileFields,
    satellite_bands: Optional[Sequence[Mapping[str, Any]]],
    defaults: Tuple[float, float, Optional[float]],
) -> SpectralBand:
    metadata = {**(band.GetMetadata("ENVI") or {}), **(band.GetMetadata() or {})}
    units = metadata.get("wavelength_units", file.units)
    description = band.GetDescription().strip()
    described = _DESCRIPTION.match(description)
    name = (
        (described["name"] if described else description)
        or file.item(file.names, index)
        or f"Band {index}"
    )
    api = _satellite_band(satellite_bands, name, index, file.count)
    listed_centre = file.item(file.wavelengths, index)
    centre = _first_known(
        _wavelength(metadata.get("wavelength"), units),
        _wavelength(band.GetMetadataItem("CENTRAL_WAVELENGTH_UM", "IMAGERY"), "um"),
        _wavelength(listed_centre, units),
        _wavelength(described["value"], described["units"]) if described else None,
        _wavelength(api.get("wavelength"), "nm"),
    )
    fwhm = _first_known(
        _width(metadata.get("fwhm"), metadata.get("wavelength"), units),
        _width(band.GetMetadataItem("FWHM_UM", "IMAGERY"), None, "um"),
        _width(file.item(file.fwhm, index), listed_centre, units),
        _width(api.get("fwhm"), api.get("wavelength"), ""),
    )
    scale, offset = (
        _first_known(
            _band_scale_offset(band),
            file.scale,
            _scale_offset(_number(api.get("scale")), _number(api.get("offset"))),
        )
        or defaults[:2]
    )
    return SpectralBand(
        index=index,
        name=name,
        wavelength_nm=centre,
        fwhm_nm=fwhm,
        bad=_number(metadata.get("bbl") or file.item(file.bbl, index)) == 0,
        scale=scale,
        offset=offset,
        nodata=_first_known(band.GetNoDataValue(), file.ignore_value, defaults[2]),
    )


def read_envi_header(path: Path) -> Dict[str, str]:
    """The fields of an ENVI .hdr, keyed as GDAL's "ENVI" metadata domain keys them (lower case,
    spaces as underscores), `{...}` lists with their braces; {} when it cannot be read."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as stream:
            text = stream.read(_HEADER_MAX_BYTES)
    except OSError:
        return {}
    return {_envi_key(key): value.strip() for key, value in _HEADER_FIELD.findall(text)}


def _dataset(dataset_or_path: DatasetOrPath) -> "gdal.Dataset":
    if isinstance(dataset_or_path, (str, Path)):
        return open_raster(dataset_or_path)
    return dataset_or_path


def _envi_key(key: str) -> str:
    return "_".join(key.lower().split())


def _envi_list(fields: Mapping[str, str], key: str, count: int) -> List[str]:
    """A `{a, b, ...}` list, or [] unless it has exactly one entry per band."""
    value = fields.get(key, "").strip()
    if not (value.startswith("{") and value.endswith("}")):
        return []
    items = [item.strip() for item in value[1:-1].split(",")]
    return items if len(items) == count else []


def _file_scale(
    dataset_metadata: Mapping[str, str], envi: Mapping[str, str]
) -> Optional[Tuple[float, float]]:
    """A scale for every band: CF-style dataset metadata, or ENVI's reflectance scale factor
    (the number reflectance 1 is stored as, so the scale is its inverse)."""
    scale = _scale_offset(
        _number(dataset_metadata.get("scale_factor")), _number(dataset_metadata.get("add_offset"))
    )
    reflectance_max = _number(envi.get("reflectance_scale_factor"))
    if scale is None and reflectance_max:
        return 1.0 / reflectance_max, 0.0
    return scale


def _band_scale_offset(band: "gdal.Band") -> Optional[Tuple[float, float]]:
    """The band's own scale and offset, None when it declares none. The identity (1, 0) counts
    as none: GDAL writes it into the `.aux.xml` it keeps beside an image once QGIS computed
    statistics, and read as a declaration it would hide the dataset's or the defaults' scale
    (a Pixxel image then read as DN, 50000 times too bright)."""
    declared = _scale_offset(band.GetScale(), band.GetOffset())
    return None if declared == (1.0, 0.0) else declared


def _scale_offset(scale: Optional[float], offset: Optional[float]) -> Optional[Tuple[float, float]]:
    if scale is None and offset is None:
        return None
    return (1.0 if scale is None else scale), (0.0 if offset is None else offset)


def _satellite_band(
    satellite_bands: Optional[Sequence[Mapping[str, Any]]], name: str, index: int, count: int
) -> Mapping[str, Any]:
    if not satellite_bands:
        return {}
    wanted = name.strip().lower()
    for entry in satellite_bands:
        if str(entry.get("name", "")).strip().lower() == wanted:
            return entry
    # A capture may carry any subset of its satellite's bands: position means nothing then.
    return satellite_bands[index - 1] if len(satellite_bands) == count else {}


def _nm_per_unit(value: float, units: str) -> Optional[float]:
    """What turns `value` into nm. The magnitude decides between nm and µm (API.md: > 100 is nm),
    since units are often missing or wrong; units only rule out values that are no wavelength."""
    if units.strip().lower() in _NOT_WAVELENGTH_UNITS:
        return None
    return 1.0 if value > 100 else 1000.0


def _wavelength(text: Any, units: str) -> Optional[float]:
    value = _number(text)
    if value is None or value <= 0:
        return None
    factor = _nm_per_unit(value, units)
    return None if factor is None else value * factor


def _width(text: Any, centre: Any, units: str) -> Optional[float]:
    """A FWHM in nm. A width alone cannot tell nm from µm (10 nm, 0.01 µm): it takes the units
    of its band's centre, or explicit µm (the IMAGERY domain) when there is no centre."""
    value, centre_value = _number(text), _number(centre)
    if value is None or value <= 0:
        return None
    if centre_value is None or centre_value <= 0:
        return value * 1000 if units == "um" else value
    factor = _nm_per_unit(centre_value, units)
    return None if factor is None else value * factor


def _first_known(*values: Any) -> Any:
    return next((value for value in values if value is not None), None)


def _number(value: Any) -> Optional[float]:
    try:
        number = float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and math.isfinite(number) else None
