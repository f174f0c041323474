"""Purchased imagery and ordering endpoints: orders, order items, bandsets, catalogs and their
downloads (data model in ``orders.py``, order placing in ``ordering.py``).

Catalog downloads reuse the AOI downloads' machinery (``downloads.DownloadRegistry``): the same
pending -> ready rule (``ready_after_polls``/``ready_after_seconds``), the same freshly signed
storage URLs, the same faults. A catalog is always delivered as a zip of its product's six files;
several catalogs (or an order item's) as one bundle zip.

Spec choices and inconsistencies:
* ``POST /v0/catalogs/download``: the schema *requires* both ``catalog_ids`` and
  ``order_item_ids`` while its description says to populate only one; API.md says one *or* the
  other. An absent key counts as empty; both non-empty, or both empty, is a 400.
* Catalog download status: the spec's lower-case ``created`` (POST), ``in_progress`` (polls),
  ``success``, ``failed``; ``catalog_status_case="upper"`` serves them upper-case, like the AOI
  downloads' examples.
* ``delivery_status``: the schema enum is UNSPECIFIED/CREATED/FAILED/IN_PROGRESS/SUCCESS but the
  examples say ``SUCCESSFUL``, and a task's field adds a second enum (PENDING, SUCCESSFUL, FAILED,
  NOT_APPLICABLE) that only FAILED satisfies together with the first. ``delivery_status_style``
  "enum" (default, schema-valid): catalogs carry the DeliveryStatus enum, tasks carry the field
  only when it is FAILED; "example": SUCCESSFUL/PENDING/NOT_APPLICABLE as the examples show.
* Timestamps as the examples give them: orders ``+00:00``, order items, tasks and catalogs ``Z``,
  task dates ``DD-MM-YYYY``. Fields without a value are served as the zero value ("" or 0), as
  Pixxel's Go server does; an absent ``cloud_delivery`` is left out.
* ``limit`` of a catalog search defaults to 2, as the spec says.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from . import ordering, stac
from .answers import (
    ApiError,
    body_paging,
    checked_body,
    csv_param,
    iso_offset,
    iso_z,
    ok,
    page,
    pagination,
    paging,
)
from .archive import clerk_item, search_filter
from .catalog import ORG_ID
from .downloads import CATALOG_SCOPE, FAILED, SUCCESS, Download
from .orders import Order, OrderItem, PurchasedCatalog, Task

EXAMPLE_DELIVERY = {"SUCCESS": "SUCCESSFUL", "IN_PROGRESS": "PENDING", "CREATED": "PENDING",
                    "UNSPECIFIED": "NOT_APPLICABLE", "FAILED": "FAILED"}
CATALOG_FIELDS = ("created_at", "updated_at", "area", "id")

# -- rendering -------------------------------------------------------------------------------------


def render_order(order: Order) -> dict:
    paid = order.status in ("PAID", "REFUND")
    return {
        "id": order.id, "org_id": ORG_ID, "user_id": order.user_id,
        "created_at": iso_offset(order.created), "created_by": order.user_id,
        "updated_at": iso_offset(order.created), "updated_by": order.user_id,
        "paid_at": iso_offset(order.created) if paid else "", "status": order.status,
        "total_amount": order.total, "transaction_id": order.transaction_id,
        "order_items": [render_item(None, item, tasks=False) for item in order.items],
    }


def render_item(handler: Any, item: OrderItem, *, tasks: bool) -> dict:
    tasking = item.type != "ARCHIVE"
    windows = item.occurrences
    out = {
        "id": item.id, "order_id": item.order_id, "org_id": ORG_ID, "name": item.name,
        "type": item.type, "status": item.status, "project_id": item.project_id,
        "user_id": item.user_id, "usecase": item.usecase, "area": item.quote["area"],
        "number_of_bands": item.quote["number_of_bands"],
        "base_amount": item.quote["base_amount"], "final_amount": item.quote["final_amount"],
        "uplifts": item.quote["uplifts"], "payment_status": item.payment_status,
        "tokens_used": round(item.quote["final_amount"]) if item.payment_status == "PAID" else 0,
        "transaction_id": item.transaction_id, "image_type": "VNIR",
        "delivery_speed": "STANDARD" if tasking else "NOT_APPLICABLE",
        "recurrence": item.recurrence, "cloud_cover": item.cloud_cover,
        "off_nadir": item.off_nadir, "feasibility_status": item.feasibility,
        "last_feasibility_check": iso_z(item.created) if tasking else "",
        "start_date": iso_z(windows[0][0]) if windows else "",
        "end_date": iso_z(windows[-1][1]) if windows else "",
        "no_of_occurrences": len(windows) if item.type == "RECURRING" else 0,
        "occurrences": [{"start": iso_offset(s), "end": iso_offset(e)} for s, e in windows]
        if item.type == "RECURRING" else [],
        "images": [{"item_id": image.id, "geometry": image.geometry} for image in _images(item)],
        "created_at": iso_z(item.created), "created_by": item.user_id,
        "updated_at": iso_z(_updated(item)), "updated_by": item.user_id,
    }
    if item.bandset:
        out["bandset"] = {"bandset_id": item.bandset["id"], "bands": item.bandset["bands"],
                          "custom": []}
    if item.cloud_delivery:
        out["cloud_delivery"] = dict(item.cloud_delivery)
    if tasks:
        out["tasks"] = [render_task(handler, item, task) for task in item.tasks]
        out["validation_errors"] = []
    return out


def render_task(handler: Any, item: OrderItem, task: Task) -> dict:
    window = task.window
    out = {
        "id": task.id, "order_item_id": item.id, "type": task.type, "status": task.status,
        "start_date": f"{window[0]:%d-%m-%Y}" if window else "",
        "end_date": f"{window[1]:%d-%m-%Y}" if window else "",
        "number_of_strips": len(task.images) if task.type == "TASKING" else 0,
        "tokens_used": round(item.quote["final_amount"] / max(1, len(item.tasks)))
        if task.status == "FULFILLED" else 0,
        "transaction_id": item.transaction_id, "created_at": iso_z(task.created),
        "created_by": item.user_id, "updated_at": iso_z(_updated(item)),
        "updated_by": item.user_id,
    }
    status = _task_delivery(item, task)
    if handler.server.settings().delivery_status_style == "example":
        out["delivery_status"] = EXAMPLE_DELIVERY[status]
    elif status == "FAILED":  # the one value both of the spec's enums allow
        out["delivery_status"] = status
    return out


def render_catalog(handler: Any, found: PurchasedCatalog) -> dict:
    status = found.delivery_status
    if handler.server.settings().delivery_status_style == "example":
        status = EXAMPLE_DELIVERY[status]
    item = found.order_item
    return {
        "id": found.id, "task_id": found.task.id, "org_id": ORG_ID,
        "area": round(stac.area_km2(found.item.geometry), 2),
        "bandset_id": item.bandset["id"] if item.bandset else "",
        "delivery_status": status, "details": clerk_item(handler, found.item),
        "created_at": iso_z(found.created), "created_by": item.user_id,
        "updated_at": iso_z(found.created), "updated_by": item.user_id,
    }


def _images(item: OrderItem) -> list:
    if item.type == "ARCHIVE":
        return list(item.archive_images)
    return [image for task in item.tasks for image in task.images]


def _updated(item: OrderItem) -> Any:
    return max([c.created for c in item.delivered.values()] + [item.created])


def _task_delivery(item: OrderItem, task: Task) -> str:
    if not item.cloud_delivery:
        return "UNSPECIFIED"
    return item.delivery_outcome if task.status == "FULFILLED" else "IN_PROGRESS"


# -- orders ----------------------------------------------------------------------------------------


def _orders(handler: Any, *, query: dict, **_: Any) -> Any:
    purchases = handler.server.purchases
    purchases.tick()
    offset, limit = paging(query)
    users = set(csv_param(query, "user_id"))
    rows = [o for o in purchases.orders if not users or o.user_id in users]
    served = page(rows, offset, limit, handler.server.settings())
    return ok({"orders": [render_order(o) for o in served],
               "pagination": pagination(offset, limit, len(rows))})


def _order(handler: Any, order_id: str, **_: Any) -> Any:
    handler.server.purchases.tick()
    found = next((o for o in handler.server.purchases.orders if o.id == order_id), None)
    if found is None:
        raise ApiError(404, f"order {order_id} not found")
    return ok(render_order(found))


def _order_create(handler: Any, *, body: bytes, **_: Any) -> Any:
    order, dry_run = ordering.build_order(handler, body)
    if not dry_run:
        handler.server.purchases.place(order)
    return ok(render_order(order), 201)


def _order_items(handler: Any, *, query: dict, **_: Any) -> Any:
    purchases = handler.server.purchases
    purchases.tick()
    offset, limit = paging(query)
    rows = [i for i in purchases.order_items() if _item_filter(query)(i)]
    rows.sort(key=lambda i: i.created, reverse=True)
    served = page(rows, offset, limit, handler.server.settings())
    return ok({"order_items": [render_item(handler, i, tasks=True) for i in served],
               "pagination": pagination(offset, limit, len(rows))})


def _order_item(handler: Any, item_id: str, **_: Any) -> Any:
    handler.server.purchases.tick()
    found = next((i for i in handler.server.purchases.order_items() if i.id == item_id), None)
    if found is None:
        raise ApiError(404, f"order item {item_id} not found")
    return ok(render_item(handler, found, tasks=True))


def _item_filter(query: dict) -> Any:
    """The order-item list filters: comma-separated lists; ranges as ``a/b`` or ``a,b``."""
    tests = []
    for name, read in (("ids", lambda i: i.id), ("order_ids", lambda i: i.order_id),
                       ("project_ids", lambda i: i.project_id), ("user_id", lambda i: i.user_id),
                       ("created_by", lambda i: i.user_id)):
        wanted = set(csv_param(query, name))
        if wanted:
            tests.append(lambda i, w=wanted, r=read: r(i) in w)
    for name in ("type", "status"):
        wanted = {value.upper() for value in csv_param(query, name)}
        if wanted:
            tests.append(lambda i, w=wanted, n=name: getattr(i, n) in w)
    if query.get("created_at"):
        when = stac.interval_filter(query["created_at"].replace(",", "/"), field="created_at")
        tests.append(lambda i: when(i.created))
    if query.get("area"):
        low, high = _number_range(query["area"])
        tests.append(lambda i: low <= i.quote["area"] <= high)
    return lambda item: all(test(item) for test in tests)


def _number_range(text: str) -> tuple:
    parts = re.split(r"[,/]", text, maxsplit=1) + [""]
    try:
        return (float(parts[0]) if parts[0].strip() not in ("", "..") else float("-inf"),
                float(parts[1]) if parts[1].strip() not in ("", "..") else float("inf"))
    except ValueError:
        raise ApiError(400, f"area must be a range 'min,max' in km², got {text!r}") from None


def _bandsets(handler: Any, **_: Any) -> Any:
    return ok({"bandsets": handler.server.purchases.bandsets})


# -- catalogs --------------------------------------------------------------------------------------


def _catalogs_search(handler: Any, *, body: bytes, **_: Any) -> Any:
    purchases = handler.server.purchases
    purchases.tick()
    data = checked_body(body, "POST", "/v0/catalogs/search")
    offset, limit = body_paging(data, 2)
    stac_test = search_filter({key: data.get(key) for key in
                               ("collections", "bbox", "intersects", "datetime", "query")})
    tests = [lambda c: stac_test(c.item)]
    for name, read in (("ids", lambda c: c.id), ("item_ids", lambda c: c.item.id),
                       ("order_ids", lambda c: c.order_item.order_id),
                       ("order_item_ids", lambda c: c.order_item.id)):
        if data.get(name):
            tests.append(lambda c, w=set(data[name]), r=read: r(c) in w)
    rows = [c for c in purchases.catalogs() if all(test(c) for test in tests)]
    if data.get("sort_by"):
        keys = [(field, order == "DESC") for entry in data["sort_by"]
                for field, order in entry.items()]
        rows = stac.sort_rows(rows, keys, _catalog_value)
    served = page(rows, offset, limit, handler.server.settings())
    return ok({"catalogs": [render_catalog(handler, c) for c in served],
               "pagination": pagination(offset, limit, len(rows))})


def _catalog_value(found: PurchasedCatalog, field: str) -> Any:
    if field in ("created_at", "updated_at"):
        return found.created
    if field == "area":
        return stac.area_km2(found.item.geometry)
    if field == "id":
        return found.id
    return found.item.search_properties().get(stac.property_name(field))


def _catalog(handler: Any, catalog_id: str, **_: Any) -> Any:
    handler.server.purchases.tick()
    found = next((c for c in handler.server.purchases.catalogs() if c.id == catalog_id), None)
    if found is None:
        raise ApiError(404, f"catalog {catalog_id} not found")
    return ok(render_catalog(handler, found))


def _download_create(handler: Any, *, body: bytes, **_: Any) -> Any:
    data = checked_body(body, "POST", "/v0/catalogs/download",
                        defaults={"catalog_ids": [], "order_item_ids": []})
    catalog_ids, item_ids = list(dict.fromkeys(data["catalog_ids"])), \
        list(dict.fromkeys(data["order_item_ids"]))
    if catalog_ids and item_ids:
        raise ApiError(400, "supply catalog_ids or order_item_ids, not both",
                       {"catalog_ids": len(catalog_ids), "order_item_ids": len(item_ids)})
    if not catalog_ids and not item_ids:
        raise ApiError(400, "one of catalog_ids or order_item_ids must be non-empty")
    chosen = _catalogs_for(handler.server.purchases, catalog_ids, item_ids)
    specs = {c.item.id: dataclasses.replace(c.item.spec, delivery="zip") for c in chosen}
    download = handler.server.downloads.create(CATALOG_SCOPE, catalog_ids or item_ids,
                                               list(specs.values()))
    return _download_reply(handler, download, 201, poll=False)


def _catalogs_for(purchases: Any, catalog_ids: list, item_ids: list) -> list:
    catalogs = purchases.catalogs()
    if catalog_ids:
        by_id = {c.id: c for c in catalogs}
        unknown = [i for i in catalog_ids if i not in by_id]
        if unknown:
            raise ApiError(400, "catalog ids not found in this workspace",
                           {"catalog_ids": unknown})
        return [by_id[i] for i in catalog_ids]
    items = {i.id: i for i in purchases.order_items()}
    unknown = [i for i in item_ids if i not in items]
    if unknown:
        raise ApiError(400, "order item ids not found in this workspace",
                       {"order_item_ids": unknown})
    chosen = [c for c in catalogs if c.order_item.id in set(item_ids)]
    empty = {i: items[i].status for i in item_ids
             if not any(c.order_item.id == i for c in chosen)}
    if empty:
        raise ApiError(400, "order items without delivered catalogs cannot be downloaded",
                       {"order_item_statuses": empty})
    return chosen


def _download_status(handler: Any, download_id: str, **_: Any) -> Any:
    download = handler.server.downloads.find(CATALOG_SCOPE, download_id)
    if download is None:
        raise ApiError(404, f"download {download_id} not found")
    return _download_reply(handler, download, 200, poll=True)


def _download_reply(handler: Any, download: Download, status: int, *, poll: bool) -> Any:
    state, url = handler.server.downloads.answer(download, poll=poll)
    text = {SUCCESS: "success", FAILED: "failed"}.get(state, "in_progress" if poll else "created")
    if handler.server.settings().catalog_status_case == "upper":
        text = text.upper()
    return ok({"id": download.id, "signed_url": url, "status": text}, status)


ROUTES = (
    ("GET", re.compile(r"^/v0/orders$"), "orders", _orders),
    ("POST", re.compile(r"^/v0/orders$"), "order_create", _order_create),
    ("GET", re.compile(r"^/v0/orders/([^/]+)$"), "order", _order),
    ("GET", re.compile(r"^/v0/order-items$"), "order_items", _order_items),
    ("GET", re.compile(r"^/v0/order-items/([^/]+)$"), "order_item", _order_item),
    ("GET", re.compile(r"^/v0/bandsets$"), "bandsets", _bandsets),
    ("POST", re.compile(r"^/v0/catalogs/search$"), "catalogs_search", _catalogs_search),
    ("POST", re.compile(r"^/v0/catalogs/download$"), "catalog_download_create",
     _download_create),
    ("GET", re.compile(r"^/v0/catalogs/download/([^/]+)$"), "catalog_download_status",
     _download_status),
    ("GET", re.compile(r"^/v0/catalogs/([^/]+)$"), "catalog", _catalog),
)
