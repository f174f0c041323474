"""Purchased imagery through the Pixxel API: the workspace's orders, order items and catalogs, and
catalog downloads. Functions taking a PixxelClient, so every call has its key handling, retries,
paging rules and error messages (api.py); the records are purchased_models.py's.

    with PixxelClient(key) as client:
        for item in iter_order_items(client, status="FULFILLED"):
            ...
        status = create_catalog_download(client, order_item_ids=[item.order_item_id])

Endpoints: `GET /v0/orders`, `GET /v0/orders/{id}`, `GET /v0/order-items` (filters `ids`,
`order_ids`, `type`, `status`, `project_ids`: comma-separated), `GET /v0/order-items/{id}`,
`POST /v0/catalogs/search` (paging and filters in the JSON body; the spec's default page is two
rows, so `limit` is always sent), `GET /v0/catalogs/{id}`, `POST /v0/catalogs/download` and
`GET /v0/catalogs/download/{download_id}`.

A catalog download names catalogs *or* order items, never both: the spec's schema requires both
lists while its text says to fill only one, so the other is sent empty.

Pure Python (no Qt).
"""

from typing import Any, Dict, Iterator, List, Optional, Sequence

from .api import PAGE_SIZE, PixxelClient, _segment
from .models import Page
from .purchased_models import Catalog, CatalogDownloadStatus, Order, OrderItem

CATALOG_IDS = "catalog_ids"
ORDER_ITEM_IDS = "order_item_ids"


def _ids(values: Optional[Sequence[str]]) -> List[str]:
    """A list of non-empty ids, first occurrence kept ("a" alone counts as one id)."""
    items = [values] if isinstance(values, str) else list(values or ())
    return list(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))


# --- orders -------------------------------------------------------------------------------------


def order_page(client: PixxelClient, offset: int = 0, limit: int = PAGE_SIZE, *,
               user_id: Optional[str] = None) -> Page[Order]:
    params: Dict[str, Any] = {"offset": offset, "limit": limit}
    if user_id:
        params["user_id"] = user_id
    body = client.get_json("/v0/orders", params)
    return client.parse(Page.from_json, body, "orders", Order.from_json, offset)


def iter_orders(client: PixxelClient, *, user_id: Optional[str] = None,
                page_size: int = PAGE_SIZE) -> Iterator[Order]:
    """Every order of the workspace (newest first, as Pixxel lists them)."""
    return client.iter_pages(lambda offset: order_page(client, offset, page_size,
                                                       user_id=user_id),
                             lambda order: order.order_id, "orders")


def orders(client: PixxelClient, **filters: Any) -> List[Order]:
    return list(iter_orders(client, **filters))


def order(client: PixxelClient, order_id: str) -> Order:
    return client.parse(Order.from_json, client.get_json(f"/v0/orders/{_segment(order_id)}"))


# --- order items --------------------------------------------------------------------------------


def order_item_page(client: PixxelClient, offset: int = 0, limit: int = PAGE_SIZE, *,
                    ids: Optional[Sequence[str]] = None,
                    order_ids: Optional[Sequence[str]] = None,
                    project_ids: Optional[Sequence[str]] = None,
                    type: Optional[str] = None,  # noqa: A002 - the API's filter name
                    status: Optional[str] = None) -> Page[OrderItem]:
    """One page of order items. `type` and `status` may list several values, comma-separated;
    Pixxel spells them upper-case (they are sent so)."""
    params: Dict[str, Any] = {"offset": offset, "limit": limit}
    for name, values in (("ids", ids), ("order_ids", order_ids), ("project_ids", project_ids)):
        if _ids(values):
            params[name] = ",".join(_ids(values))
    for name, value in (("type", type), ("status", status)):
        words = _ids(value.split(",")) if value else []
        if words:
            params[name] = ",".join(word.upper() for word in words)
    body = client.get_json("/v0/order-items", params)
    return client.parse(Page.from_json, body, "order_items", OrderItem.from_json, offset)


def iter_order_items(client: PixxelClient, *, page_size: int = PAGE_SIZE,
                     **filters: Any) -> Iterator[OrderItem]:
    """Every order item matching the filters of order_item_page()."""
    return client.iter_pages(lambda offset: order_item_page(client, offset, page_size, **filters),
                             lambda item: item.order_item_id, "order items")


def order_items(client: PixxelClient, **filters: Any) -> List[OrderItem]:
    return list(iter_order_items(client, **filters))


def order_item(client: PixxelClient, order_item_id: str) -> OrderItem:
    path = f"/v0/order-items/{_segment(order_item_id)}"
    return client.parse(OrderItem.from_json, client.get_json(path))


# --- catalogs -----------------------------------------------------------------------------------


def catalog_page(client: PixxelClient, offset: int = 0, limit: int = PAGE_SIZE, *,
                 ids: Optional[Sequence[str]] = None,
                 item_ids: Optional[Sequence[str]] = None,
                 order_ids: Optional[Sequence[str]] = None,
                 order_item_ids: Optional[Sequence[str]] = None,
                 collections: Optional[Sequence[str]] = None,
                 search: Optional[Dict[str, Any]] = None) -> Page[Catalog]:
    """One page of the workspace's catalogs. `search` adds other fields of the search body
    (STAC `bbox`, `intersects`, `datetime`, `query`, `sort_by`) as they are."""
    body: Dict[str, Any] = dict(search or {})
    for name, values in (("ids", ids), ("item_ids", item_ids), ("order_ids", order_ids),
                         ("order_item_ids", order_item_ids), ("collections", collections)):
        if _ids(values):
            body[name] = _ids(values)
    body.update(offset=offset, limit=limit)
    answer = client.post_json("/v0/catalogs/search", body)
    return client.parse(Page.from_json, answer, "catalogs", Catalog.from_json, offset)


def iter_catalogs(client: PixxelClient, *, page_size: int = PAGE_SIZE,
                  **filters: Any) -> Iterator[Catalog]:
    """Every catalog matching the filters of catalog_page()."""
    return client.iter_pages(lambda offset: catalog_page(client, offset, page_size, **filters),
                             lambda found: found.catalog_id, "catalogs")


def catalogs(client: PixxelClient, **filters: Any) -> List[Catalog]:
    return list(iter_catalogs(client, **filters))


def catalog(client: PixxelClient, catalog_id: str) -> Catalog:
    path = f"/v0/catalogs/{_segment(catalog_id)}"
    return client.parse(Catalog.from_json, client.get_json(path))


# --- catalog downloads --------------------------------------------------------------------------


def create_catalog_download(client: PixxelClient, *,
                            catalog_ids: Optional[Sequence[str]] = None,
                            order_item_ids: Optional[Sequence[str]] = None
                            ) -> CatalogDownloadStatus:
    """Ask Pixxel to prepare a download of catalogs, or of every catalog of order items (one
    zip). Exactly one of the two lists must hold ids (ValueError otherwise). The answer may be
    ready or pending: poll catalog_download_status() until it is final."""
    catalogs_asked, items_asked = _ids(catalog_ids), _ids(order_item_ids)
    if bool(catalogs_asked) == bool(items_asked):
        raise ValueError("a catalog download names catalog ids or order item ids: exactly one")
    body = {CATALOG_IDS: catalogs_asked, ORDER_ITEM_IDS: items_asked}
    return client.parse(CatalogDownloadStatus.from_json,
                        client.post_json("/v0/catalogs/download", body))


def catalog_download_status(client: PixxelClient, download_id: str) -> CatalogDownloadStatus:
    path = f"/v0/catalogs/download/{_segment(download_id)}"
    return client.parse(CatalogDownloadStatus.from_json, client.get_json(path))
