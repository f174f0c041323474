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

from dataclasses import dataclass
from typing import Any, Callable, Dict, Generic, Iterator, List, Optional, Sequence, TypeVar

from .api import PAGE_SIZE, PixxelClient, _segment
from .models import Page
from .purchased_models import Catalog, CatalogDownloadStatus, Order, OrderItem

T = TypeVar("T")

CATALOG_IDS = "catalog_ids"
ORDER_ITEM_IDS = "order_item_ids"


def _ids(values: Optional[Sequence[str]]) -> List[str]:
    """A list of non-empty ids, first occurrence kept ("a" alone counts as one id)."""
    items = [values] if isinstance(values, str) else list(values or ())
    return list(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))


def _get(client: PixxelClient, build: Callable[[Any], T], path: str) -> T:
    return client.parse(build, client.get_json(path))


@dataclass(frozen=True)
class Resource(Generic[T]):
    """One of the workspace's listed resources (orders, order items, catalogs), which differ only
    in how a page is asked for: `page(client, offset, limit, **filters)`. `key` tells a row's id
    (paging drops rows seen before), `what` names the rows in messages, `path` + "/" + id is one
    row."""

    page: Callable[..., Page[T]]
    key: Callable[[T], str]
    what: str
    path: str
    build: Callable[[Any], T]

    def every(self, client: PixxelClient, *, page_size: int = PAGE_SIZE,
              **filters: Any) -> Iterator[T]:
        """Every row matching the filters of `page`, by the client's paging rules."""
        return client.iter_pages(lambda offset: self.page(client, offset, page_size, **filters),
                                 self.key, self.what)

    def all(self, client: PixxelClient, **filters: Any) -> List[T]:
        return list(self.every(client, **filters))

    def one(self, client: PixxelClient, ident: str) -> T:
        return _get(client, self.build, f"{self.path}/{_segment(ident)}")


# --- orders -------------------------------------------------------------------------------------


def order_page(client: PixxelClient, offset: int = 0, limit: int = PAGE_SIZE, *,
               user_id: Optional[str] = None) -> Page[Order]:
    params: Dict[str, Any] = {"offset": offset, "limit": limit}
    if user_id:
        params["user_id"] = user_id
    body = client.get_json("/v0/orders", params)
    return client.parse(Page.from_json, body, "orders", Order.from_json, offset)


ORDERS = Resource(order_page, lambda row: row.order_id, "orders", "/v0/orders", Order.from_json)
iter_orders, orders, order = ORDERS.every, ORDERS.all, ORDERS.one


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


ORDER_ITEMS = Resource(order_item_page, lambda row: row.order_item_id, "order items",
                       "/v0/order-items", OrderItem.from_json)
iter_order_items, order_items, order_item = ORDER_ITEMS.every, ORDER_ITEMS.all, ORDER_ITEMS.one


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


CATALOGS = Resource(catalog_page, lambda row: row.catalog_id, "catalogs", "/v0/catalogs",
                    Catalog.from_json)
iter_catalogs, catalogs, catalog = CATALOGS.every, CATALOGS.all, CATALOGS.one


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
    return _get(client, CatalogDownloadStatus.from_json, path)
