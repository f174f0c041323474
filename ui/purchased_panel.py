"""The dock's Purchased view: the workspace's order items (filtered by order) and catalogs, their
outlines in the "Pixxel purchases" layer, and a Download button for the selected rows.

Listing: three tasks (orders, order items, catalogs), one per listing, started through the
registry; rows appear page by page. The name purchased imagery is filed under
(core/download/kinds.filed_name) is decided here from what is listed, so a download asks
nothing more of Pixxel than an AOI's does. The dock starts the download (DownloadActions).
"""

import contextlib
from typing import Any, Dict, List, Optional, Tuple

from qgis.core import QgsApplication
from qgis.gui import QgsFilterLineEdit
from qgis.PyQt.QtCore import QItemSelection, QItemSelectionModel, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.download import kinds
from ..core.pixxel.errors import CancelledError
from ..core.pixxel.purchased_models import Catalog, OrderItem
from ..core.qgis.connection import Connection
from ..core.qgis.i18n import tr, tr_n
from ..core.qgis.purchased_tasks import CATALOGS, ORDER_ITEMS, ORDERS, PurchasedListTask
from .lifetime import OwnedTasks, alive, disconnect
from .purchased_footprints import PurchasedFootprints
from .purchased_model import (
    CAT_ACQUIRED,
    ITEM_START,
    RECORD_ROLE,
    CatalogTableModel,
    OrderItemTableModel,
    PurchasedFilterProxy,
    orders_of,
)
from .table_or_message import TableOrMessage
from .widgets import ElidedLabel, tool_button

PAGE_ITEMS, PAGE_CATALOGS = 0, 1


class PurchasedPanel(QWidget):
    """The dock gives it a connection to list with (list_purchases) and starts the downloads
    it asks for (downloadRequested)."""

    # (kind, ids, name, {id: label}): what DownloadActions.start_purchased takes
    downloadRequested = pyqtSignal(object, object, str, object)  # noqa: N815
    refreshRequested = pyqtSignal()  # noqa: N815

    def __init__(self, footprints: PurchasedFootprints, tasks: OwnedTasks,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.footprints = footprints
        self._tasks = tasks
        self.tasks: Dict[str, PurchasedListTask] = {}  # the listings running now
        self.errors: Dict[str, str] = {}
        self.orders: List[Any] = []
        self.listed = False  # a listing was asked for at least once
        self.item_model = OrderItemTableModel(self)
        self.catalog_model = CatalogTableModel(self)
        self.item_proxy, self.catalog_proxy = PurchasedFilterProxy(self), PurchasedFilterProxy(self)
        self.item_proxy.setSourceModel(self.item_model)
        self.catalog_proxy.setSourceModel(self.catalog_model)
        self._build()
        self._show_states()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        self.search_edit = QgsFilterLineEdit(self)
        self.search_edit.setShowSearchIcon(True)
        self.search_edit.setPlaceholderText(tr("Search order items and catalogs"))
        self.search_edit.textChanged.connect(self._text_changed)
        bar.addWidget(self.search_edit, 3)
        self.order_combo = QComboBox(self)
        self.order_combo.setToolTip(tr("Show the order items and catalogs of one order"))
        self.order_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.order_combo.setMinimumContentsLength(10)
        self.order_combo.addItem(tr("All orders"), None)
        self.order_combo.currentIndexChanged.connect(self._order_changed)
        bar.addWidget(self.order_combo, 2)
        self.refresh_button = tool_button(self, "/mActionRefresh.svg", tr("Refresh"),
                                          tr("List the purchases again"))
        self.refresh_button.clicked.connect(self.refreshRequested)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)

        self.views = QTabWidget(self)
        self.item_stack = self._table("PixxelOrderItemTable", self.item_proxy, ITEM_START, {
            0: "Punjab wheat fields – archive", 1: "Recurring", 2: "● Partially fulf",
            3: "Images", 4: "2025-08-01 ", 5: "2025-08-01 "})
        self.catalog_stack = self._table("PixxelCatalogTable", self.catalog_proxy, CAT_ACQUIRED, {
            0: "TD2_871361_20250627_L2A_2025", 1: "2025-08-01 ", 2: "FF01 ", 3: "L2A ",
            4: "30 m  ", 5: "Cloud ", 6: "● Unspecified"})
        self.views.addTab(self.item_stack, tr("Order items"))
        self.views.addTab(self.catalog_stack, tr("Catalogs"))
        self.views.currentChanged.connect(self._selection_changed)
        layout.addWidget(self.views, 1)

        row = QHBoxLayout()
        self.count_label = ElidedLabel(self)
        row.addWidget(self.count_label, 1)
        self.download_button = QPushButton(tr("Download"), self)
        self.download_button.setIcon(QgsApplication.getThemeIcon("/mActionFileSave.svg"))
        self.download_button.setToolTip(tr("Download the selected purchases and add them to "
                                           "the map"))
        self.download_button.setEnabled(False)
        self.download_button.clicked.connect(self.download_selected)
        row.addWidget(self.download_button)
        layout.addLayout(row)

    def _table(self, name: str, proxy: PurchasedFilterProxy, by: int,
               samples: Dict[int, str]) -> TableOrMessage:
        stack = TableOrMessage(name, proxy, self)
        table = stack.table
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setSortingEnabled(True)
        table.sortByColumn(by, Qt.SortOrder.DescendingOrder)
        stack.size_columns(samples)
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        table.doubleClicked.connect(self._double_clicked)
        return stack

    def detach(self) -> None:
        """Stop listening to the listings (the dock cancels them)."""
        for task in self.tasks.values():
            if alive(task):
                disconnect(task.pageArrived, self._page)
                disconnect(task.completed, self._completed)
        self.tasks = {}

    # ------------------------------------------------------------------------------------------
    # listing

    def list_purchases(self, connection: Connection) -> None:
        """Everything again: orders, order items and catalogs, each in a task of its own."""
        self.detach()
        self.listed = True
        self.errors = {}
        self.item_model.set_rows(())
        self.catalog_model.set_rows(())
        for what in (ORDERS, ORDER_ITEMS, CATALOGS):
            task = PurchasedListTask(connection, what)
            task.pageArrived.connect(self._page)
            task.completed.connect(self._completed)
            self.tasks[what] = task
            self._tasks.start(task)
        self._show_states()

    def show_error(self, message: str) -> None:
        """Nothing can be listed (no key, unusable settings): both tables say why, with Retry."""
        self.detach()
        self.listed = True
        self.errors = {ORDER_ITEMS: message, CATALOGS: message}
        self._show_states()

    def _page(self, rows: List[Any]) -> None:
        if rows and isinstance(rows[0], OrderItem):
            self.item_model.append_rows(rows)
        elif rows and isinstance(rows[0], Catalog):
            self.catalog_model.append_rows(rows)
        self._show_states()

    def _completed(self, task: PurchasedListTask) -> None:
        if self.tasks.get(task.what) is not task:
            return
        del self.tasks[task.what]
        if task.error is not None and not isinstance(task.error, CancelledError):
            self.errors[task.what] = str(task.error)
        elif task.what == ORDERS:
            self.orders = list(task.rows)
        if not self.tasks:
            self._all_listed()
        self._show_states()

    def _all_listed(self) -> None:
        items = self.item_model.rows()
        self.catalog_model.set_owners(items)
        chosen = self.order_combo.currentData()
        self.order_combo.blockSignals(True)
        self.order_combo.clear()
        self.order_combo.addItem(tr("All orders"), None)
        for order_id, label in orders_of(items, self.orders):
            self.order_combo.addItem(label, order_id)
        index = self.order_combo.findData(chosen) if chosen else 0
        self.order_combo.setCurrentIndex(max(index, 0))
        self.order_combo.blockSignals(False)
        self._order_changed()
        if self.catalog_model.rows():
            self.footprints.show(self.catalog_model.rows(), self.catalog_model.owner)

    def is_listing(self) -> bool:
        return bool(self.tasks)

    # ------------------------------------------------------------------------------------------
    # states, filter, selection

    def _show_states(self) -> None:
        for what, stack, proxy, empty in (
            (ORDER_ITEMS, self.item_stack, self.item_proxy, tr("No order items yet")),
            (CATALOGS, self.catalog_stack, self.catalog_proxy, tr("No catalogs yet")),
        ):
            if what in self.errors:
                stack.show_message(tr("Could not list your purchases"), self.errors[what],
                                   button=tr("Retry"), action=self.refreshRequested.emit)
            elif proxy.rowCount():
                stack.show_table()
            elif what in self.tasks or not self.listed:
                stack.show_message(tr("Loading your purchases…"), busy=self.listed)
            elif proxy.is_filtered() and proxy.sourceModel().rowCount():
                stack.show_message(tr("Nothing matches the filter"))
            else:
                stack.show_message(empty, tr("Imagery your workspace orders in Aurora is "
                                             "listed here."))
        items, catalogs = self.item_proxy.rowCount(), self.catalog_proxy.rowCount()
        text = tr_n("{count} order item(s)", items).format(count=items) + ", " + \
            tr_n("{count} catalog(s)", catalogs).format(count=catalogs)
        self.count_label.setText(text + (" " + tr("(loading…)") if self.tasks else ""))
        self._selection_changed()

    def _text_changed(self, text: str) -> None:
        self.item_proxy.set_text(text)
        self.catalog_proxy.set_text(text)
        self._show_states()

    def _order_changed(self, *_args: Any) -> None:
        order_id = self.order_combo.currentData()
        self.item_proxy.set_order(order_id)
        self.catalog_proxy.set_order(order_id)
        self._show_states()

    def current_stack(self) -> TableOrMessage:
        return self.item_stack if self.views.currentIndex() == PAGE_ITEMS else self.catalog_stack

    def selected_records(self) -> List[Any]:
        table = self.current_stack().table
        rows = sorted({index.row() for index in table.selectionModel().selectedRows()})
        return [table.model().index(row, 0).data(RECORD_ROLE) for row in rows]

    def select(self, ids: List[str]) -> int:
        """Select the rows of these order item or catalog ids in the view shown; how many."""
        table = self.current_stack().table
        model = table.model()
        selection = QItemSelection()
        for row in range(model.rowCount()):
            if _record_id(model.index(row, 0).data(RECORD_ROLE)) in ids:
                selection.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
        flags = QItemSelectionModel.SelectionFlag
        table.selectionModel().select(selection, flags.ClearAndSelect | flags.Rows)
        return len(table.selectionModel().selectedRows())

    def _selection_changed(self, *_args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the widgets are going with the dock
            records = self.selected_records()
            count = len(records)
            self.download_button.setEnabled(count > 0)
            self.download_button.setText(
                tr("Download ({count})").format(count=count) if count else tr("Download"))
            self.footprints.select(self._catalog_ids(records))

    def _catalog_ids(self, records: List[Any]) -> List[str]:
        images = {i.item_id for r in records if isinstance(r, OrderItem) for i in r.images}
        chosen = {r.catalog_id for r in records if isinstance(r, Catalog)}
        return [c.catalog_id for c in self.catalog_model.rows()
                if c.catalog_id in chosen or c.item_id in images]

    def _double_clicked(self, index) -> None:
        record = index.data(RECORD_ROLE)
        ids = set(self._catalog_ids([record]))
        self.footprints.zoom_to([c for c in self.catalog_model.rows() if c.catalog_id in ids])

    # ------------------------------------------------------------------------------------------
    # downloading

    def download_request(self) -> Optional[Tuple[Any, Tuple[str, ...], str, Dict[str, str]]]:
        """(kind, ids, name, {id: label}) for the selected rows, None when nothing is
        selected."""
        records = self.selected_records()
        if not records:
            return None
        if isinstance(records[0], OrderItem):
            labels = {r.order_item_id: r.display_name for r in records}
            name = kinds.filed_name(list(labels.values()))
            return kinds.ORDER_ITEMS, tuple(labels), name, labels
        owners = [self.catalog_model.owner(c) for c in records]
        name = kinds.filed_name([o.display_name if o else None for o in owners],
                                [c.item_id for c in records])
        labels = {c.catalog_id: c.item_id or c.catalog_id for c in records}
        return kinds.CATALOGS, tuple(labels), name, labels

    def download_selected(self) -> None:
        request = self.download_request()
        if request is not None:
            self.downloadRequested.emit(*request)


def _record_id(record: Any) -> Optional[str]:
    if isinstance(record, OrderItem):
        return record.order_item_id
    if isinstance(record, Catalog):
        return record.catalog_id
    return None
