"""What the Pixxel API returns, as small immutable classes built tolerantly from its JSON.

Pixxel's spec, guides and examples disagree on details (field names, timestamp shapes, status
case, list envelopes), so every `from_json` accepts each variant listed in docs API.md and never
fails on a cosmetic field: a bad timestamp or number becomes None. Only a record that is not an
object, or lacks its identifier, raises ValueError (the API client turns that into
UnexpectedResponseError). Fields the plugin does not model stay available in `.extra`; the
record as received (the decoded JSON object itself, not a copy) is in `.raw`. Statuses are
lower-cased: Pixxel writes both `SUCCESS` and `success`.

Pure Python (no Qt): used by the API client inside QgsTask.run() and in unit tests.
"""

import math
import re
from dataclasses import FrozenInstanceError, dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Generic, List, Mapping, Optional, Tuple, Type, TypeVar

T = TypeVar("T")
M = TypeVar("M", bound="_Model")

_BARE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Python 3.9/3.10's fromisoformat accepts only 0, 3 or 6 fractional digits; servers send others.
_FRACTION = re.compile(r"\.(\d+)")


# Pixxel's usual shape, which fromisoformat() reads as it is: the path listings take 20,000 times.
_ISO_WITH_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{6})?[+-]\d{2}:\d{2}")


def parse_timestamp(value: Any) -> Optional[datetime]:
    """An aware datetime from Pixxel's timestamp shapes (`T` or space separator, `+00:00` or `Z`,
    or a bare `YYYY-MM-DD`), None when absent or unreadable. Naive values are taken as UTC, the
    zone of every example Pixxel publishes."""
    if not isinstance(value, str):
        return None
    if _ISO_WITH_OFFSET.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:  # well shaped, impossible (month 13)
            return None
    if not value.strip():
        return None
    text = value.strip()
    if _BARE_DATE.match(text):
        text += "T00:00:00"
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    text = _FRACTION.sub(lambda match: "." + (match.group(1) + "000000")[:6], text, count=1)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _status(value: Any) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _optional_text(value: Any) -> Optional[str]:
    return None if value in (None, "") else str(value)


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool):  # bool is an int to Python, never a measurement here
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _integer(value: Any) -> Optional[int]:
    number = _number(value)
    return None if number is None else round(number)


def _strings(value: Any) -> Tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, (list, tuple)) else ()


def _mapping(value: Any) -> Dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _geometry(value: Any) -> Optional[Dict[str, Any]]:
    # Kept as GeoJSON for the layer builder; only the shapes AOIs and assets use are accepted.
    if isinstance(value, Mapping) and value.get("type") in ("Polygon", "MultiPolygon"):
        return value if isinstance(value, dict) else dict(value)
    return None


def _centroid(value: Any) -> Optional[Tuple[float, float]]:
    if isinstance(value, (list, tuple)) and len(value) >= 2:
        lon, lat = _number(value[0]), _number(value[1])
        if lon is not None and lat is not None:
            return (lon, lat)
    return None


def _record(data: Any, kind: str, id_keys: Tuple[str, ...]) -> Tuple[Dict[str, Any], str]:
    """The record as a dict and its identifier (the first of `id_keys` present)."""
    if type(data) is not dict:  # what json.loads gives; isinstance(Mapping) is the slow path
        if not isinstance(data, Mapping):
            raise ValueError(f"a {kind} should be a JSON object, not {type(data).__name__}")
        data = dict(data)
    for key in id_keys:
        if data.get(key) not in (None, ""):
            return data, str(data[key])
    raise ValueError(f"a {kind} without {' or '.join(id_keys)}")


def _extra(raw: Mapping[str, Any], known: frozenset) -> Dict[str, Any]:
    return {key: value for key, value in raw.items() if key not in known}


# `raw` and `extra` hold what the server sent, which for a download includes the signed URL:
# they stay out of repr() so that logging or an error message built from a model cannot leak it.
def _kept(default_factory: Callable[[], Any] = dict) -> Any:
    return field(default_factory=default_factory, repr=False, compare=False)


def _stripped(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _fields(raw: Mapping[str, Any], readers: Mapping[str, Callable[[Any], Any]]) -> Dict[str, Any]:
    """Each field `readers` names, read from the record's key of the same name."""
    return {name: read(raw.get(name)) for name, read in readers.items()}


class _Model:
    """from_json for the frozen dataclasses whose first field is the record's identifier and whose
    last two are `extra` and `raw`, so that each model says only what differs: `_KIND` and
    `_ID_KEYS` (how _record finds the identifier), `_READ` (each field read from the key of its own
    name, and its reader) and `_KNOWN` (the keys modelled, kept out of `extra`). A model with
    fields read otherwise has a from_json of its own that passes them to _build."""

    _KIND = ""
    _ID_KEYS: Tuple[str, ...] = ()
    _READ: Mapping[str, Callable[[Any], Any]] = {}
    _KNOWN: frozenset = frozenset()

    @classmethod
    def from_json(cls: Type[M], data: Any) -> M:
        raw, ident = _record(data, cls._KIND, cls._ID_KEYS)
        return cls._build(raw, ident)

    @classmethod
    def _build(cls: Type[M], raw: Dict[str, Any], ident: str, **computed: Any) -> M:
        fields = _fields(raw, cls._READ)
        return cls(ident, **fields, **computed, extra=_extra(raw, cls._KNOWN), raw=raw)


@dataclass(frozen=True)
class Project(_Model):
    id: str
    name: str = ""  # slug
    title: str = ""  # the human name
    org_id: Optional[str] = None
    members_count: Optional[int] = None
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None
    metadata: Dict[str, Any] = _kept()
    extra: Dict[str, Any] = _kept()
    raw: Dict[str, Any] = _kept()

    _KIND, _ID_KEYS = "project", ("id",)
    _READ = {"name": _text, "title": _text, "org_id": _optional_text, "members_count": _integer,
             "created_at": parse_timestamp, "updated_at": parse_timestamp, "metadata": _mapping}
    _KNOWN = frozenset({"id", *_READ})

    @property
    def display_name(self) -> str:
        return self.title or self.name or self.id


class Aoi:
    """An Area of Interest. `status` is one of success, started, running, failed, updating,
    partial_success (lower-cased; other values are kept as sent).

    Listings build thousands of these at once, and as a dataclass filled at construction they
    cost more than the HTTP and JSON beneath: the parsing, and the garbage collector's passes
    over the dicts and tuples each one allocated. So only the scalar fields are read up front;
    `geometry`, `centroid`, `eo_bands`, `images`, the timestamps and `extra` are read from `raw`
    on each access, and each Aoi is one slotted object on top of the decoded JSON. `geometry` and
    `images` are the record's own dicts, shared with `raw`. Immutable, and compared on the
    modelled fields, like the dataclasses."""

    __slots__ = ("aoi_id", "name", "description", "satellite_id", "project_id", "status",
                 "progress", "is_favourite", "area_in_sq_m", "user_id", "raw")

    aoi_id: str
    name: str
    description: str
    satellite_id: Optional[str]
    project_id: Optional[str]
    status: str
    progress: Optional[int]
    is_favourite: bool
    area_in_sq_m: Optional[float]
    user_id: Optional[str]
    raw: Dict[str, Any]

    _KNOWN = frozenset({
        "aoi_id", "name", "description", "satellite_id", "lens_satellite_id", "project_id",
        "status", "progress", "is_favourite", "geometry", "centroid", "area_in_sq_m", "eo_bands",
        "images", "user_id", "created_at", "updated_at",
    })
    # What repr() shows and == compares; `geometry` and `eo_bands` are compared, not shown.
    _SHOWN = ("aoi_id", "name", "description", "satellite_id", "project_id", "status",
              "progress", "is_favourite", "centroid", "area_in_sq_m", "user_id", "created_at",
              "updated_at")
    _COMPARED = _SHOWN + ("geometry", "eo_bands")

    def __init__(self, data: Any) -> None:
        """`data` is one AOI record as the API sends it; raises ValueError without an aoi_id."""
        raw, ident = _record(data, "AOI", ("aoi_id",))
        get = raw.get
        put = object.__setattr__  # this class's own __setattr__ refuses, as a frozen one does
        put(self, "aoi_id", ident)
        put(self, "name", _text(get("name")))
        put(self, "description", _text(get("description")))
        put(self, "satellite_id", _optional_text(get("satellite_id") or get("lens_satellite_id")))
        put(self, "project_id", _optional_text(get("project_id")))
        put(self, "status", _status(get("status")))
        put(self, "progress", _integer(get("progress")))
        put(self, "is_favourite", get("is_favourite") is True)
        put(self, "area_in_sq_m", _number(get("area_in_sq_m")))
        put(self, "user_id", _optional_text(get("user_id")))
        put(self, "raw", raw)

    @classmethod
    def from_json(cls, data: Any) -> "Aoi":
        return cls(data)

    @property
    def geometry(self) -> Optional[Dict[str, Any]]:
        return _geometry(self.raw.get("geometry"))

    @property
    def centroid(self) -> Optional[Tuple[float, float]]:
        return _centroid(self.raw.get("centroid"))

    @property
    def eo_bands(self) -> Tuple[str, ...]:
        return _strings(self.raw.get("eo_bands"))

    @property
    def images(self) -> Dict[str, Any]:
        images = self.raw.get("images")
        return images if isinstance(images, dict) else _mapping(images)

    @property
    def created_at(self) -> Optional[datetime]:
        return parse_timestamp(self.raw.get("created_at"))

    @property
    def updated_at(self) -> Optional[datetime]:
        return parse_timestamp(self.raw.get("updated_at"))

    @property
    def extra(self) -> Dict[str, Any]:
        return _extra(self.raw, self._KNOWN)

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._COMPARED)

    def __hash__(self) -> int:
        return hash(self.aoi_id)

    def __reduce__(self) -> Tuple[Any, ...]:
        # Rebuilt from the record: copy and pickle would otherwise restore slots by assignment.
        return (type(self), (self.raw,))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._SHOWN)
        return f"{type(self).__name__}({shown})"


@dataclass(frozen=True)
class Asset(_Model):
    """One product of an AOI. `id` is what a download request names; `path` is Pixxel's internal
    storage address, not a download link. `date` is the acquisition day (midnight UTC)."""

    id: str
    aoi_id: Optional[str] = None
    name: str = ""
    description: str = ""
    asset_type: str = ""  # mosaic, stac_item, visualization
    status: str = ""  # success, failed, started, creating
    progress: Optional[int] = None
    band_list: Tuple[str, ...] = field(default=(), repr=False)
    date: Optional[datetime] = None
    resolution: Optional[float] = None  # metres
    geometry: Optional[Dict[str, Any]] = field(default=None, repr=False)
    centroid: Optional[Tuple[float, float]] = None
    area_in_sq_m: Optional[float] = None
    path: Optional[str] = field(default=None, repr=False)
    visualization_id: Optional[str] = None
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None
    extra: Dict[str, Any] = _kept()
    raw: Dict[str, Any] = _kept()

    _KIND, _ID_KEYS = "asset", ("id",)
    _READ = {
        "aoi_id": _optional_text, "name": _text, "description": _text, "asset_type": _status,
        "status": _status, "progress": _integer, "band_list": _strings, "date": parse_timestamp,
        "resolution": _number, "geometry": _geometry, "centroid": _centroid,
        "area_in_sq_m": _number, "path": _optional_text, "visualization_id": _optional_text,
        "created_at": parse_timestamp, "updated_at": parse_timestamp,
    }
    _KNOWN = frozenset({"id", *_READ})

    @property
    def is_downloadable(self) -> bool:
        return self.status == "success"


#: Download statuses that end a download without files. Pixxel publishes no list: `failed` is
#: documented, the others are what such services say; waiting on any of them cannot help.
FAILED_DOWNLOAD_STATUSES = frozenset({"failed", "error", "cancelled", "canceled", "expired"})


@dataclass(frozen=True)
class DownloadStatus(_Model):
    """A download request. Pixxel publishes no list of statuses and writes them in either case:
    `success` with a URL is ready; FAILED_DOWNLOAD_STATUSES, and a `success` without a URL (no
    poll will bring one: Pixxel's answers carry the URL with the success), are failed; anything
    else, known or not, is pending. The signed URL is a credential: it is left out of repr()."""

    download_id: str
    status: str = ""
    signed_url: str = field(default="", repr=False)
    extra: Dict[str, Any] = _kept()
    raw: Dict[str, Any] = _kept()

    # `id` is the field's name on the purchased-imagery (catalogs) download endpoints.
    _KIND, _ID_KEYS = "download", ("download_id", "id")
    _READ = {"status": _status, "signed_url": _stripped}
    _KNOWN = frozenset({*_ID_KEYS, *_READ})

    @property
    def is_ready(self) -> bool:
        return self.status == "success" and bool(self.signed_url)

    @property
    def is_failed(self) -> bool:
        return self.status in FAILED_DOWNLOAD_STATUSES or self.lacks_url

    @property
    def lacks_url(self) -> bool:
        """Pixxel says `success` but sent no signed URL to fetch the files from."""
        return self.status == "success" and not self.signed_url

    @property
    def is_pending(self) -> bool:
        return not (self.is_ready or self.is_failed)


@dataclass(frozen=True)
class Band(_Model):
    name: str
    wavelength: Optional[float] = None  # as sent: nm, or µm for values below 100
    scale: Optional[float] = None
    offset: Optional[float] = None
    spatial_resolution: Optional[float] = None  # metres
    extra: Dict[str, Any] = _kept()
    raw: Dict[str, Any] = _kept()

    _KIND, _ID_KEYS = "band", ("name",)
    _READ = {"wavelength": _number, "scale": _number, "offset": _number,
             "spatial_resolution": _number}
    _KNOWN = frozenset({"name", *_READ})


@dataclass(frozen=True)
class Satellite(_Model):
    id: str
    name: str = ""
    bands: Tuple[Band, ...] = field(default=(), repr=False)
    rgb_composite: Dict[str, str] = field(default_factory=dict)
    collections: Tuple[Any, ...] = field(default=(), repr=False)
    extra: Dict[str, Any] = _kept()
    raw: Dict[str, Any] = _kept()

    _KIND, _ID_KEYS = "satellite", ("id",)
    _READ = {"name": _text}
    _KNOWN = frozenset({"id", *_READ, "bands", "rgb_composite", "collections"})

    @property
    def rgb_band_names(self) -> Optional[Tuple[str, str, str]]:
        """(red, green, blue) band names for true colour, or None unless Pixxel names all three."""
        red, green, blue = (self.rgb_composite.get(colour) for colour in ("red", "green", "blue"))
        return (red, green, blue) if red and green and blue else None

    @classmethod
    def from_json(cls, data: Any) -> "Satellite":
        raw, ident = _record(data, cls._KIND, cls._ID_KEYS)
        bands = raw.get("bands") if isinstance(raw.get("bands"), list) else []
        # A malformed band entry costs that band, not the satellite's true-colour mapping.
        usable = [band for band in bands if isinstance(band, Mapping) and band.get("name")]
        composite = _mapping(raw.get("rgb_composite"))
        collections = raw.get("collections")
        return cls._build(
            raw, ident,
            bands=tuple(Band.from_json(band) for band in usable),
            rgb_composite={k: str(v) for k, v in composite.items() if isinstance(v, str) and v},
            collections=tuple(collections) if isinstance(collections, list) else (),
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, the server's total (None if it sent none) and the offset
    that was asked for."""

    items: Tuple[T, ...]
    total: Optional[int]
    offset: int = 0

    @classmethod
    def from_json(
        cls, body: Any, key: str, parse: Callable[[Any], T], offset: int = 0
    ) -> "Page[T]":
        """Items under `key`; the total from `pagination.total` (AOIs, assets, the guide's
        projects) or `count` (the spec's projects). Raises ValueError on another shape."""
        if not isinstance(body, Mapping):
            raise ValueError(f"expected a JSON object holding '{key}', not {type(body).__name__}")
        rows = body.get(key)
        if not isinstance(rows, list):
            raise ValueError(f"expected a list under '{key}'")
        pagination = _mapping(body.get("pagination"))
        total = _integer(pagination.get("total"))
        if total is None:
            total = _integer(body.get("count"))
        return cls(items=tuple(map(parse, rows)), total=total, offset=offset)


def satellites_from_json(body: Any) -> List[Satellite]:
    """`{"satellites": [...]}` as the spec has it; a bare list is accepted too."""
    rows = body.get("satellites") if isinstance(body, Mapping) else body
    if not isinstance(rows, list):
        raise ValueError("expected a list of satellites")
    return [Satellite.from_json(row) for row in rows]
