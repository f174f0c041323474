"""The purchased-imagery listings as background tasks: one QgsTask per listing (orders, order
items or catalogs), page by page, with the rules of core/qgis/tasks.py (plain inputs, run()
never raises, `completed` from finished() on the main thread). Downloads go through the same
DownloadTask as an AOI's assets (a job of core/download/purchased_job.py)."""

from typing import Any, Dict, List, Optional

from qgis.PyQt.QtCore import pyqtSignal

from ..pixxel import purchased
from ..pixxel.api import PAGE_SIZE, PixxelClient
from .connection import Connection
from .i18n import tr
from .tasks import PixxelTask

ORDERS, ORDER_ITEMS, CATALOGS = "orders", "order_items", "catalogs"

_RESOURCES: Dict[str, purchased.Resource] = {
    ORDERS: purchased.ORDERS, ORDER_ITEMS: purchased.ORDER_ITEMS, CATALOGS: purchased.CATALOGS,
}


class PurchasedListTask(PixxelTask):
    """Every order, order item or catalog (`what`) of the workspace; `pageArrived` gives each
    page's new rows as they come (on the main thread), `.rows` holds them all at the end."""

    pageArrived = pyqtSignal(object)  # noqa: N815 - Qt signal naming; a list of rows

    def __init__(self, connection: Connection, what: str, *, page_size: int = PAGE_SIZE,
                 filters: Optional[Dict[str, Any]] = None) -> None:
        if what not in _RESOURCES:
            raise ValueError(f"nothing to list called {what!r}")
        descriptions = {ORDERS: tr("Listing Pixxel orders"),
                        ORDER_ITEMS: tr("Listing Pixxel order items"),
                        CATALOGS: tr("Listing Pixxel catalogs")}
        super().__init__(descriptions[what], connection)
        self.what = what
        self.page_size = page_size
        self.filters = dict(filters or {})
        self.rows: List[Any] = []
        self.total: Optional[int] = None

    def work(self, client: PixxelClient) -> None:
        # The API client's paging rules (advance by the rows received, stop at the total or at a
        # page with nothing new), with a signal per page.
        fetch, key = _RESOURCES[self.what].page, _RESOURCES[self.what].key
        seen: set = set()
        offset = 0
        while True:
            page = fetch(client, offset, self.page_size, **self.filters)
            fresh = [row for row in page.items if key(row) not in seen]
            seen.update(key(row) for row in fresh)
            self.rows.extend(fresh)
            if fresh:
                self.pageArrived.emit(fresh)
            self.total = page.total if page.total is not None else self.total
            offset += len(page.items)
            if page.total:
                self.setProgress(min(100.0, 100.0 * offset / page.total))
            if not fresh or (page.total is not None and offset >= page.total):
                break
        if self.total is None:
            self.total = len(self.rows)
