"""The background tasks of archive search, previews and ordering (the rules of tasks.py: plain
inputs, `run()` never raises, `completed(task)` from finished() on the main thread).

PlaceOrderTask is the one task that spends money. It cannot be cancelled from QGIS' task
manager (a cancel after the request left could not take the order back, only hide its outcome),
it carries a `key` so that TaskRegistry refuses a second one for the same captures while it
runs, and it sends the order once (core/pixxel/ordering.py): `.error` is then an
OrderOutcomeUnknownError whenever Pixxel may have placed it anyway.
"""

from pathlib import Path
from typing import Any, List, Optional, Tuple

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ..imagery.previews import PreviewError, fetch_preview
from ..pixxel.api import PixxelClient
from ..pixxel.archive import MAX_PAGES, PAGE_SIZE, ArchiveClient, ArchiveSearch
from ..pixxel.archive_models import ArchiveItem, Bandset, Collection, Order
from ..pixxel.errors import or_else
from ..pixxel.models import Project
from ..pixxel.ordering import ArchiveOrderRequest, Quote, place_order, quote_order
from ..pixxel.redaction import pixxel_logger
from .archive_layers import add_preview_layer
from .connection import Connection
from .i18n import tr
from .tasks import PixxelTask, _unexpected_error

log = pixxel_logger()


class ArchiveSearchTask(PixxelTask):
    """A search, page by page: `pageReady(list[ArchiveItem])` for each page as it arrives;
    afterwards `.items` and `.truncated` (more pages existed than `max_pages`)."""

    pageReady = pyqtSignal(object)  # noqa: N815 - Qt signal naming

    def __init__(
        self, connection: Connection, search: ArchiveSearch, *, page_size: int = PAGE_SIZE,
        max_pages: int = MAX_PAGES,
    ) -> None:
        super().__init__(tr("Searching Pixxel's archive"), connection)
        self.search = search
        self.page_size = page_size
        self.max_pages = max_pages
        self.items: List[ArchiveItem] = []
        self.truncated = False

    def work(self, client: PixxelClient) -> None:
        pages = ArchiveClient(client).iter_pages(
            self.search, page_size=self.page_size, max_pages=self.max_pages,
            on_truncated=self._truncated,
        )
        for number, page in enumerate(pages, 1):
            self.items.extend(page)
            self.pageReady.emit(page)
            self.setProgress(min(99.0, 100.0 * number / self.max_pages))

    def _truncated(self) -> None:
        self.truncated = True


class CollectionsTask(PixxelTask):
    """The archive's collections, for the search form. `.collections` afterwards."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(tr("Reading Pixxel's archive collections"), connection)
        self.collections: List[Collection] = []

    def work(self, client: PixxelClient) -> None:
        self.collections = ArchiveClient(client).collections()


class OrderOptionsTask(PixxelTask):
    """What the order dialog offers: the projects the key sees and Pixxel's bandsets (without
    bandsets the dialog still orders every band, so their failure is only logged)."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(tr("Reading Pixxel's order options"), connection)
        self.projects: List[Project] = []
        self.bandsets: List[Bandset] = []

    def work(self, client: PixxelClient) -> None:
        self.projects = client.projects()
        self.bandsets = or_else(ArchiveClient(client).bandsets, [],
                                "Pixxel's bandsets are unavailable: %s")


class OrderQuoteTask(PixxelTask):
    """A dry run: the price and feasibility of an order, nothing ordered. `.quote` afterwards."""

    def __init__(self, connection: Connection, request: ArchiveOrderRequest) -> None:
        super().__init__(tr("Pricing a Pixxel order"), connection)
        self.request = request
        self.quote: Optional[Quote] = None

    def work(self, client: PixxelClient) -> None:
        self.quote = quote_order(client, self.request)


class PlaceOrderTask(PixxelTask):
    """Places the order a dry run priced, once. `.order` afterwards, or `.error`."""

    def __init__(self, connection: Connection, quote: Quote) -> None:
        # No flags, so no CanCancel: see the module docstring. (Flag(0): Qt 6 has no Flags().)
        super().__init__(tr("Placing a Pixxel order"), connection, QgsTask.Flag(0))
        self.quote = quote
        self.key: Tuple[str, frozenset] = order_key(quote.request.item_ids)
        self.order: Optional[Order] = None

    def work(self, client: PixxelClient) -> None:
        self.order = place_order(client, self.quote)

    def finished(self, ok: bool) -> None:
        if self.order is not None:
            log.info("Pixxel order %s placed (%s).", self.order.id, self.order.status)
        elif self.error is not None:
            log.warning("Placing a Pixxel order failed: %s", self.error)
        super().finished(ok)


def order_key(item_ids: Any) -> Tuple[str, frozenset]:
    """What makes two orders "the same" for TaskRegistry: the captures ordered."""
    return ("order", frozenset(item_ids))


class PreviewTask(PixxelTask):
    """An item's thumbnail fetched and georeferenced in the worker (core/imagery/previews.py),
    put on the map in finished(). `.path` and `.layer` afterwards."""

    def __init__(self, connection: Connection, item: ArchiveItem, folder: Path) -> None:
        super().__init__(tr("Fetching a Pixxel preview"), connection)
        self.item = item
        self.folder = Path(folder)
        self.path: Optional[Path] = None
        self.layer: Any = None

    def work(self, client: PixxelClient) -> None:
        # The gateway only: the thumbnail link is signed, the key never goes to storage.
        self.path = fetch_preview(client.gateway, self.item, self.folder,
                                  is_cancelled=self.isCanceled)

    def finished(self, ok: bool) -> None:
        if ok and self.path is not None:
            try:
                self.layer = add_preview_layer(self.path, self.item)
                if self.layer is None:
                    self.error = PreviewError(tr("QGIS cannot read the preview of {item}.")
                                              .format(item=self.item.id))
            # Nothing may escape into QGIS' task manager; the user learns through `.error`.
            except BaseException as error:
                self.error = _unexpected_error(error, tr("Adding the preview"))
        super().finished(ok)


def preview_folder() -> Path:
    """Where previews are kept: `<QGIS profile>/pixxel/previews`. Main thread."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "pixxel" / "previews"
