"""The AOI side of the dock: the search row, the AOI table (or a message in its place: no key,
loading, no AOIs, no match, an error with Retry), the listing status, and the selected AOI on the
map.

The listing runs in an AoiListTask: the first page is shown at once, the rest is appended in
batches as it arrives (see PAGE_BATCH_MS). The catalogue (project and satellite names) comes from
a CatalogTask started when the listing ends, or CATALOG_AFTER_MS after its first page. Filtering
and sorting are local and instant. The footprints of the listed AOIs are kept in one "Pixxel AOIs"
layer (core/footprints.py), updated with each batch, the first page's included: the first rows do
not wait for the layer.
"""

from typing import Any, Dict, List, Optional

from qgis.core import QgsApplication, QgsSettings
from qgis.gui import QgsFilterLineEdit
from qgis.PyQt.QtCore import QElapsedTimer, QItemSelectionModel, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QGuiApplication
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.pixxel.errors import CancelledError, KeyRejectedError
from ..core.pixxel.models import Aoi, Project, Satellite
from ..core.pixxel.redaction import pixxel_logger
from ..core.qgis import credentials, settings
from ..core.qgis.connection import Connection
from ..core.qgis.i18n import tr, tr_n
from ..core.qgis.tasks import AoiListTask, CatalogTask, incomplete_listing_notice
from .aoi_model import (
    AOI_ID_ROLE,
    COL_AREA,
    COL_CREATED,
    COL_NAME,
    COL_PROGRESS,
    COL_PROJECT,
    COL_SATELLITE,
    COL_STATUS,
    COL_UPDATED,
    AoiFilterProxyModel,
    AoiTableModel,
)
from .footprints import AoiFootprints
from .lifetime import OwnedTasks, alive, disconnect
from .table_or_message import TableOrMessage
from .widgets import tool_button

log = pixxel_logger()

HEADER_STATE_KEY = settings.PREFIX + "dock/aoi_header"

# Pages after the first are shown in batches, at most one batch per PAGE_BATCH_MS: each insertion
# makes the table lay out and repaint (every visible cell asks the model for every role), and on a
# fast network a page arrives every ~10 ms. A page arriving PAGE_BATCH_MS or more after the last
# batch (a slow network) is shown at once.
PAGE_BATCH_MS = 100
# The catalogue competes with a listing for the network, the worker threads and the GIL, and names
# matter little before there are rows to name: it waits for the listing's end, or this long.
CATALOG_AFTER_MS = 2000

# What the AOI area shows instead of the table.
STATE_IDLE, STATE_TABLE, STATE_NO_KEY, STATE_LOADING, STATE_EMPTY, STATE_NO_MATCH, STATE_ERROR = (
    "idle", "table", "no_key", "loading", "empty", "no_match", "error"
)


def _key_configured() -> bool:
    """A key is stored or given in the environment (nothing decrypted, no prompt)."""
    return bool(settings.env_api_key()) or credentials.has_stored_key()


class AoiPanel(QWidget):
    """The AOI table and what goes with it. Its search row (`toolbar`) sits above the dock's
    splitter, so the dock lays it out. The dock owns the connection: the panel lists when given
    one (list_aois()) and asks for a refresh or the settings through its signals."""

    refreshRequested = pyqtSignal()  # noqa: N815 - Qt naming
    settingsRequested = pyqtSignal()  # noqa: N815
    aoiSelected = pyqtSignal(object)  # noqa: N815 - the Aoi now selected

    def __init__(self, footprints: AoiFootprints, tasks: OwnedTasks, parent: QWidget) -> None:
        super().__init__(parent)
        self.footprints = footprints
        self._tasks = tasks
        self.list_task: Optional[AoiListTask] = None  # the listing running now
        self._listed_ids: set = set()
        self._list_total: Optional[int] = None
        self._list_incomplete = False  # the last listing saw a repeated page
        self._catalog_task: Optional[CatalogTask] = None
        self._catalog_loaded = False
        self._connection: Optional[Connection] = None  # the listing's, for the catalogue
        # Listed but not shown yet: AOIs for the table, and for the footprints layer.
        self._pending_rows: List[Aoi] = []
        self._pending_footprints: List[Aoi] = []
        self._batch_timer = QTimer(self)
        self._batch_timer.setSingleShot(True)
        self._batch_timer.timeout.connect(self._show_pending)
        self._since_batch = QElapsedTimer()
        self._catalog_timer = QTimer(self)
        self._catalog_timer.setSingleShot(True)
        self._catalog_timer.timeout.connect(self._start_catalog)
        self._satellites: Dict[str, Satellite] = {}
        self.state = STATE_TABLE
        self.model = AoiTableModel(self)
        self.proxy = AoiFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.toolbar = self._build_toolbar()
        self._build()

    # ------------------------------------------------------------------------------------------
    # building

    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search_edit = QgsFilterLineEdit(self)
        self.search_edit.setShowSearchIcon(True)
        self.search_edit.setPlaceholderText(tr("Search AOIs by name or ID"))
        self.search_edit.textChanged.connect(self.proxy.set_text)
        bar.addWidget(self.search_edit, 3)
        self.project_combo = QComboBox(self)
        self.project_combo.setToolTip(tr("Show the AOIs of one project"))
        self.project_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.project_combo.setMinimumContentsLength(10)
        self.project_combo.addItem(tr("All projects"), None)
        self.project_combo.currentIndexChanged.connect(self._project_changed)
        bar.addWidget(self.project_combo, 2)
        self.refresh_button = tool_button(
            self, "/mActionRefresh.svg", tr("Refresh"), tr("List the AOIs again")
        )
        self.refresh_button.clicked.connect(self.refreshRequested)
        bar.addWidget(self.refresh_button)
        self.settings_button = tool_button(
            self, "/mActionOptions.svg", tr("Settings"), tr("Pixxel settings: API key, folder")
        )
        self.settings_button.clicked.connect(self.settingsRequested)
        bar.addWidget(self.settings_button)
        return bar

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.stack = TableOrMessage("PixxelAoiTable", self.proxy, self)
        self.table, self.message = self.stack.table, self.stack.message
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_CREATED, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        samples = {COL_NAME: "Punjab wheat fields – Lu", COL_STATUS: "● Partial succ",
                   COL_PROGRESS: "Progress", COL_CREATED: "2025-08-01  ",
                   COL_UPDATED: "2025-08-01  ", COL_AREA: "123.4 km²",
                   COL_SATELLITE: "Firefly FF01", COL_PROJECT: "Crop monitoring"}
        self.stack.size_columns(samples)
        # Less used: one right-click on the header brings it back.
        header.setSectionHidden(COL_UPDATED, True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # Bound methods, not lambdas: PyQt keeps a lambda (and the panel, its 10,000 rows, it
        # refers to) alive after the widgets are deleted, and a bound method weakly.
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._aoi_menu)
        layout.addWidget(self.stack, 1)

        status = QHBoxLayout()
        self.count_label = QLabel(self)
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        status.addWidget(self.count_label, 1)
        self.list_progress = QProgressBar(self)
        self.list_progress.setMaximumWidth(90)
        self.list_progress.setMaximumHeight(10)
        self.list_progress.setTextVisible(False)
        self.list_progress.hide()
        status.addWidget(self.list_progress)
        self.zoom_button = tool_button(
            self, "/mActionZoomToSelected.svg", tr("Zoom to AOI"),
            tr("Zoom the map to the selected AOI"),
        )
        self.zoom_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.zoom_button.setEnabled(False)
        self.zoom_button.clicked.connect(self.zoom_to_selected)
        status.addWidget(self.zoom_button)
        layout.addLayout(status)
        self.proxy.layoutChanged.connect(self._update_view)
        self.model.countChanged.connect(self._count_changed)

    def restore_header(self) -> None:
        state = QgsSettings().value(HEADER_STATE_KEY)
        if state:
            self.table.horizontalHeader().restoreState(state)

    def save_header(self) -> None:
        QgsSettings().setValue(HEADER_STATE_KEY, self.table.horizontalHeader().saveState())

    def detach(self) -> None:
        """Stop listening to the listing tasks (the dock cancels them). Safe after the widget
        has been deleted."""
        for timer in (self._batch_timer, self._catalog_timer):
            if alive(timer):
                timer.stop()
        self._pending_rows, self._pending_footprints = [], []
        self._connection = None
        for task in (self.list_task, self._catalog_task):
            if alive(task):
                self._disconnect_task(task)
        self.list_task = self._catalog_task = None

    def _disconnect_task(self, task: Any) -> None:
        for slot in (self._list_completed, self._catalog_completed):
            disconnect(task.completed, slot)
        if isinstance(task, AoiListTask):
            disconnect(task.firstPage, self._first_page)
            disconnect(task.morePages, self._more_pages)

    # ------------------------------------------------------------------------------------------
    # listing

    def list_aois(self, connection: Connection) -> None:
        """List the AOIs again (rows already shown stay until the new listing has them), and the
        catalogue too if it is missing."""
        if alive(self.list_task):
            self._disconnect_task(self.list_task)
            self.list_task.cancel()
        # What the previous listing had received stays shown, as if it had come sooner.
        self._show_pending()
        self._connection = connection
        task = AoiListTask(connection)
        task.firstPage.connect(self._first_page)
        task.morePages.connect(self._more_pages)
        task.completed.connect(self._list_completed)
        self.list_task = task
        self._listed_ids = set()
        self._list_total = None
        self._list_incomplete = False
        self.refresh_button.setEnabled(False)
        self.list_progress.setRange(0, 0)
        self.list_progress.show()
        if not self.model.rows:
            self._set_state(STATE_LOADING, tr("Loading your AOIs…"), busy=True)
        self.count_label.setText(tr("Loading AOIs…"))
        self._tasks.start(task)

    def _first_page(self, aois: List[Aoi], total: int) -> None:
        if self.sender() is not self.list_task:
            return
        self._list_total = total if total >= 0 else None
        self._listed_ids.update(aoi.aoi_id for aoi in aois)
        self._set_progress()
        # The rows at once (a count change updates the view), their footprints with the next
        # batch: the first paint does not wait for the layer.
        if not self.model.append(aois):
            self._update_view()
        self._pending_footprints.extend(aois)
        self._since_batch.start()
        self._batch_timer.start(PAGE_BATCH_MS)
        if not self._catalog_loaded:
            self._catalog_timer.start(CATALOG_AFTER_MS)

    def _more_pages(self, aois: List[Aoi]) -> None:
        if self.sender() is not self.list_task:
            return
        self._listed_ids.update(aoi.aoi_id for aoi in aois)
        self._pending_rows.extend(aois)
        self._pending_footprints.extend(aois)
        if not self._batch_timer.isActive():
            waited = self._since_batch.elapsed() if self._since_batch.isValid() else PAGE_BATCH_MS
            self._batch_timer.start(max(0, PAGE_BATCH_MS - waited))

    def _show_pending(self) -> None:
        """Show what was listed since the last batch: rows, footprints, progress."""
        self._batch_timer.stop()
        self._since_batch.start()
        rows, self._pending_rows = self._pending_rows, []
        if rows:
            self._set_progress()
            self.model.append(rows)
        self._show_pending_footprints()

    def _show_pending_footprints(self) -> None:
        footprints, self._pending_footprints = self._pending_footprints, []
        if footprints:
            self.footprints.update(footprints)

    def _start_catalog(self) -> None:
        """The catalogue, once per session (see CATALOG_AFTER_MS)."""
        self._catalog_timer.stop()
        if self._connection is None or self._catalog_loaded or alive(self._catalog_task):
            return
        self._catalog_task = CatalogTask(self._connection)
        self._catalog_task.completed.connect(self._catalog_completed)
        self._tasks.start(self._catalog_task)

    def _set_progress(self) -> None:
        if self._list_total:
            self.list_progress.setRange(0, self._list_total)
            self.list_progress.setValue(len(self._listed_ids))

    def _list_completed(self, task: AoiListTask) -> None:
        if task is not self.list_task:
            return
        self.list_task = None
        self._show_pending()
        self._start_catalog()
        self.refresh_button.setEnabled(True)
        self.list_progress.hide()
        error = task.error
        if isinstance(error, CancelledError):
            self._update_view()
            return
        if error is not None:
            if isinstance(error, KeyRejectedError) or not self.model.rows:
                self.show_list_error(str(error))
            else:
                self.count_label.setText(tr("Refresh failed: {error}").format(error=error))
                self.count_label.setToolTip(str(error))
            return
        self._list_incomplete = task.incomplete
        if not task.incomplete:
            # Complete: AOIs deleted since the last listing go from the table and the map. (Not
            # after a repeated page: what was not listed again may well still exist.)
            self.model.retain_only(self._listed_ids)
            self.footprints.retain_only(self._listed_ids)
        self._update_view()

    def _catalog_completed(self, task: CatalogTask) -> None:
        if task is not self._catalog_task:
            return
        self._catalog_task = None
        if task.error is not None:
            if not isinstance(task.error, CancelledError):
                log.warning("Project and satellite names are unavailable: %s", task.error)
            return
        self._catalog_loaded = True
        self.set_catalog(task.projects, task.satellites)

    def set_catalog(self, projects: List[Project], satellites: List[Satellite]) -> None:
        self._satellites = {satellite.id: satellite for satellite in satellites}
        self.model.set_catalog(projects, satellites)
        current = self.project_combo.currentData()
        self.project_combo.blockSignals(True)
        try:
            self.project_combo.clear()
            self.project_combo.addItem(tr("All projects"), None)
            for project in sorted(projects, key=lambda p: p.display_name.casefold()):
                self.project_combo.addItem(project.display_name, project.id)
            position = self.project_combo.findData(current) if current else 0
            self.project_combo.setCurrentIndex(max(position, 0))
        finally:
            self.project_combo.blockSignals(False)
        self._project_changed()

    def satellite_of(self, aoi_id: str) -> Optional[Satellite]:
        """The satellite of a listed AOI, once the catalogue is in."""
        aoi = self.model.aoi(aoi_id)
        return self._satellites.get(aoi.satellite_id) if aoi and aoi.satellite_id else None

    # ------------------------------------------------------------------------------------------
    # what the AOI area shows

    def show_initial_state(self) -> None:
        if not _key_configured():
            self.show_no_key()
        else:
            self._set_state(
                STATE_IDLE, tr("Your Pixxel AOIs appear here."),
                button=tr("List them now"), action=self.refreshRequested.emit,
            )

    def needs_listing(self) -> bool:
        """Nothing listed, or the listing failed: what a change of settings may mend."""
        return self.state in (STATE_NO_KEY, STATE_ERROR) or not self.model.rows

    def _set_state(self, state: str, title: str = "", text: str = "", **options) -> None:
        self.state = state
        has_rows = bool(self.model.rows)
        self.search_edit.setEnabled(has_rows)
        self.project_combo.setEnabled(has_rows)
        if state == STATE_TABLE:
            self.stack.show_table()
        else:
            self.stack.show_message(title, text, **options)

    def show_no_key(self) -> None:
        self._set_state(
            STATE_NO_KEY,
            tr("Set your Pixxel API key"),
            tr("Generate a key in Aurora (Workspace Settings → API → service account), then "
               "paste it in the Pixxel settings."),
            button=tr("Open settings"),
            action=self.settingsRequested.emit,
        )
        self.count_label.setText("")

    def show_setup_error(self, message: str) -> None:
        """The connection could not be made from the settings."""
        if not _key_configured():
            self.show_no_key()
        else:
            self.show_list_error(message, settings_button=True)

    def show_list_error(self, message: str, settings_button: bool = False) -> None:
        self._set_state(
            STATE_ERROR,
            tr("Could not list your AOIs"),
            tr("{message}\n\nDetails are in the Pixxel tab of the log messages panel.").format(
                message=message
            ),
            button=tr("Open settings") if settings_button else tr("Retry"),
            action=self.settingsRequested.emit if settings_button else self.refreshRequested.emit,
        )
        self.count_label.setText("")
        self.refresh_button.setEnabled(True)
        self.list_progress.hide()

    def _count_changed(self, _count: int) -> None:
        self._update_view()

    def _update_view(self) -> None:
        total = len(self.model.rows)
        shown = self.proxy.rowCount()
        loading = alive(self.list_task)
        if self.state in (STATE_NO_KEY, STATE_ERROR) and not total:
            return
        if total == 0:
            if loading:
                self._set_state(STATE_LOADING, tr("Loading your AOIs…"), busy=True)
            else:
                self._set_state(
                    STATE_EMPTY,
                    tr("No AOIs yet"),
                    tr("This API key sees no areas of interest. Create one in Aurora, then "
                       "refresh."),
                    button=tr("Refresh"),
                    action=self.refreshRequested.emit,
                )
        elif shown == 0:
            self._set_state(
                STATE_NO_MATCH,
                tr("No AOI matches the filter"),
                button=tr("Clear the filter"),
                action=self.clear_filter,
            )
        else:
            self._set_state(STATE_TABLE)
        self.count_label.setToolTip("")
        if loading:
            expected = f" / {self._list_total:,}" if self._list_total else ""
            self.count_label.setText(
                tr("Loading AOIs… {count}{expected}").format(count=f"{total:,}", expected=expected)
            )
        elif self.proxy.is_filtered():
            self.count_label.setText(
                tr_n("{shown} of {total} AOI(s)", total).format(
                    shown=f"{shown:,}", total=f"{total:,}"
                )
            )
        else:
            self.count_label.setText(tr_n("{total} AOI(s)", total).format(total=f"{total:,}"))
        if self._list_incomplete and not loading:
            self.count_label.setText(
                tr("{count} · may be incomplete").format(count=self.count_label.text())
            )
            self.count_label.setToolTip(incomplete_listing_notice())

    # ------------------------------------------------------------------------------------------
    # filtering, menus

    def _project_changed(self, *_args: Any) -> None:
        self.proxy.set_project(self.project_combo.currentData())

    def clear_filter(self) -> None:
        self.search_edit.clear()
        self.project_combo.setCurrentIndex(0)

    def _header_menu(self, position) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for column, title in enumerate(AoiTableModel.column_titles()):
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != COL_NAME)
            action.toggled.connect(
                lambda shown, c=column: header.setSectionHidden(c, not shown)
            )
        menu.exec(header.mapToGlobal(position))

    def _aoi_menu(self, position) -> None:
        aoi = self.selected_aoi()
        if aoi is None:
            return
        menu = QMenu(self)
        menu.addAction(QgsApplication.getThemeIcon("/mActionZoomToSelected.svg"),
                       tr("Zoom to AOI"), self.zoom_to_selected)
        menu.addAction(tr("Copy AOI ID"), lambda: QGuiApplication.clipboard().setText(aoi.aoi_id))
        menu.exec(self.table.viewport().mapToGlobal(position))

    # ------------------------------------------------------------------------------------------
    # selection, map

    def draw_outlines_again(self) -> None:
        """Outline the listed AOIs in the project open now, and highlight the selected one: the
        outlines went with the project QGIS or the user replaced. (Rows still waiting for the
        next batch are outlined with it.)"""
        if not self.model.rows:
            return
        self.footprints.update(self.model.aois())
        selected = self.selected_aoi()
        if selected is not None:
            self.footprints.select(selected.aoi_id)

    def selected_aoi(self) -> Optional[Aoi]:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.aoi(rows[0].data(AOI_ID_ROLE))

    def select_aoi(self, aoi_id: str) -> bool:
        """Select an AOI's row (when the filter shows it)."""
        row = self.model.row_of(aoi_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def _selection_changed(self, *_args: Any) -> None:
        self._show_pending_footprints()  # the selected AOI's may be among them
        aoi = self.selected_aoi()
        self.zoom_button.setEnabled(aoi is not None)
        if aoi is None:
            # Hidden by the filter, or deselected: the assets panel keeps showing its AOI.
            return
        self.footprints.select(aoi.aoi_id)
        self.aoiSelected.emit(aoi)

    def _double_clicked(self, _index: Any) -> None:
        self.zoom_to_selected()

    def zoom_to_selected(self) -> bool:
        aoi = self.selected_aoi()
        if aoi is None:
            return False
        return self.footprints.zoom_to([aoi])
