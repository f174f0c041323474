"""The workspace's purchases: bandsets, orders, order items, tasks and the catalogs they deliver.

Tied to the existing products: an ARCHIVE order item's images are archive items (so AOI assets'
GDAL products), one task and one catalog per image; a fulfilled TASKING/RECURRING item delivered
one capture per occurrence. Seeded orders cover every status (fulfilled, partially fulfilled,
active, failed, cancelled, unpaid) over the first AOIs, deterministic from the seed. Orders placed
with ``POST /v0/orders`` are live: ACTIVE at first, FULFILLED once the purchased-imagery endpoints
have been polled ``order_ready_after_polls`` times (each GET of orders / order items and each
catalog search or GET counts one tick for every live item), tasked captures becoming new
GDAL-generated Firefly products over the ordered geometry with the ordered bandset's bands.

Prices: ``base_amount`` = billable km² (area rounded up, at least 25 km² archive / 100 km²
tasking) x number of bands x rate (0.4 archive, 1.0 tasking, x occurrences); uplifts: +15 % per
archive image under 5 % cloud, +25 % tasking cloud cover <= 10, +20 % off-nadir <= 10, -10 % for
3+ occurrences; ``final_amount`` = base + uplifts. Same body, same price.
"""

from __future__ import annotations

import math
import random
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from . import products, stac
from .archive import Archive, ArchiveItem, make_item
from .catalog import EPOCH, ORG_ID, Catalog
from .satellites import pick_wavelengths, satellite_by_code

# (name, band count, description): Firefly bandsets (all Fireflies share one band table).
BANDSETS = (("Agriculture", 32, "Crop vigour, chlorophyll and red-edge bands"),
            ("Water quality", 24, "Turbidity, chlorophyll-a and cyanobacteria bands"),
            ("Forestry", 40, "Canopy health and species mapping"),
            ("Standard 45", 45, "45 evenly spread VNIR bands: one full capture"),
            ("Full VNIR", 135, "Every Firefly band, 470-900 nm (three captures)"),
            ("Quick look", 8, "True colour plus red edge and NIR"))
BANDS_PER_CAPTURE = 45
MIN_AREA_KM2 = {"ARCHIVE": 25, "TASKING": 100, "RECURRING": 100}
RATE = {"ARCHIVE": 0.4, "TASKING": 1.0, "RECURRING": 1.0}
PERIOD_MONTHS = {"MONTHLY": 1, "BIMONTHLY": 2, "QUARTERLY": 3}
MAX_OCCURRENCES = 12
FIREFLY = tuple(f"FF0{n}" for n in range(1, 7))
# Seeded orders: items of (type, status, cloud delivery status or None), each over its own AOI.
SEED_ORDERS = (
    (("ARCHIVE", "FULFILLED", "SUCCESS"),),
    (("TASKING", "FULFILLED", None),),
    (("RECURRING", "PARTIALLY_FULFILLED", None),),
    (("TASKING", "ACTIVE", None), ("ARCHIVE", "FULFILLED", None)),
    (("ARCHIVE", "FULFILLED", "FAILED"),),
    (("TASKING", "FAILED", None),),
    (("TASKING", "CANCELLED", None),),
    (("ARCHIVE", "FULFILLED", None), ("ARCHIVE", "FULFILLED", "SUCCESS")),
    (("RECURRING", "FULFILLED", "SUCCESS"),),
    (("ARCHIVE", "FULFILLED", None),),
    (("ARCHIVE", "DRAFT", None),),
    (("TASKING", "FULFILLED", None),),
)


@dataclass
class Task:
    id: str
    type: str  # ARCHIVE | TASKING
    status: str
    created: datetime
    window: Optional[tuple] = None  # (start, end) of a tasking occurrence
    images: list = field(default_factory=list)  # ArchiveItems delivered
    tokens: int = 0


@dataclass
class PurchasedCatalog:
    id: str
    task: Task
    item: ArchiveItem
    order_item: Any  # OrderItem
    created: datetime
    delivery_status: str  # DeliveryStatus: SUCCESS | FAILED | IN_PROGRESS | UNSPECIFIED


@dataclass
class OrderItem:
    id: str
    order_id: str
    type: str  # ARCHIVE | TASKING | RECURRING
    status: str
    name: str
    project_id: str
    user_id: str
    usecase: str
    geometry: dict  # the FeatureCollection as ordered
    area_km2: float
    created: datetime
    quote: dict  # area, base_amount, final_amount, uplifts, number_of_bands
    archive_images: tuple = ()  # ARCHIVE: the ArchiveItems ordered
    bandset: Optional[dict] = None  # tasking: the bandset record
    recurrence: str = "NOT_APPLICABLE"
    occurrences: tuple = ()  # ((start, end), ...) tasking windows
    cloud_cover: int = 0
    off_nadir: int = 0
    feasibility: str = "NOT_APPLICABLE"
    cloud_delivery: Optional[dict] = None  # {"config": store id, "path": prefix}
    delivery_outcome: str = "SUCCESS"  # the cloud delivery's DeliveryStatus, if configured
    payment_status: str = "PAID"
    tasks: list = field(default_factory=list)
    live_since: Optional[int] = None  # tick at which a live item was created
    transaction_id: str = ""
    delivered: dict = field(default_factory=dict)  # (task id, item id) -> PurchasedCatalog


@dataclass
class Order:
    id: str
    items: list
    status: str  # PAID | REFUND | UNPAID | PAYMENT_IN_PROGRESS
    created: datetime
    user_id: str
    transaction_id: str

    @property
    def total(self) -> float:
        return round(sum(item.quote["final_amount"] for item in self.items), 2)


def quote(kind: str, area_km2: float, images: list, *, bands: int = 0, occurrences: int = 1,
          cloud_cover: int = 20, off_nadir: int = 20) -> dict:
    """The price of an order item (see the module docstring)."""
    area = max(1, math.ceil(area_km2 - 1e-9))
    billable = max(area, MIN_AREA_KM2[kind])
    uplifts: list = []
    if kind == "ARCHIVE":
        base = 0.0
        for item in images:
            share = billable * len(item.spec.wavelengths_nm) * RATE[kind]
            base += share
            if item.cloud_cover < 5:
                uplifts.append(_uplift("Clear sky", "archive image under 5 % cloud", 15, share,
                                       item.id))
        bands = max((len(i.spec.wavelengths_nm) for i in images), default=0)
    else:
        base = billable * bands * RATE[kind] * occurrences
        if cloud_cover <= 10:
            uplifts.append(_uplift("Low cloud cover", f"at most {cloud_cover} % cloud", 25, base))
        if off_nadir <= 10:
            uplifts.append(_uplift("Low off-nadir", f"at most {off_nadir} degrees", 20, base))
        if occurrences >= 3:
            uplifts.append(_uplift("Recurring discount", f"{occurrences} occurrences", -10, base))
    return {"area": area, "number_of_bands": bands, "base_amount": round(base, 2),
            "uplifts": uplifts,
            "final_amount": round(base + sum(u["amount"] for u in uplifts), 2)}


def _uplift(title: str, subtitle: str, percentage: int, share: float, item_id: str = "") -> dict:
    return {"title": title, "subtitle": subtitle, "percentage": percentage,
            "amount": round(share * percentage / 100), "item_id": item_id}


def feasibility(box: tuple, window: tuple, cloud_cover: int, off_nadir: int) -> str:
    """FAILED / WEAK_SUCCESS / SUCCESS for one tasking window over a footprint."""
    days = (window[1] - window[0]).total_seconds() / 86400
    if abs((box[1] + box[3]) / 2) > 75 or days < 2 or cloud_cover < 5 or off_nadir < 5:
        return "FAILED"
    if days < 7 or cloud_cover <= 10 or off_nadir <= 10:
        return "WEAK_SUCCESS"
    return "SUCCESS"


def occurrence_windows(recurrence: str, start: datetime, end: Optional[datetime],
                       count: int) -> tuple:
    """The tasking windows of an order item: one for ONCE, else one per period."""
    if recurrence == "ONCE":
        return ((start, end),)
    months = PERIOD_MONTHS[recurrence]
    if not count:
        count = max(1, math.ceil((end - start).days / (30.4 * months)))
    return tuple((start + timedelta(days=round(30.4 * months * k)),
                  start + timedelta(days=round(30.4 * months * (k + 1))))
                 for k in range(count))


class Purchases:
    """Bandsets, orders and catalogs: seeded ones plus those placed since the last reset."""

    def __init__(self, catalog: Catalog, archive: Archive, settings: Any) -> None:
        self.catalog = catalog
        self.archive = archive
        self.settings = settings  # returns the current SandboxConfig
        self.bandsets = [self._bandset(*entry) for entry in BANDSETS]
        self._lock = threading.RLock()
        self._seeded: Optional[list] = None
        self._live: list = []
        self._ticks = 0

    # -- reading -------------------------------------------------------------------------------

    @property
    def orders(self) -> list:
        """Every order, newest first."""
        with self._lock:
            if self._seeded is None:
                self._seeded = _Seeder(self).orders()
            return sorted(self._seeded + self._live, key=lambda o: o.created, reverse=True)

    def order_items(self) -> list:
        return [item for order in self.orders for item in order.items]

    def catalogs(self) -> list:
        """Every delivered catalog, newest first."""
        with self._lock:  # a live item's catalogs are made on first sight, once
            found = [found for item in self.order_items() for found in self._catalogs_of(item)]
        return sorted(found, key=lambda c: (c.created, c.id), reverse=True)

    def bandset(self, bandset_id: str) -> Optional[dict]:
        return next((b for b in self.bandsets if b["id"] == bandset_id), None)

    def item(self, item_id: str) -> Optional[ArchiveItem]:
        """An archive item or a tasked capture, by STAC item id (for thumbnails)."""
        found = self.archive.item(item_id)
        if found is None:
            found = next((c.item for c in self.catalogs() if c.item.id == item_id), None)
        return found

    # -- live orders ---------------------------------------------------------------------------

    def tick(self) -> None:
        """One poll of the purchased-imagery endpoints: live items move on."""
        with self._lock:
            self._ticks += 1
            due = self.settings().order_ready_after_polls
            for order in self._live:
                for item in order.items:
                    self._advance(item, self._ticks - item.live_since, due)

    def place(self, order: Order) -> None:
        with self._lock:
            for item in order.items:
                item.live_since = self._ticks
                self._advance(item, 0, self.settings().order_ready_after_polls)
            self._live.append(order)

    def clear(self) -> None:
        with self._lock:
            self._live.clear()
            self._ticks = 0

    def tasked_capture(self, item: OrderItem, occurrence: int) -> ArchiveItem:
        """The capture a tasking occurrence delivers: a new Firefly product over the order."""
        rng = random.Random(f"{self.catalog.seed}/tasked/{item.id}/{occurrence}")
        start, end = item.occurrences[occurrence]
        acquired = (start + timedelta(days=rng.randint(0, max(0, (end - start).days - 1)))).date()
        code = rng.choice(FIREFLY)
        wavelengths = tuple(b["wavelength"] for b in item.bandset["bands"])
        resolution = satellite_by_code(code)["bands"][0]["spatial_resolution"]
        name = products.product_name(code, rng.randint(1, 999_999), acquired, "L2A",
                                     acquired + timedelta(days=2), resolution, 1,
                                     len(wavelengths))
        west, south, east, north = stac.bbox_of_geometry(_as_collection_geometry(item.geometry))
        margin = max(east - west, north - south) * 0.05
        box = (west - margin, south - margin, east + margin, north + margin)
        spec = self.catalog.spec_for(name, code, box, wavelengths, "zip", 1.0, rng.getrandbits(31))
        return make_item(spec, self.catalog.seed)

    def _advance(self, item: OrderItem, ticks: int, due: int) -> None:
        if item.status != "ACTIVE":
            return
        for index, task in enumerate(item.tasks):
            if task.status == "FULFILLED" or ticks < due * (index + 1 if item.occurrences else 1):
                continue
            task.status = "FULFILLED"
            if not task.images:
                task.images = [self.tasked_capture(item, index)]
        if all(task.status == "FULFILLED" for task in item.tasks):
            item.status = "FULFILLED"

    def _catalogs_of(self, item: OrderItem) -> list:
        out = []
        for task in item.tasks:
            if task.status != "FULFILLED":
                continue
            for image in task.images:
                key = (task.id, image.id)
                if key not in item.delivered:
                    item.delivered[key] = PurchasedCatalog(
                        str(uuid.uuid5(uuid.UUID(task.id), image.id)), task, image, item,
                        _delivered_at(item, image),
                        item.delivery_outcome if item.cloud_delivery else "UNSPECIFIED")
                out.append(item.delivered[key])
        return out

    def _bandset(self, name: str, count: int, description: str) -> dict:
        bands = satellite_by_code("FF01")["bands"]
        wanted = set(pick_wavelengths("FF01", count))
        return {"id": str(uuid.uuid5(uuid.UUID(ORG_ID), f"bandset/{name}")), "name": name,
                "description": description, "captures": math.ceil(count / BANDS_PER_CAPTURE),
                "bands": [{"name": b["name"], "wavelength": b["wavelength"]} for b in bands
                          if b["wavelength"] in wanted]}


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _delivered_at(item: OrderItem, image: ArchiveItem) -> datetime:
    if item.live_since is not None:
        return datetime.now(timezone.utc)
    return max(item.created, image.produced) + timedelta(hours=3)


def _as_collection_geometry(collection: dict) -> dict:
    return {"type": "GeometryCollection",
            "geometries": [feature["geometry"] for feature in collection["features"]]}


def geometry_area_km2(collection: dict) -> float:
    return sum(stac.area_km2(feature["geometry"]) for feature in collection["features"])


class _Seeder:
    """The seeded orders (SEED_ORDERS), each item over the next suitable AOI."""

    def __init__(self, purchases: Purchases) -> None:
        self.p = purchases
        self.rng = random.Random(f"{purchases.catalog.seed}/orders")
        self.next_aoi = 0

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def orders(self) -> list:
        out = []
        for number, plan in enumerate(SEED_ORDERS):
            order_id = self.uuid()
            items = [self.item(order_id, number, n, *entry) for n, entry in enumerate(plan)]
            items = [i for i in items if i is not None]
            if not items:
                continue
            status = {"FAILED": "REFUND", "CANCELLED": "REFUND", "DRAFT": "UNPAID"}.get(
                items[0].status, "PAID")
            created = min(i.created for i in items)
            out.append(Order(order_id, items, status, created, items[0].user_id, self.uuid()))
        return out

    def _aoi_for(self, kind: str) -> Optional[tuple]:
        """(AOI, its archive items) of the next AOI fit for an item of this type."""
        catalog = self.p.catalog
        for _ in range(min(catalog.aoi_count, 200)):
            index = self.next_aoi % catalog.aoi_count
            self.next_aoi += 1
            images = self.p.archive.items_of_aoi(index)
            firefly = images and images[0].code in FIREFLY
            if images and (kind == "ARCHIVE" or firefly):
                return catalog.aoi_at(index), images
        return None

    def item(self, order_id: str, number: int, n: int, kind: str, status: str,
             delivery: Optional[str]) -> Optional[OrderItem]:
        found = self._aoi_for(kind)
        if found is None:
            return None
        aoi, images = found
        rng = self.rng
        geometry = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": aoi["geometry"], "properties": {}}]}
        area = geometry_area_km2(geometry)
        common = {"id": self.uuid(), "order_id": order_id, "type": kind, "status": status,
                  "name": f"{aoi['name']} \u2013 {kind.lower()}", "project_id": aoi["project_id"],
                  "user_id": aoi["user_id"], "usecase": "agriculture", "geometry": geometry,
                  "area_km2": area, "transaction_id": self.uuid(),
                  "payment_status": {"FAILED": "REFUND", "CANCELLED": "REFUND",
                                     "DRAFT": "UNPAID"}.get(status, "PAID")}
        if delivery:
            common["cloud_delivery"] = {"config": self.uuid(), "path": f"pixxel/order-{number}/"}
            common["delivery_outcome"] = delivery
        if kind == "ARCHIVE":
            created = max(i.produced for i in images) + timedelta(days=rng.randint(5, 60))
            item = OrderItem(created=created, quote=quote(kind, area, images),
                             archive_images=tuple(images), **common)
            task_status = {"FULFILLED": "FULFILLED", "DRAFT": "DRAFT"}[status]
            item.tasks = [Task(self.uuid(), "ARCHIVE", task_status, created,
                               images=[i] if task_status == "FULFILLED" else [])
                          for i in images]
            return item
        return self._tasking(common, kind, status, images, rng)

    def _tasking(self, common: dict, kind: str, status: str, images: list,
                 rng: random.Random) -> OrderItem:
        captures = sorted(images[:1] if kind == "TASKING" else images, key=lambda i: i.acquired)
        if status in ("ACTIVE", "CANCELLED", "FAILED"):
            captures = []  # nothing captured (yet)
        # One window around each capture (a recurring item's last one expired unfulfilled when
        # partially fulfilled); an item without captures waits for one after the epoch.
        moments = [c.acquired for c in captures] or [EPOCH + timedelta(days=rng.randint(3, 20))]
        if status == "PARTIALLY_FULFILLED":
            moments.append(moments[-1] + timedelta(days=30))
        windows = tuple((_midnight(m - timedelta(days=rng.randint(2, 6))),
                         _midnight(m + timedelta(days=rng.randint(6, 10)))) for m in moments)
        recurrence = "ONCE" if kind == "TASKING" else "MONTHLY"
        bands = len(images[0].spec.wavelengths_nm)
        start = windows[0][0]
        bandset = next((b for b in self.p.bandsets if len(b["bands"]) == bands),
                       self.p.bandsets[0])
        cloud, nadir = rng.choice((20, 15, 10)), rng.choice((20, 25, 10))
        box = images[0].box
        item = OrderItem(created=start - timedelta(days=rng.randint(2, 10)), bandset=bandset,
                         recurrence=recurrence, occurrences=windows, cloud_cover=cloud,
                         off_nadir=nadir, feasibility=feasibility(box, windows[0], cloud, nadir),
                         quote=quote(kind, common["area_km2"], [], bands=len(bandset["bands"]),
                                     occurrences=len(windows), cloud_cover=cloud,
                                     off_nadir=nadir), **common)
        if status == "FAILED":
            item.feasibility = "FAILED"
        for index, window in enumerate(windows):
            delivered = captures[index:index + 1]
            task_status = "FULFILLED" if delivered else {
                "PARTIALLY_FULFILLED": "EXPIRED", "ACTIVE": "IN_PROGRESS", "FAILED": "FAILED",
                "CANCELLED": "CANCELLED"}[status]
            item.tasks.append(Task(self.uuid(), "TASKING", task_status, item.created,
                                   window=window, images=list(delivered)))
        return item
