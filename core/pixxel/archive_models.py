"""What Pixxel's archive and ordering endpoints return, as small immutable classes built
tolerantly from their JSON (the rules of models.py: cosmetic fields never fail, a record that is
not an object or lacks its id raises ValueError, which the client reports as
UnexpectedResponseError; the record as received stays in `.raw`).

STAC items: Pixxel's spec types an item's `bbox` as strings, the STAC standard as numbers; both
are read. Thumbnail links are signed storage URLs: they stay out of repr(), like every `raw`.
Amounts: the spec names no currency; `currency` is read when an answer carries one (order or
item level) and is None otherwise, so nothing invents one.

Pure Python (no Qt).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .models import (
    _fields,
    _geometry,
    _integer,
    _kept,
    _mapping,
    _number,
    _optional_text,
    _record,
    _strings,
    _text,
    parse_timestamp,
)

Box = Tuple[float, float, float, float]  # west, south, east, north (EPSG:4326)


def _box(value: Any) -> Optional[Box]:
    """A 2D box from a STAC bbox of 4 numbers, or of 6 (3D: the heights are dropped)."""
    if not isinstance(value, (list, tuple)) or len(value) not in (4, 6):
        return None
    corners = value if len(value) == 4 else (value[0], value[1], value[3], value[4])
    numbers = [_number(v) for v in corners]
    if any(n is None for n in numbers):
        return None
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def _upper(value: Any) -> str:
    return value.strip().upper() if isinstance(value, str) else ""


@dataclass(frozen=True)
class Collection:
    id: str
    title: str = ""
    description: str = ""
    platforms: Tuple[str, ...] = ()
    gsds: Tuple[float, ...] = ()
    bbox: Optional[Box] = None
    raw: Dict[str, Any] = _kept()

    @property
    def display_name(self) -> str:
        return self.title or self.id

    @classmethod
    def from_json(cls, data: Any) -> "Collection":
        raw, cid = _record(data, "collection", ("id",))
        summaries = _mapping(raw.get("summaries"))
        spatial = _mapping(_mapping(raw.get("extent")).get("spatial")).get("bbox")
        boxes = spatial if isinstance(spatial, list) else []
        gsds = summaries.get("gsd") if isinstance(summaries.get("gsd"), list) else []
        return cls(
            cid, **_fields(raw, {"title": _text, "description": _text}),
            platforms=_strings(summaries.get("platform")),
            gsds=tuple(n for n in (_number(g) for g in gsds) if n is not None),
            bbox=_box(boxes[0]) if boxes else None,
            raw=raw,
        )


@dataclass(frozen=True)
class ArchiveItem:
    """One capture in Pixxel's archive (a STAC item)."""

    id: str
    collection: str = ""
    geometry: Optional[Dict[str, Any]] = None
    bbox: Optional[Box] = None
    acquired: Optional[datetime] = None
    platform: str = ""
    constellation: str = ""
    gsd: Optional[float] = None  # metres
    cloud_cover: Optional[float] = None  # percent
    off_nadir: Optional[float] = None  # degrees
    sun_elevation: Optional[float] = None  # degrees
    sun_azimuth: Optional[float] = None  # degrees
    product_level: str = ""
    band_count: Optional[int] = None
    thumbnail_url: Optional[str] = _kept(lambda: None)
    thumbnail_type: str = ""
    raw: Dict[str, Any] = _kept()

    @classmethod
    def from_json(cls, data: Any) -> "ArchiveItem":
        raw, item_id = _record(data, "STAC item", ("id",))
        props = _mapping(raw.get("properties"))
        assets = _mapping(raw.get("assets"))
        thumbnail = _thumbnail(assets)
        bands = _mapping(assets.get("data")).get("eo:bands")
        acquired = parse_timestamp(props.get("datetime")) or \
            parse_timestamp(props.get("startdatetime"))
        return cls(
            id=item_id,
            collection=_text(raw.get("collection")),
            geometry=_geometry(raw.get("geometry")),
            bbox=_box(raw.get("bbox")),
            acquired=acquired,
            platform=_text(props.get("platform")),
            constellation=_text(props.get("constellation")),
            gsd=_number(props.get("gsd")),
            cloud_cover=_number(props.get("eo:cloud_cover", props.get("cloudcover"))),
            off_nadir=_number(props.get("view:off_nadir")),
            sun_elevation=_number(props.get("view:sun_elevation")),
            sun_azimuth=_number(props.get("view:sun_azimuth")),
            product_level=_text(props.get("rd:product_level") or props.get("processing:level")),
            band_count=len(bands) if isinstance(bands, list) and bands else None,
            thumbnail_url=_optional_text(thumbnail.get("href")),
            thumbnail_type=_text(thumbnail.get("type")),
            raw=raw,
        )


def _thumbnail(assets: Mapping[str, Any]) -> Dict[str, Any]:
    """The asset whose role (or key) is "thumbnail", else an "overview" one, else {}."""
    for role in ("thumbnail", "overview"):
        for key, asset in assets.items():
            asset = _mapping(asset)
            if key == role or role in _strings(asset.get("roles")):
                return asset
    return {}


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: its items and the (body, query parameters) of the request for the
    next page, None after the last one."""

    items: List[ArchiveItem]
    next_request: Optional[Tuple[Dict[str, Any], Dict[str, str]]] = None


@dataclass(frozen=True)
class BandsetBand:
    name: str
    wavelength: Optional[float] = None


@dataclass(frozen=True)
class Bandset:
    id: str
    name: str = ""
    description: str = ""
    captures: Optional[int] = None
    bands: Tuple[BandsetBand, ...] = ()

    @classmethod
    def from_json(cls, data: Any) -> "Bandset":
        raw, bandset_id = _record(data, "bandset", ("id", "bandset_id"))
        bands = raw.get("bands") if isinstance(raw.get("bands"), list) else []
        return cls(
            bandset_id, **_fields(raw, {"name": _text, "description": _text, "captures": _integer}),
            bands=tuple(
                BandsetBand(_text(b.get("name")), _number(b.get("wavelength")))
                for b in bands if isinstance(b, Mapping)
            ),
        )


@dataclass(frozen=True)
class Uplift:
    title: str
    subtitle: str = ""
    percentage: Optional[float] = None
    amount: Optional[float] = None
    item_id: str = ""


@dataclass(frozen=True)
class OrderLine:
    """One order item of an order (or of a dry run's priced order)."""

    id: str = ""  # empty in a dry run
    name: str = ""
    type: str = ""  # ARCHIVE | TASKING | RECURRING
    status: str = ""
    feasibility_status: str = ""  # NOT_APPLICABLE for archive items
    area_km2: Optional[float] = None
    number_of_bands: Optional[int] = None
    base_amount: Optional[float] = None
    final_amount: Optional[float] = None
    currency: Optional[str] = None
    delivery_speed: str = ""
    item_ids: Tuple[str, ...] = ()
    uplifts: Tuple[Uplift, ...] = ()

    @classmethod
    def from_json(cls, data: Any, currency: Optional[str] = None) -> "OrderLine":
        if not isinstance(data, Mapping):
            raise ValueError(f"an order item should be a JSON object, not {type(data).__name__}")
        images = data.get("images") if isinstance(data.get("images"), list) else []
        uplifts = data.get("uplifts") if isinstance(data.get("uplifts"), list) else []
        return cls(
            id=_text(data.get("id")),
            name=_text(data.get("name")),
            type=_upper(data.get("type")),
            status=_upper(data.get("status")),
            feasibility_status=_upper(data.get("feasibility_status")),
            area_km2=_number(data.get("area")),
            number_of_bands=_integer(data.get("number_of_bands")),
            base_amount=_number(data.get("base_amount")),
            final_amount=_number(data.get("final_amount")),
            currency=_optional_text(data.get("currency")) or currency,
            delivery_speed=_upper(data.get("delivery_speed")),
            item_ids=tuple(_text(i.get("item_id")) for i in images
                           if isinstance(i, Mapping) and i.get("item_id")),
            uplifts=tuple(
                Uplift(_text(u.get("title")), _text(u.get("subtitle")),
                       _number(u.get("percentage")), _number(u.get("amount")),
                       _text(u.get("item_id")))
                for u in uplifts if isinstance(u, Mapping)
            ),
        )


@dataclass(frozen=True)
class Order:
    """An order as `POST /v0/orders` answers it: priced (a dry run: empty id, UNPAID) or placed."""

    id: str = ""
    status: str = ""  # payment status: PAID, UNPAID, PAYMENT_IN_PROGRESS, REFUND
    lines: Tuple[OrderLine, ...] = ()
    total_amount: Optional[float] = None
    currency: Optional[str] = None
    created_at: Optional[datetime] = None
    raw: Dict[str, Any] = _kept()

    @property
    def base_amount(self) -> Optional[float]:
        amounts = [line.base_amount for line in self.lines]
        return None if not amounts or None in amounts else round(sum(amounts), 2)

    @property
    def final_amount(self) -> Optional[float]:
        """The total to pay: `total_amount`, else the sum of the items' final amounts."""
        if self.total_amount is not None:
            return self.total_amount
        amounts = [line.final_amount for line in self.lines]
        return None if not amounts or None in amounts else round(sum(amounts), 2)

    @property
    def area_km2(self) -> Optional[float]:
        areas = [line.area_km2 for line in self.lines]
        return None if not areas or None in areas else sum(areas)

    @property
    def feasibility_status(self) -> str:
        """The weakest feasibility of the items (FAILED < WEAK_SUCCESS < SUCCESS), or the one
        they share (NOT_APPLICABLE for archive orders)."""
        found = {line.feasibility_status for line in self.lines if line.feasibility_status}
        for verdict in ("FAILED", "WEAK_SUCCESS", "UNSPECIFIED", "SUCCESS", "NOT_APPLICABLE"):
            if verdict in found:
                return verdict
        return next(iter(sorted(found)), "")

    @classmethod
    def from_json(cls, data: Any) -> "Order":
        if not isinstance(data, Mapping):
            raise ValueError(f"an order should be a JSON object, not {type(data).__name__}")
        raw = dict(data)
        currency = _optional_text(raw.get("currency"))
        items = raw.get("order_items")
        if not isinstance(items, list):
            raise ValueError("an order without order_items")
        lines = tuple(OrderLine.from_json(item, currency) for item in items)
        return cls(
            id=_text(raw.get("id")),
            status=_upper(raw.get("status")),
            lines=lines,
            total_amount=_number(raw.get("total_amount")),
            # An order-level currency, else the one its items share.
            currency=currency or next((line.currency for line in lines if line.currency), None),
            created_at=parse_timestamp(raw.get("created_at")),
            raw=raw,
        )


def format_amount(amount: Optional[float], currency: Optional[str]) -> str:
    """"1,234.50 USD", or "1,234.50" when no currency was given (none is invented)."""
    if amount is None:
        return "?"
    text = f"{amount:,.2f}"
    return f"{text} {currency}" if currency else text
