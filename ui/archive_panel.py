"""The dock's "Find imagery" view: search Pixxel's archive, see the captures, preview, order.

Area: the map canvas' extent when the search starts, or a rectangle drawn on the map. Dates,
maximum cloud cover and off-nadir angle, and collections (read from Pixxel once) complete the
search. Results arrive page by page from an ArchiveSearchTask into the table and into the
"Pixxel archive search" footprints layer (core/qgis/archive_layers.py), whose selection follows
the table's. "Add preview to map" fetches the selected captures' thumbnails (PreviewTask);
"Order…" opens the order dialog (ui/order_dialog.py) for the selected captures, offering the
search area as the area to order.

Every network call is a task started through the dock's OwnedTasks (cancelled with the dock),
except orders, which the order dialog starts through the registry itself: an order on its way
outlives the view.
"""

from typing import Any, Callable, List, Optional, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsProject,
    QgsRectangle,
)
from qgis.gui import QgsCheckableComboBox, QgsMapToolExtent
from qgis.PyQt.QtCore import QDate, Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.pixxel.archive import ArchiveSearch
from ..core.pixxel.archive_models import ArchiveItem
from ..core.pixxel.errors import CancelledError, PixxelError
from ..core.qgis.archive_layers import ArchiveFootprints
from ..core.qgis.archive_tasks import (
    ArchiveSearchTask,
    CollectionsTask,
    PreviewTask,
    preview_folder,
)
from ..core.qgis.connection import Connection
from ..core.qgis.i18n import tr, tr_n
from ..core.qgis.registry import TaskRegistry
from .archive_model import COL_DATE, ArchiveSortModel, ArchiveTableModel
from .lifetime import OwnedTasks, alive, disconnect
from .order_dialog import OrderDialog
from .widgets import NoteLabel

WORLD = QgsRectangle(-180.0, -90.0, 180.0, 90.0)
DEFAULT_YEARS = 3
DEFAULT_MAX_CLOUD = 30
DEFAULT_MAX_OFF_NADIR = 30


class ArchivePanel(QWidget):
    """`connection()` returns the dock's connection or raises (PixxelError, ValueError) saying
    why there is none; `canvas` is the map canvas (None in some tests: the whole world is
    searched then)."""

    def __init__(
        self,
        connection: Callable[[], Optional[Connection]],
        tasks: OwnedTasks,
        registry: TaskRegistry,
        canvas: Any = None,
        parent: Optional[QWidget] = None,
    ) -> None:
        super().__init__(parent)
        self._connection = connection
        self._tasks = tasks
        self._registry = registry
        self._canvas = canvas
        self.footprints = ArchiveFootprints()
        self.search_task: Optional[ArchiveSearchTask] = None
        self.drawn_box: Optional[Tuple[float, float, float, float]] = None
        self.searched_box: Optional[Tuple[float, float, float, float]] = None
        self.order_dialog: Optional[OrderDialog] = None
        self._collections_asked = False
        self._map_tool: Optional[QgsMapToolExtent] = None
        self._previous_tool: Any = None
        self._build()
        self._selection_changed()

    # -- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        area_row = QHBoxLayout()
        self.area_label = QLabel(tr("The map's extent"), self)
        self.draw_button = QPushButton(tr("Draw rectangle"), self)
        self.draw_button.setToolTip(tr("Drag a rectangle on the map to search there"))
        self.draw_button.clicked.connect(self.start_drawing)
        self.extent_button = QPushButton(tr("Map extent"), self)
        self.extent_button.setToolTip(tr("Search the area the map shows"))
        self.extent_button.clicked.connect(self.use_map_extent)
        area_row.addWidget(self.area_label, 1)
        area_row.addWidget(self.extent_button)
        area_row.addWidget(self.draw_button)
        form.addRow(tr("Area"), area_row)
        dates = QHBoxLayout()
        today = QDate.currentDate()
        self.start_edit = QDateEdit(today.addYears(-DEFAULT_YEARS), self)
        self.end_edit = QDateEdit(today, self)
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel("–", self))
        dates.addWidget(self.end_edit)
        form.addRow(tr("Acquired"), dates)
        self.cloud_spin = _spin(self, 100, DEFAULT_MAX_CLOUD, " %")
        form.addRow(tr("Max. cloud cover"), self.cloud_spin)
        self.nadir_spin = _spin(self, 90, DEFAULT_MAX_OFF_NADIR, " °")
        form.addRow(tr("Max. off-nadir angle"), self.nadir_spin)
        self.collections_combo = QgsCheckableComboBox(self)
        self.collections_combo.setDefaultText(tr("All collections"))
        form.addRow(tr("Collections"), self.collections_combo)
        layout.addLayout(form)

        self.search_button = QPushButton(tr("Search"), self)
        self.search_button.clicked.connect(self.search)
        self.status_label = NoteLabel(self)
        row = QHBoxLayout()
        row.addWidget(self.search_button)
        row.addWidget(self.status_label, 1)
        layout.addLayout(row)

        self.model = ArchiveTableModel(self)
        self.sorted = ArchiveSortModel(self.model, self)
        self.table = QTableView(self)
        self.table.setModel(self.sorted)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)

        actions = QHBoxLayout()
        self.preview_button = QPushButton(tr("Add preview to map"), self)
        self.preview_button.clicked.connect(self.add_previews)
        self.order_button = QPushButton(tr("Order…"), self)
        self.order_button.setToolTip(tr("Price the selected captures, then order them"))
        self.order_button.clicked.connect(self.open_order_dialog)
        actions.addWidget(self.preview_button)
        actions.addStretch(1)
        actions.addWidget(self.order_button)
        layout.addLayout(actions)

    # -- the area ------------------------------------------------------------------------------

    def use_map_extent(self) -> None:
        self.drawn_box = None
        self.area_label.setText(tr("The map's extent"))

    def start_drawing(self) -> None:
        if self._canvas is None:
            return
        if self._map_tool is None:
            self._map_tool = QgsMapToolExtent(self._canvas)
            self._map_tool.extentChanged.connect(self.area_drawn)
        if self._canvas.mapTool() is not self._map_tool:
            self._previous_tool = self._canvas.mapTool()
        self._canvas.setMapTool(self._map_tool)
        self.area_label.setText(tr("Drag a rectangle on the map…"))

    def area_drawn(self, rectangle: QgsRectangle) -> None:
        """A rectangle in the canvas' CRS (from the map tool, or a test) becomes the area."""
        box = self._to_wgs84(rectangle)
        if box is None:
            self.area_label.setText(tr("That rectangle is not a usable area: draw again."))
            return
        self.drawn_box = box
        self.area_label.setText(tr("Drawn: {w:.3f}, {s:.3f} – {e:.3f}, {n:.3f}").format(
            w=box[0], s=box[1], e=box[2], n=box[3]))
        self._restore_map_tool()

    def _restore_map_tool(self) -> None:
        if self._canvas is not None and self._canvas.mapTool() is self._map_tool:
            if self._previous_tool is not None and alive(self._previous_tool):
                self._canvas.setMapTool(self._previous_tool)
            else:
                self._canvas.unsetMapTool(self._map_tool)

    def search_box(self) -> Optional[Tuple[float, float, float, float]]:
        """The area to search in EPSG:4326: the drawn rectangle, else the canvas extent (None:
        the whole world, without a canvas)."""
        if self.drawn_box is not None:
            return self.drawn_box
        if self._canvas is None:
            return None
        return self._to_wgs84(self._canvas.extent())

    def _to_wgs84(self, rectangle: QgsRectangle) -> Optional[Tuple[float, float, float, float]]:
        if rectangle is None or rectangle.isEmpty():
            return None
        source = self._canvas.mapSettings().destinationCrs() if self._canvas is not None \
            else QgsCoordinateReferenceSystem("EPSG:4326")
        target = QgsCoordinateReferenceSystem("EPSG:4326")
        try:
            box = QgsCoordinateTransform(source, target, QgsProject.instance()) \
                .transformBoundingBox(rectangle)
        except QgsCsException:
            return None
        box = box.intersect(WORLD)
        if box.isEmpty():
            return None
        return (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())

    # -- searching -----------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._collections_asked:
            self._load_collections()

    def _load_collections(self) -> None:
        connection = self._get_connection(quiet=True)
        if connection is None:
            return
        self._collections_asked = True
        task = CollectionsTask(connection)
        task.completed.connect(self._collections_loaded)
        self._tasks.start(task)

    def _collections_loaded(self, task: CollectionsTask) -> None:
        if task.error is not None:
            self._collections_asked = False  # asked again with the next search
            return
        checked = set(self.collections_combo.checkedItemsData())
        self.collections_combo.clear()
        for collection in task.collections:
            self.collections_combo.addItemWithCheckState(
                collection.display_name,
                Qt.CheckState.Checked if collection.id in checked else Qt.CheckState.Unchecked,
                collection.id,
            )

    def current_search(self) -> ArchiveSearch:
        """The search the form describes; ValueError (plain English) when it cannot be made."""
        start, end = self.start_edit.date().toPyDate(), self.end_edit.date().toPyDate()
        box = self.search_box()
        return ArchiveSearch(
            bbox=box, start=start, end=end, max_cloud=self.cloud_spin.value(),
            max_off_nadir=self.nadir_spin.value(),
            collections=tuple(str(c) for c in self.collections_combo.checkedItemsData()),
        )

    def search(self) -> Optional[ArchiveSearchTask]:
        if self.start_edit.date() > self.end_edit.date():
            self.status_label.setText(tr("The first day comes after the last one."))
            return None
        try:
            search = self.current_search()
        except ValueError as error:
            self.status_label.setText(str(error))
            return None
        connection = self._get_connection()
        if connection is None:
            return None
        if not self._collections_asked:
            self._load_collections()
        if alive(self.search_task):
            disconnect(self.search_task.pageReady, self._page_arrived)
            disconnect(self.search_task.completed, self._search_done)
            self.search_task.cancel()
        self.model.clear()
        self.footprints.clear()
        self.searched_box = search.bbox
        task = ArchiveSearchTask(connection, search)
        task.pageReady.connect(self._page_arrived)
        task.completed.connect(self._search_done)
        self.search_task = task
        self.status_label.setText(tr("Searching…"))
        self.search_button.setEnabled(False)
        if not self._tasks.start(task):
            self.search_button.setEnabled(True)
            self.status_label.setText(tr("The search could not start: QGIS is closing."))
            return None
        return task

    def _page_arrived(self, items: List[ArchiveItem]) -> None:
        self.model.append(items)
        self.footprints.add(items)
        self.status_label.setText(tr_n("Searching… {count} capture(s) so far.",
                                       self.model.row_total()).format(
            count=self.model.row_total()))

    def _search_done(self, task: ArchiveSearchTask) -> None:
        if task is not self.search_task:
            return
        self.search_button.setEnabled(True)
        count = self.model.row_total()
        if task.error is not None and not isinstance(task.error, CancelledError):
            self.status_label.setText(task.error.message)
        elif task.cancelled:
            self.status_label.setText(tr("Search cancelled."))
        elif task.truncated:
            self.status_label.setText(tr_n(
                "Showing the first {count} capture(s): more match. Narrow the area, the dates "
                "or the limits.", count).format(count=count))
        elif count == 0:
            self.status_label.setText(tr("No capture matches. Widen the area, the dates or "
                                         "the limits."))
        else:
            self.status_label.setText(tr_n("{count} capture(s) found.", count).format(
                count=count))

    # -- the selection -------------------------------------------------------------------------

    def selected_items(self) -> List[ArchiveItem]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.sorted.item(row) for row in rows]

    def _selection_changed(self, *_args: Any) -> None:
        items = self.selected_items()
        self.preview_button.setEnabled(any(item.thumbnail_url for item in items))
        self.order_button.setEnabled(bool(items))
        if items or self.model.row_total():
            self.footprints.select(item.id for item in items)

    def add_previews(self) -> List[PreviewTask]:
        connection = self._get_connection()
        if connection is None:
            return []
        started = []
        folder = preview_folder()
        for item in self.selected_items():
            if not item.thumbnail_url:
                continue
            task = PreviewTask(connection, item, folder)
            task.completed.connect(self._preview_done)
            if self._tasks.start(task):
                started.append(task)
        if started:
            self.status_label.setText(tr_n("Fetching {count} preview(s)…", len(started))
                                      .format(count=len(started)))
        return started

    def _preview_done(self, task: PreviewTask) -> None:
        if task.error is not None and not task.cancelled:
            self.status_label.setText(task.error.message)
        elif task.layer is not None:
            self.status_label.setText(tr("Preview of {item} added to the map.").format(
                item=task.item.id))

    def open_order_dialog(self) -> Optional[OrderDialog]:
        items = self.selected_items()
        connection = self._get_connection()
        if not items or connection is None:
            return None
        area = None
        if self.searched_box is not None:
            west, south, east, north = self.searched_box
            area = {"type": "Polygon", "coordinates": [[[west, south], [east, south],
                                                        [east, north], [west, north],
                                                        [west, south]]]}
        self.order_dialog = OrderDialog(items, connection=connection, registry=self._registry,
                                        search_area=area, parent=self)
        self.order_dialog.open()  # window-modal, without a nested event loop
        return self.order_dialog

    # -- plumbing ------------------------------------------------------------------------------

    def _get_connection(self, quiet: bool = False) -> Optional[Connection]:
        try:
            return self._connection()
        except (PixxelError, ValueError) as error:
            if not quiet:
                self.status_label.setText(str(error))
            return None

    def detach(self) -> None:
        """The dock is going: its map tool goes too (its tasks go with the dock's)."""
        if self._map_tool is not None:
            self._restore_map_tool()
            disconnect(self._map_tool.extentChanged, self.area_drawn)


def _spin(parent: QWidget, top: int, value: int, suffix: str) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(0, top)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin

