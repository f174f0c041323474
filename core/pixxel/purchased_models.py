"""What the purchased-imagery endpoints return (orders, order items, catalogs, catalog downloads),
as small immutable classes built tolerantly from their JSON, like models.py.

Spellings (Pixxel's spec, examples and guides disagree; every variant is read):
* Order, order item and task enums (`status`, `type`, `image_type`, `payment_status`) are
  upper-case in the spec (FULFILLED, TASKING, VNIR…) and kept upper-case here, whatever case
  arrives.
* A catalog's `delivery_status` (automated cloud delivery, not whether the imagery can be
  downloaded): the schema's enum is UNSPECIFIED, CREATED, FAILED, IN_PROGRESS, SUCCESS while the
  examples write SUCCESSFUL (and a task's field adds PENDING, NOT_APPLICABLE). Upper-cased, and
  SUCCESSFUL read as SUCCESS; the others are kept as sent.
* A catalog download's status is lower-case in the spec (success, created, in_progress, failed)
  and upper-case in the AOI downloads' examples: lower-cased, as DownloadStatus does; its id
  field is `id` (`download_id` is accepted too).
* Timestamps: `+00:00` or `Z`, and task dates as `DD-MM-YYYY`. Empty strings and zeros are what
  Pixxel's server sends for "no value": they read as None.

A catalog's imagery is described by its STAC item (`details`): footprint, acquisition time,
platform, ground sample distance, cloud cover, off-nadir angle, and the bands of its data assets
(`eo:bands` wavelengths, `raster:bands` scale/offset/nodata), which the download pipeline uses
to style imagery whose files carry no wavelengths.

Pure Python (no Qt).
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .models import (
    DownloadStatus,
    _geometry,
    _kept,
    _mapping,
    _Model,
    _number,
    _optional_text,
    _record,
    _text,
    parse_timestamp,
)

_DAY_FIRST = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")
_LEVEL = re.compile(r"_(L\d[A-Za-z]?)_", re.IGNORECASE)
DELIVERED = "SUCCESS"


def _upper(value: Any) -> str:
    return value.strip().upper() if isinstance(value, str) else ""


def _moment(value: Any) -> Optional[datetime]:
    """parse_timestamp, plus the tasks' `DD-MM-YYYY`."""
    if isinstance(value, str):
        day = _DAY_FIRST.match(value.strip())
        if day:
            try:
                return datetime(int(day[3]), int(day[2]), int(day[1]), tzinfo=timezone.utc)
            except ValueError:
                return None
    return parse_timestamp(value)


def _positive(value: Any) -> Optional[float]:
    """A number, where Pixxel's zero value means "not given" (areas, resolutions)."""
    number = _number(value)
    return number if number else None


def delivery_status(value: Any) -> str:
    """A delivery status as the schema's enum spells it (SUCCESSFUL is read as SUCCESS)."""
    text = _upper(value)
    return DELIVERED if text == "SUCCESSFUL" else text


_delivery = delivery_status  # in the models' class bodies, their field of that name hides it


def _rows(value: Any) -> List[Mapping[str, Any]]:
    return [row for row in value if isinstance(row, Mapping)] if isinstance(value, list) else []


# --- STAC ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StacBand:
    """One band of a STAC item's data asset. Wavelengths in nm (STAC writes µm)."""

    name: str
    wavelength_nm: Optional[float] = None
    fwhm_nm: Optional[float] = None
    common_name: str = ""
    scale: Optional[float] = None
    offset: Optional[float] = None
    nodata: Optional[float] = None

    def as_row(self) -> Dict[str, Any]:
        """{name, wavelength, fwhm, scale, offset, nodata} without the unknown ones: the shape of
        the API's satellite bands, which core/imagery reads (wavelengths in nm)."""
        row = {"name": self.name, "wavelength": self.wavelength_nm, "fwhm": self.fwhm_nm,
               "scale": self.scale, "offset": self.offset, "nodata": self.nodata}
        return {key: value for key, value in row.items() if value is not None}


def _nm(value: Any) -> Optional[float]:
    number = _number(value)
    if number is None or number <= 0:
        return None
    return number if number > 100 else round(number * 1000, 6)


def stac_bands(item: Mapping[str, Any]) -> Tuple[StacBand, ...]:
    """The bands of a STAC item's data: every asset with the role "data" (or, if none says so,
    every asset with `eo:bands`) in the item's order, `raster:bands` paired by position within
    its asset; the item's own `properties.eo:bands` when no asset lists bands."""
    assets = [a for a in _mapping(item.get("assets")).values() if isinstance(a, Mapping)]
    data = [a for a in assets if "data" in (a.get("roles") or ())] or assets
    bands: List[StacBand] = []
    for asset in data:
        raster = _rows(asset.get("raster:bands"))
        for index, band in enumerate(_rows(asset.get("eo:bands"))):
            bands.append(_band(band, raster[index] if index < len(raster) else {}, len(bands)))
    if not bands:
        properties = _mapping(item.get("properties"))
        for band in _rows(properties.get("eo:bands")):
            bands.append(_band(band, {}, len(bands)))
    return tuple(bands)


def _band(eo: Mapping[str, Any], raster: Mapping[str, Any], index: int) -> StacBand:
    centre = _nm(eo.get("center_wavelength"))
    width = _number(eo.get("full_width_half_max", eo.get("fwhm")))
    if centre is not None and width is not None and width > 0:
        # The width is in the centre's unit: µm when the centre was (STAC), else nm.
        in_um = (_number(eo.get("center_wavelength")) or 0) <= 100
        width = round(width * 1000, 6) if in_um else width
    return StacBand(
        name=_text(eo.get("name")) or f"Band {index + 1}",
        wavelength_nm=centre,
        fwhm_nm=width if width and width > 0 else None,
        common_name=_text(eo.get("common_name")),
        scale=_number(raster.get("scale")),
        offset=_number(raster.get("offset")),
        nodata=_number(raster.get("nodata")),
    )


def _bbox_polygon(value: Any) -> Optional[Dict[str, Any]]:
    """A STAC bbox (numbers, or the strings Pixxel's spec has) as a GeoJSON polygon."""
    if not isinstance(value, (list, tuple)) or len(value) not in (4, 6):
        return None
    numbers = [_number(v) for v in value]
    if None in numbers:
        return None
    half = len(numbers) // 2
    west, south, east, north = numbers[0], numbers[1], numbers[half], numbers[half + 1]
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


# --- catalogs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalog(_Model):
    """One purchased image of the workspace. `catalog_id` is what a catalog download names;
    `item_id` is the STAC item's id, which is the product's name (`TD2_871361_20250627_L2A_…`).
    `delivery_status` tells about the automated cloud delivery only: any catalog can be
    downloaded. `thumbnail_url` may be a signed URL, signed anew in every answer: it stays out of
    repr() and of comparisons."""

    catalog_id: str
    item_id: str = ""
    task_id: Optional[str] = None
    name: str = ""  # the STAC title, else the item id
    collection: str = ""
    acquired: Optional[datetime] = None
    platform: str = ""  # satellite, e.g. TD2, FF01
    level: str = ""  # processing level, e.g. L2A
    gsd: Optional[float] = None  # metres
    cloud_cover: Optional[float] = None  # percent
    off_nadir: Optional[float] = None  # degrees
    area_km2: Optional[float] = None
    delivery_status: str = ""
    bandset_id: Optional[str] = None
    geometry: Optional[Dict[str, Any]] = field(default=None, repr=False)
    bands: Tuple[StacBand, ...] = field(default=(), repr=False)
    thumbnail_url: str = field(default="", repr=False, compare=False)  # signed anew each time
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None
    extra: Dict[str, Any] = _kept()
    raw: Dict[str, Any] = _kept()

    _KIND, _ID_KEYS = "catalog", ("id", "catalog_id")
    _READ = {"task_id": _optional_text, "delivery_status": _delivery,
             "bandset_id": _optional_text, "created_at": parse_timestamp,
             "updated_at": parse_timestamp}
    _KNOWN = frozenset({"id", *_READ, "area", "details"})

    @property
    def is_delivered(self) -> bool:
        return self.delivery_status == DELIVERED

    @property
    def wavelengths_nm(self) -> Tuple[Optional[float], ...]:
        return tuple(band.wavelength_nm for band in self.bands)

    @property
    def details(self) -> Dict[str, Any]:
        """The STAC item as sent."""
        return _mapping(self.raw.get("details"))

    @classmethod
    def from_json(cls, data: Any) -> "Catalog":
        raw, ident = _record(data, cls._KIND, cls._ID_KEYS)
        item = _mapping(raw.get("details"))
        properties = _mapping(item.get("properties"))
        item_id = _text(item.get("id"))
        bands = stac_bands(item)
        thumbnail = _mapping(_mapping(item.get("assets")).get("thumbnail")).get("href")
        level = _text(properties.get("processing:level") or properties.get("level"))
        if not level:
            found = _LEVEL.search(f"_{item_id}_")
            level = found.group(1).upper() if found else ""
        gsd = _positive(properties.get("gsd"))
        if gsd is None:
            gsd = next((_positive(b.get("spatial_resolution")) for asset in
                        _mapping(item.get("assets")).values() if isinstance(asset, Mapping)
                        for b in _rows(asset.get("raster:bands"))), None)
        return cls._build(
            raw, ident,
            item_id=item_id,
            name=_text(properties.get("title")) or item_id,
            collection=_text(item.get("collection")),
            acquired=parse_timestamp(properties.get("datetime"))
            or parse_timestamp(properties.get("start_datetime")),
            platform=_text(properties.get("platform") or properties.get("constellation")),
            level=level.upper(),
            gsd=gsd,
            cloud_cover=_number(properties.get("eo:cloud_cover")),
            off_nadir=_number(properties.get("view:off_nadir")),
            area_km2=_positive(raw.get("area")),
            geometry=_geometry(item.get("geometry")) or _bbox_polygon(item.get("bbox")),
            bands=bands,
            thumbnail_url=thumbnail if isinstance(thumbnail, str) else "",
        )


# --- orders and their items ---------------------------------------------------------------------


@dataclass(frozen=True)
class OrderImage:
    """An image an order item bought or delivered: its STAC item id (the product name) and
    footprint."""

    item_id: str
    geometry: Optional[Dict[str, Any]] = field(default=None, repr=False)

    @classmethod
    def from_json(cls, data: Any) -> "OrderImage":
        raw, ident = _record(data, "order item image", ("item_id", "id"))
        return cls(item_id=ident, geometry=_geometry(raw.get("geometry")))


@dataclass(frozen=True)
class OrderTask(_Model):
    """One acquisition (tasking, one per occurrence) or archive delivery of an order item."""

    task_id: str
    type: str = ""
    status: str = ""  # e.g. IN_PROGRESS, FULFILLED, FAILED
    start_date: Optional[datetime] = None
    end_date: Optional[datetime] = None
    delivery_status: str = ""
    extra: Dict[str, Any] = _kept()
    raw: Dict[str, Any] = _kept()

    _KIND, _ID_KEYS = "task", ("id", "task_id")
    _READ = {"type": _upper, "status": _upper, "start_date": _moment, "end_date": _moment,
             "delivery_status": _delivery}
    _KNOWN = frozenset({"id", *_READ})


@dataclass(frozen=True)
class OrderItem(_Model):
    """One line of an order: an ARCHIVE purchase of existing images, or a TASKING / RECURRING
    acquisition. `images` are what it bought or has delivered so far (footprints), `tasks` its
    acquisitions (only in the order-item endpoints' answers, not inside an order's)."""

    order_item_id: str
    order_id: Optional[str] = None
    name: str = ""
    type: str = ""  # TASKING, ARCHIVE, RECURRING
    status: str = ""  # DRAFT, ACTIVE, FULFILLED, PARTIALLY_FULFILLED, CANCELLED, FAILED
    image_type: str = ""  # VNIR, SWIR, VSWIR
    project_id: Optional[str] = None
    user_id: Optional[str] = None
    start_date: Optional[datetime] = None
    end_date: Optional[datetime] = None
    area_km2: Optional[float] = None
    number_of_bands: Optional[int] = None
    cloud_cover: Optional[float] = None  # the most asked for (tasking); 0, "none asked", is None
    off_nadir: Optional[float] = None  # likewise
    recurrence: str = ""
    payment_status: str = ""
    bandset_id: Optional[str] = None
    images: Tuple[OrderImage, ...] = field(default=(), repr=False)
    tasks: Tuple[OrderTask, ...] = field(default=(), repr=False)
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None
    extra: Dict[str, Any] = _kept()
    raw: Dict[str, Any] = _kept()

    _KIND, _ID_KEYS = "order item", ("id", "order_item_id")
    _READ = {
        "order_id": _optional_text, "name": _text, "type": _upper, "status": _upper,
        "image_type": _upper, "project_id": _optional_text, "user_id": _optional_text,
        "start_date": _moment, "end_date": _moment, "cloud_cover": _positive,
        "off_nadir": _positive, "recurrence": _upper, "payment_status": _upper,
        "created_at": parse_timestamp, "updated_at": parse_timestamp,
    }
    _KNOWN = frozenset({"id", *_READ, "area", "number_of_bands", "bandset", "images", "tasks"})

    @property
    def has_imagery(self) -> bool:
        """Whether something was delivered that a catalog download can fetch."""
        return bool(self.images) and self.status in ("FULFILLED", "PARTIALLY_FULFILLED")

    @property
    def display_name(self) -> str:
        return self.name or self.order_item_id

    @classmethod
    def from_json(cls, data: Any) -> "OrderItem":
        raw, ident = _record(data, cls._KIND, cls._ID_KEYS)
        bands = _rows(_mapping(raw.get("bandset")).get("bands"))
        count = _number(raw.get("number_of_bands"))
        return cls._build(
            raw, ident,
            area_km2=_positive(raw.get("area")),
            number_of_bands=round(count) if count else (len(bands) or None),
            bandset_id=_optional_text(_mapping(raw.get("bandset")).get("bandset_id")),
            images=tuple(OrderImage.from_json(row) for row in _rows(raw.get("images"))
                         if row.get("item_id") or row.get("id")),
            tasks=tuple(OrderTask.from_json(row) for row in _rows(raw.get("tasks"))
                        if row.get("id") or row.get("task_id")),
        )


@dataclass(frozen=True)
class Order(_Model):
    """A purchase: its items (as the order endpoints list them, without tasks) and payment."""

    order_id: str
    status: str = ""  # PAID, REFUND, UNPAID, PAYMENT_IN_PROGRESS
    total_amount: Optional[float] = None
    user_id: Optional[str] = None
    created_at: Optional[datetime] = None
    paid_at: Optional[datetime] = None
    items: Tuple[OrderItem, ...] = field(default=(), repr=False)
    extra: Dict[str, Any] = _kept()
    raw: Dict[str, Any] = _kept()

    _KIND, _ID_KEYS = "order", ("id", "order_id")
    _READ = {"status": _upper, "total_amount": _number, "user_id": _optional_text,
             "created_at": parse_timestamp, "paid_at": parse_timestamp}
    _KNOWN = frozenset({"id", *_READ, "order_items"})

    @classmethod
    def from_json(cls, data: Any) -> "Order":
        raw, ident = _record(data, cls._KIND, cls._ID_KEYS)
        return cls._build(raw, ident, items=tuple(
            OrderItem.from_json(row) for row in _rows(raw.get("order_items"))
            if row.get("id") or row.get("order_item_id")
        ))


# --- catalog downloads --------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogDownloadStatus(DownloadStatus):
    """`POST /v0/catalogs/download` and `GET /v0/catalogs/download/{id}`: the same three fields as
    an AOI download (id, signed_url, status), the id under `id`. Statuses are lower-cased:
    `success` (with a URL) and `failed` are final; `created`, `in_progress` and anything unknown
    are pending."""

    _KIND, _ID_KEYS = "catalog download", ("id", "download_id")
