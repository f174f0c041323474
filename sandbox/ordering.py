"""``POST /v0/orders``: checking an order request, pricing it, and placing it (unless a dry run).

An order item with ``item_ids`` is an ARCHIVE item; without, a tasking item: TASKING when
``recurrence`` is ONCE, RECURRING for MONTHLY/BIMONTHLY/QUARTERLY. Tasking needs ``bandset``,
``start_date`` (not in the past) and ``end_date`` (or, recurring, ``no_of_occurrences``), as the
spec's field descriptions say. A dry run answers the priced order with empty ids, status UNPAID
and DRAFT items, and stores nothing; its answer is 201 like a placed order's, the only success
status the spec declares. A tasking item whose feasibility is FAILED is refused (400) unless
it is a dry run. Keys listed in ``viewer_keys`` may read everything but get 403 here.

Spec choice: a feature's geometry may be a MultiPolygon (the schema's ``type`` enum), although
the schema's ``coordinates`` only describe a Polygon; each of its polygons is checked as one.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any, Optional

from . import stac
from .answers import ApiError, checked_body, utc_now
from .catalog import USER_IDS
from .orders import (
    MAX_OCCURRENCES,
    Order,
    OrderItem,
    Task,
    feasibility,
    geometry_area_km2,
    occurrence_windows,
    quote,
)

FEASIBILITY_RANK = ("SUCCESS", "WEAK_SUCCESS", "FAILED")


def build_order(handler: Any, body: bytes) -> tuple:
    """(Order, dry_run) for a request; raises ApiError 403/400."""
    config = handler.server.settings()
    if handler.key in config.viewer_keys:
        raise ApiError(403, "this API key may not place orders: its service account has no "
                            "ordering permission", {"permission": "orders:create"})
    data = checked_body(body, "POST", "/v0/orders", view=_polygons_only)
    dry_run = bool(data.get("dry_run", False))
    if not data["order_items"]:
        raise ApiError(400, "order_items must hold at least one order item")
    now = utc_now()
    order_id = "" if dry_run else str(uuid.uuid4())
    problems: dict = {}
    items = []
    for index, request in enumerate(data["order_items"]):
        try:
            items.append(_order_item(handler, request, index, order_id, now, dry_run))
        except ApiError as exc:
            problems[f"order_items[{index}]"] = exc.details or exc.message
    if problems:
        raise ApiError(400, "order items are invalid", problems)
    if not dry_run:
        refused = {f"order_items[{i}]": item.feasibility for i, item in enumerate(items)
                   if item.feasibility == "FAILED"}
        if refused:
            raise ApiError(400, "tasking is not feasible: relax cloud cover, off-nadir or the "
                                "dates (try dry_run first)", {"feasibility_status": refused})
    status = "UNPAID" if dry_run else "PAID"
    return Order(order_id, items, status, now, USER_IDS[0],
                 "" if dry_run else str(uuid.uuid4())), dry_run


def _order_item(handler: Any, request: dict, index: int, order_id: str, now: datetime,
                dry_run: bool) -> OrderItem:
    purchases = handler.server.purchases
    projects = {p["id"] for p in handler.server.catalog.projects}
    if request["project_id"] not in projects:
        raise ApiError(400, "unknown project", [f"project_id {request['project_id']!r} is not a "
                                                f"project of this workspace"])
    geometry = request["geometry"]
    _check_geometry(geometry)
    area = geometry_area_km2(geometry)
    common = {
        "id": "" if dry_run else str(uuid.uuid4()), "order_id": order_id,
        "status": "DRAFT" if dry_run else "ACTIVE", "name": request.get("name") or
        f"Order item {index + 1}", "project_id": request["project_id"], "user_id": USER_IDS[0],
        "usecase": request["usecase"], "geometry": geometry, "area_km2": area, "created": now,
        "payment_status": "UNPAID" if dry_run else "PAID",
        "transaction_id": "" if dry_run else str(uuid.uuid4()),
        "cloud_delivery": request.get("cloud_delivery"),
    }
    if request.get("item_ids"):
        images = []
        for item_id in dict.fromkeys(request["item_ids"]):
            image = handler.server.archive.item(item_id)
            if image is None:
                raise ApiError(400, "unknown archive item", [f"item_ids: {item_id!r} is not in "
                                                             f"the archive"])
            if not stac.intersects_box(_geometries(geometry), image.box):
                raise ApiError(400, "item outside the geometry",
                               [f"item_ids: {item_id!r} does not intersect the geometry"])
            images.append(image)
        item = OrderItem(type="ARCHIVE", quote=quote("ARCHIVE", area, images),
                         archive_images=tuple(images), **common)
        item.tasks = [] if dry_run else [Task(str(uuid.uuid4()), "ARCHIVE", "IN_PROGRESS", now,
                                              images=[image]) for image in images]
        return item
    return _tasking_item(purchases, request, common, now, dry_run)


def _tasking_item(purchases: Any, request: dict, common: dict, now: datetime,
                  dry_run: bool) -> OrderItem:
    errors = []
    recurrence = request.get("recurrence")
    if recurrence in (None, "NOT_APPLICABLE"):
        errors.append("recurrence is required for tasking (ONCE, MONTHLY, BIMONTHLY, QUARTERLY); "
                      "archive orders need item_ids")
    bandset = purchases.bandset((request.get("bandset") or {}).get("bandset_id", ""))
    if bandset is None:
        errors.append("bandset.bandset_id must be one of GET /v0/bandsets")
    start = _date(request, "start_date", errors)
    end = _date(request, "end_date", errors) if request.get("end_date") or recurrence == "ONCE" \
        else None
    count = request.get("no_of_occurrences") or 0
    if start and start.date() < now.date():
        errors.append("start_date is in the past")
    if start and end and end <= start:
        errors.append("end_date must be after start_date")
    if recurrence not in (None, "ONCE", "NOT_APPLICABLE") and not end and count < 1:
        errors.append("recurring orders need end_date or no_of_occurrences")
    cloud, nadir = request.get("cloud_cover", 20), request.get("off_nadir", 20)
    if not 0 <= cloud <= 100 or not 0 <= nadir <= 45:
        errors.append("cloud_cover must be 0-100 and off_nadir 0-45")
    if errors:
        raise ApiError(400, "invalid tasking order item", errors)
    windows = occurrence_windows(recurrence, start, end, count)
    if len(windows) > MAX_OCCURRENCES:
        raise ApiError(400, "too many occurrences", [f"at most {MAX_OCCURRENCES} occurrences"])
    box = stac.bbox_of_geometry(_geometries(common["geometry"]))
    verdict = max((feasibility(box, w, cloud, nadir) for w in windows),
                  key=FEASIBILITY_RANK.index)
    kind = "TASKING" if recurrence == "ONCE" else "RECURRING"
    item = OrderItem(type=kind, bandset=bandset, recurrence=recurrence, occurrences=windows,
                     cloud_cover=cloud, off_nadir=nadir, feasibility=verdict,
                     quote=quote(kind, common["area_km2"], [], bands=len(bandset["bands"]),
                                 occurrences=len(windows), cloud_cover=cloud, off_nadir=nadir),
                     **common)
    item.tasks = [] if dry_run else [Task(str(uuid.uuid4()), "TASKING", "IN_PROGRESS", now,
                                          window=w) for w in windows]
    return item


def _date(request: dict, name: str, errors: list) -> Optional[datetime]:
    if not request.get(name):
        errors.append(f"{name} is required for tasking")
        return None
    try:
        return stac.parse_time(request[name], field=name)
    except ApiError as exc:
        errors.append(exc.message)
        return None


def _check_geometry(collection: dict) -> None:
    problems = []
    if not collection.get("features"):
        problems.append("geometry.features must hold at least one feature")
    for n, feature in enumerate(collection.get("features") or ()):
        for rings in stac.polygons(feature["geometry"]):
            if not rings or any(len(r) < 4 or r[0] != r[-1] for r in rings):
                problems.append(f"geometry.features[{n}]: rings must be closed, 4+ positions")
    if not problems and geometry_area_km2(collection) <= 0:
        problems.append("geometry has no area")
    if problems:
        raise ApiError(400, "invalid geometry", problems)


def _geometries(collection: dict) -> dict:
    return {"type": "GeometryCollection",
            "geometries": [feature["geometry"] for feature in collection["features"]]}


def _polygons_only(data: dict) -> dict:
    """The body as validated: each MultiPolygon feature checked as its polygons (see above)."""
    view = copy.deepcopy(data)
    for item in view.get("order_items") or ():
        geometry = item.get("geometry") if isinstance(item, dict) else None
        features = geometry.get("features") if isinstance(geometry, dict) else None
        if not isinstance(features, list):
            continue
        split = []
        for feature in features:
            shape = feature.get("geometry") if isinstance(feature, dict) else None
            if isinstance(shape, dict) and shape.get("type") == "MultiPolygon" \
                    and isinstance(shape.get("coordinates"), list):
                split += [{**feature, "geometry": {"type": "Polygon", "coordinates": polygon}}
                          for polygon in shape["coordinates"]]
            else:
                split.append(feature)
        geometry["features"] = split
    return view
