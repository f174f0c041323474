"""The Pixxel dock: browse AOIs and their assets, download, and follow downloads.

Layout, top to bottom: a search box, a project filter, Refresh and Settings; the AOI table (or a
message in its place: no key, loading, no AOIs, no match, an error with Retry); the assets of the
selected AOI with their check boxes and the Download button; running and past downloads.

Everything slow runs in QgsTasks started through the TaskRegistry: the listing (first page shown
at once, the rest appended as it arrives), the catalogue (project and satellite names), the
assets of the selected AOI and the downloads. Filtering and sorting are local and instant. The
footprints of the listed AOIs are kept in one "Pixxel AOIs" layer (core/footprints.py).
"""

import contextlib
import functools
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import qgis.utils
from qgis.core import Qgis, QgsApplication, QgsSettings
from qgis.gui import QgsDockWidget, QgsFilterLineEdit
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QItemSelectionModel, Qt, QTimer, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QGuiApplication
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core import credentials, settings
from ..core.errors import CancelledError, KeyRejectedError, PixxelError
from ..core.footprints import AoiFootprints
from ..core.i18n import tr
from ..core.layers import zoom_canvas_to
from ..core.models import Aoi, Asset, Project, Satellite
from ..core.redaction import pixxel_logger
from ..core.tasks import (
    AoiListTask,
    AssetListTask,
    CatalogTask,
    Connection,
    DownloadTask,
    SetupError,
    TaskRegistry,
    current_connection,
    download_key,
)
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
from .asset_model import COL_NAME as ASSET_COL_NAME
from .asset_model import AssetTableModel, is_checked
from .downloads_view import DownloadsView

log = pixxel_logger()

DOCK_OBJECT_NAME = "PixxelDock"
HEADER_STATE_KEY = settings.PREFIX + "dock/aoi_header"
SPLITTER_STATE_KEY = settings.PREFIX + "dock/splitter"
ASSET_DELAY_MS = 150  # arrowing through the AOIs does not ask for every AOI's assets
MESSAGE_SECONDS = 10

# What the AOI area shows instead of the table.
STATE_IDLE, STATE_TABLE, STATE_NO_KEY, STATE_LOADING, STATE_EMPTY, STATE_NO_MATCH, STATE_ERROR = (
    "idle", "table", "no_key", "loading", "empty", "no_match", "error"
)


def _theme_icon(name: str):
    return QgsApplication.getThemeIcon(name)


def _alive(task: Optional[Any]) -> bool:
    return task is not None and not sip.isdeleted(task)


def _disconnect(signal: Any, slot: Callable) -> None:
    with contextlib.suppress(TypeError, RuntimeError):  # never connected, or the sender is gone
        signal.disconnect(slot)


def _key_configured() -> bool:
    """A key is stored or given in the environment (nothing decrypted, no prompt)."""
    return bool(settings.env_api_key()) or credentials.has_stored_key()


def _default_open_settings() -> None:
    from .options_page import open_settings

    open_settings()


class MessagePanel(QWidget):
    """What the AOI or asset area shows when there is no table to show: a title, an
    explanation, an optional busy bar and an optional button."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title_label = QLabel(self)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        layout.addWidget(self.title_label)
        self.text_label = QLabel(self)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text_label)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumHeight(10)
        self.busy_bar.setTextVisible(False)
        layout.addWidget(self.busy_bar)
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = QPushButton(self)
        self.button.setAutoDefault(False)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self._action: Optional[Callable[[], None]] = None
        self.button.clicked.connect(self._clicked)

    def show_message(
        self,
        title: str,
        text: str = "",
        *,
        button: Optional[str] = None,
        action: Optional[Callable[[], None]] = None,
        busy: bool = False,
    ) -> None:
        self.title_label.setText(title)
        self.text_label.setText(text)
        self.text_label.setVisible(bool(text))
        self.busy_bar.setVisible(busy)
        self.button.setText(button or "")
        self.button.setVisible(bool(button))
        self._action = action

    def _clicked(self) -> None:
        if self._action is not None:
            self._action()


class PixxelDock(QgsDockWidget):
    """`iface`, `registry`, `history`, `connection_provider` and `open_settings` can be given (the
    plugin passes its shared registry and history; tests pass fakes); by default the dock makes
    its own registry and history and uses the user's settings."""

    def __init__(
        self,
        parent: QWidget = None,
        *,
        iface: Any = None,
        registry: Optional[TaskRegistry] = None,
        history: Any = None,
        connection_provider: Callable[[], Connection] = current_connection,
        open_settings: Optional[Callable[[], None]] = None,
        auto_load: bool = True,
    ) -> None:
        super().__init__(tr("Pixxel"), parent)
        # QGIS saves and restores dock geometry by objectName; a stable one keeps the user's layout.
        self.setObjectName(DOCK_OBJECT_NAME)
        self.iface = iface if iface is not None else qgis.utils.iface
        self.registry = registry if registry is not None else TaskRegistry(self)
        if history is None:
            from ..core.history import DownloadHistory

            history = DownloadHistory(parent=self)
        self.history = history
        self._connection_provider = connection_provider
        self._open_settings = open_settings or _default_open_settings
        self._auto_load = auto_load
        self._loaded_once = False
        self._disposed = False

        self._connection: Optional[Connection] = None
        self._list_task: Optional[AoiListTask] = None
        self._listed_ids: set = set()
        self._list_total: Optional[int] = None
        self._catalog_task: Optional[CatalogTask] = None
        self._catalog_loaded = False
        self._projects: Dict[str, Project] = {}
        self._satellites: Dict[str, Satellite] = {}
        self._asset_task: Optional[AssetListTask] = None
        self._asset_cache: Dict[str, List[Asset]] = {}
        self._assets_aoi: Optional[Aoi] = None
        self._pending_aoi_id: Optional[str] = None
        self._downloads: Dict[str, DownloadTask] = {}  # history entry id -> its running task
        self.aoi_state = STATE_TABLE
        self.last_notice: Optional[tuple] = None  # (level name, text): the last message shown

        canvas = self.iface.mapCanvas() if self.iface is not None else None
        self.footprints = AoiFootprints(canvas=canvas)
        # What must stop when the dock goes, kept apart from the dock so that its deletion can
        # release them without the dock (see _DockResources).
        self._resources = _DockResources(self.footprints)

        self._asset_timer = QTimer(self)
        self._asset_timer.setSingleShot(True)
        self._asset_timer.setInterval(ASSET_DELAY_MS)
        self._asset_timer.timeout.connect(self._load_pending_assets)

        self._build()
        self._restore_layout()
        self._show_initial_state()
        # Whatever deletes the dock (plugin unload, QGIS closing), its tasks and highlight go.
        self.destroyed.connect(functools.partial(_release, self._resources))

    # ------------------------------------------------------------------------------------------
    # building

    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)

        top = QHBoxLayout()
        self.search_edit = QgsFilterLineEdit(body)
        self.search_edit.setShowSearchIcon(True)
        self.search_edit.setPlaceholderText(tr("Search AOIs by name or ID"))
        self.search_edit.textChanged.connect(self._filter_text_changed)
        top.addWidget(self.search_edit, 3)
        self.project_combo = QComboBox(body)
        self.project_combo.setToolTip(tr("Show the AOIs of one project"))
        self.project_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.project_combo.setMinimumContentsLength(10)
        self.project_combo.addItem(tr("All projects"), None)
        self.project_combo.currentIndexChanged.connect(self._project_changed)
        top.addWidget(self.project_combo, 2)
        self.refresh_button = self._tool_button(
            body, "/mActionRefresh.svg", tr("Refresh"), tr("List the AOIs again")
        )
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        self.settings_button = self._tool_button(
            body, "/mActionOptions.svg", tr("Settings"), tr("Pixxel settings: API key, folder")
        )
        self.settings_button.clicked.connect(self.open_settings)
        top.addWidget(self.settings_button)
        layout.addLayout(top)

        self.splitter = QSplitter(Qt.Orientation.Vertical, body)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_aoi_section())
        self.splitter.addWidget(self._build_asset_section())
        self.splitter.addWidget(self._build_downloads_section())
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        layout.addWidget(self.splitter, 1)
        self.setWidget(body)

    @staticmethod
    def _tool_button(parent: QWidget, icon: str, text: str, tooltip: str) -> QToolButton:
        button = QToolButton(parent)
        button.setIcon(_theme_icon(icon))
        button.setText(text)
        button.setToolTip(tooltip)
        button.setAutoRaise(True)
        return button

    def _build_aoi_section(self) -> QWidget:
        section = QWidget(self)
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.aoi_model = AoiTableModel(self)
        self.aoi_proxy = AoiFilterProxyModel(self)
        self.aoi_proxy.setSourceModel(self.aoi_model)
        self.aoi_stack = QStackedWidget(section)
        self.aoi_table = QTableView(self.aoi_stack)
        self.aoi_table.setObjectName("PixxelAoiTable")
        self.aoi_table.setModel(self.aoi_proxy)
        self._configure_table(self.aoi_table)
        self.aoi_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.aoi_table.setSortingEnabled(True)
        self.aoi_table.sortByColumn(COL_CREATED, Qt.SortOrder.DescendingOrder)
        header = self.aoi_table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        # Widths from the font, not pixels: the same columns fit on any screen.
        widths = {COL_NAME: "Punjab wheat fields – Lu", COL_STATUS: "● Partial succ",
                  COL_PROGRESS: "Progress", COL_CREATED: "2025-08-01  ",
                  COL_UPDATED: "2025-08-01  ", COL_AREA: "123.4 km²", COL_SATELLITE: "Firefly FF01",
                  COL_PROJECT: "Crop monitoring"}
        for column, sample in widths.items():
            header.resizeSection(column, self._text_width(sample))
        # Less used: one right-click on the header brings it back.
        header.setSectionHidden(COL_UPDATED, True)
        self.aoi_table.selectionModel().selectionChanged.connect(self._aoi_selection_changed)
        self.aoi_table.doubleClicked.connect(lambda _index: self.zoom_to_selected())
        self.aoi_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.aoi_table.customContextMenuRequested.connect(self._aoi_menu)
        self.aoi_message = MessagePanel(self.aoi_stack)
        self.aoi_stack.addWidget(self.aoi_table)
        self.aoi_stack.addWidget(self.aoi_message)
        layout.addWidget(self.aoi_stack, 1)

        status = QHBoxLayout()
        self.count_label = QLabel(section)
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        status.addWidget(self.count_label, 1)
        self.list_progress = QProgressBar(section)
        self.list_progress.setMaximumWidth(90)
        self.list_progress.setMaximumHeight(10)
        self.list_progress.setTextVisible(False)
        self.list_progress.hide()
        status.addWidget(self.list_progress)
        self.zoom_button = QToolButton(section)
        self.zoom_button.setIcon(_theme_icon("/mActionZoomToSelected.svg"))
        self.zoom_button.setText(tr("Zoom to AOI"))
        self.zoom_button.setToolTip(tr("Zoom the map to the selected AOI"))
        self.zoom_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.zoom_button.setAutoRaise(True)
        self.zoom_button.setEnabled(False)
        self.zoom_button.clicked.connect(self.zoom_to_selected)
        status.addWidget(self.zoom_button)
        layout.addLayout(status)
        self.aoi_proxy.layoutChanged.connect(self._update_aoi_view)
        self.aoi_model.countChanged.connect(lambda _count: self._update_aoi_view())
        return section

    def _build_asset_section(self) -> QWidget:
        section = QWidget(self)
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        head = QHBoxLayout()
        self.assets_title = QLabel(section)
        self.assets_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        font = self.assets_title.font()
        font.setBold(True)
        self.assets_title.setFont(font)
        head.addWidget(self.assets_title, 1)
        self.select_all_check = QCheckBox(tr("Select all"), section)
        self.select_all_check.setToolTip(tr("Check every asset that can be downloaded"))
        self.select_all_check.clicked.connect(self._select_all_clicked)
        head.addWidget(self.select_all_check)
        layout.addLayout(head)

        self.asset_model = AssetTableModel(self)
        self.asset_model.checkedChanged.connect(self._checked_changed)
        self.asset_stack = QStackedWidget(section)
        self.asset_table = QTableView(self.asset_stack)
        self.asset_table.setObjectName("PixxelAssetTable")
        self.asset_table.setModel(self.asset_model)
        self._configure_table(self.asset_table)
        asset_header = self.asset_table.horizontalHeader()
        samples = ("☑ TD2_871361_20250601_L2", "Visualisation", "2025-08-01  ", "● Creating",
                   "Resolution", "Bands")
        for column, sample in enumerate(samples):
            asset_header.resizeSection(column, self._text_width(sample))
        self.asset_table.clicked.connect(self._asset_clicked)
        self.asset_message = MessagePanel(self.asset_stack)
        self.asset_stack.addWidget(self.asset_table)
        self.asset_stack.addWidget(self.asset_message)
        layout.addWidget(self.asset_stack, 1)

        row = QHBoxLayout()
        self.asset_note = QLabel(section)
        self.asset_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.asset_note, 1)
        self.download_button = QPushButton(tr("Download"), section)
        self.download_button.setIcon(_theme_icon("/mActionFileSave.svg"))
        self.download_button.setToolTip(
            tr("Download the checked assets and add them to the map")
        )
        self.download_button.setEnabled(False)
        self.download_button.clicked.connect(self.download_checked)
        row.addWidget(self.download_button)
        layout.addLayout(row)
        self._show_assets_hint()
        return section

    def _build_downloads_section(self) -> QWidget:
        section = QWidget(self)
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        title = QLabel(tr("Downloads"), section)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        self.downloads_view = DownloadsView(self.history, section)
        self.downloads_view.setMinimumHeight(90)
        self.downloads_view.cancelRequested.connect(self.cancel_download)
        self.downloads_view.againRequested.connect(self.download_again)
        self.downloads_view.removeRequested.connect(self._remove_entry)
        layout.addWidget(self.downloads_view, 1)
        return section

    def _text_width(self, sample: str) -> int:
        return self.fontMetrics().horizontalAdvance(sample) + 16

    @staticmethod
    def _configure_table(table: QTableView) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        vertical = table.verticalHeader()
        vertical.hide()
        # Fixed heights: no per-row measuring, whatever the row count.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)

    def _restore_layout(self) -> None:
        stored = QgsSettings()
        header_state = stored.value(HEADER_STATE_KEY)
        if header_state:
            self.aoi_table.horizontalHeader().restoreState(header_state)
        splitter_state = stored.value(SPLITTER_STATE_KEY)
        if not splitter_state or not self.splitter.restoreState(splitter_state):
            self.splitter.setSizes([520, 240, 200])

    def _save_layout(self) -> None:
        stored = QgsSettings()
        stored.setValue(HEADER_STATE_KEY, self.aoi_table.horizontalHeader().saveState())
        stored.setValue(SPLITTER_STATE_KEY, self.splitter.saveState())

    def _show_initial_state(self) -> None:
        if not _key_configured():
            self._show_no_key()
        else:
            self._set_aoi_state(
                STATE_IDLE, tr("Your Pixxel AOIs appear here."),
                button=tr("List them now"), action=self.refresh,
            )

    # ------------------------------------------------------------------------------------------
    # life cycle

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._auto_load and not self._loaded_once and not self._disposed:
            self._loaded_once = True
            # After the dock is on screen: reading the key may open the master-password prompt.
            QTimer.singleShot(0, self.refresh)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._save_layout()
        super().closeEvent(event)

    def dispose(self) -> None:
        """Stop what belongs to the dock: its listing tasks (downloads keep running: they are
        the user's, the registry owns them and the history records their end), the highlight,
        and its connections to objects that may outlive it. Safe to call more than once. The
        plugin should call it before deleteLater(); a dock deleted without it still cancels its
        listings and removes its highlight (through `destroyed`)."""
        if self._disposed:
            return
        self._disposed = True
        with contextlib.suppress(RuntimeError):  # widgets already deleted (from `destroyed`)
            self._asset_timer.stop()
            self._save_layout()
            self.downloads_view.detach()
        self._release_resources()

    def _release_resources(self) -> None:
        # Python-side state and tasks only: from `destroyed`, the dock's widgets are gone.
        self._disposed = True
        for task in (self._list_task, self._asset_task, self._catalog_task):
            if _alive(task):
                self._disconnect_task(task)
        self._list_task = self._asset_task = self._catalog_task = None
        for task in self._downloads.values():
            if _alive(task):
                _disconnect(task.completed, self._download_completed)
        self._resources.release()

    def _start_own(self, task: Any) -> bool:
        """Start a listing task that belongs to the dock (cancelled with it)."""
        self._resources.track(task)
        return self.registry.start(task)

    def _disconnect_task(self, task: Any) -> None:
        for slot in (self._list_completed, self._assets_completed, self._catalog_completed):
            _disconnect(task.completed, slot)
        if isinstance(task, AoiListTask):
            _disconnect(task.firstPage, self._first_page)
            _disconnect(task.morePages, self._more_pages)

    # ------------------------------------------------------------------------------------------
    # connection and settings

    def _get_connection(self, *, fresh: bool = False) -> Optional[Connection]:
        """The connection, or None after showing why there is none."""
        if self._connection is not None and not fresh:
            return self._connection
        try:
            self._connection = self._connection_provider()
        except SetupError as error:
            self._connection = None
            if not _key_configured():
                self._show_no_key()
            else:
                self._show_list_error(str(error), settings_button=True)
            return None
        except (PixxelError, credentials.CredentialsError, ValueError) as error:
            self._connection = None
            self._show_list_error(str(error), settings_button=True)
            return None
        return self._connection

    def open_settings(self) -> None:
        self._open_settings()
        # The options dialog is modal: when it returns, the key or address may have changed.
        if self.aoi_state in (STATE_NO_KEY, STATE_ERROR) or not self.aoi_model.rows:
            self.refresh()
        else:
            self._connection = None

    # ------------------------------------------------------------------------------------------
    # listing

    def refresh(self) -> None:
        """List the AOIs again (rows already shown stay until the new listing has them), the
        catalogue too if it is missing, and forget cached asset lists."""
        if self._disposed:
            return
        self._loaded_once = True
        connection = self._get_connection(fresh=True)
        if connection is None:
            return
        if _alive(self._list_task):
            self._disconnect_task(self._list_task)
            self._list_task.cancel()
        self._asset_cache.clear()
        if not self._catalog_loaded and not _alive(self._catalog_task):
            self._catalog_task = CatalogTask(connection)
            self._catalog_task.completed.connect(self._catalog_completed)
            self._start_own(self._catalog_task)
        task = AoiListTask(connection)
        task.firstPage.connect(self._first_page)
        task.morePages.connect(self._more_pages)
        task.completed.connect(self._list_completed)
        self._list_task = task
        self._listed_ids = set()
        self._list_total = None
        self.refresh_button.setEnabled(False)
        self.list_progress.setRange(0, 0)
        self.list_progress.show()
        if not self.aoi_model.rows:
            self._set_aoi_state(STATE_LOADING, tr("Loading your AOIs…"), busy=True)
        self.count_label.setText(tr("Loading AOIs…"))
        self._start_own(task)
        # A selected AOI's assets are listed again too: their status may have changed.
        aoi = self.selected_aoi()
        if aoi is not None:
            self._load_assets(aoi)

    def _first_page(self, aois: List[Aoi], total: int) -> None:
        if self.sender() is not self._list_task:
            return
        self._list_total = total if total >= 0 else None
        self._add_listed(aois)

    def _more_pages(self, aois: List[Aoi]) -> None:
        if self.sender() is not self._list_task:
            return
        self._add_listed(aois)

    def _add_listed(self, aois: List[Aoi]) -> None:
        self._listed_ids.update(aoi.aoi_id for aoi in aois)
        self.aoi_model.append(aois)
        if aois:
            self.footprints.update(aois)
        if self._list_total:
            self.list_progress.setRange(0, self._list_total)
            self.list_progress.setValue(len(self._listed_ids))
        self._update_aoi_view()

    def _list_completed(self, task: AoiListTask) -> None:
        if task is not self._list_task:
            return
        self._list_task = None
        self.refresh_button.setEnabled(True)
        self.list_progress.hide()
        error = task.error
        if isinstance(error, CancelledError):
            self._update_aoi_view()
            return
        if error is not None:
            if isinstance(error, KeyRejectedError) or not self.aoi_model.rows:
                self._show_list_error(str(error))
            else:
                self.count_label.setText(tr("Refresh failed: {error}").format(error=error))
                self.count_label.setToolTip(str(error))
            return
        # Complete: AOIs deleted since the last listing go from the table and the map.
        self.aoi_model.retain_only(self._listed_ids)
        self.footprints.retain_only(self._listed_ids)
        self._update_aoi_view()

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
        self._projects = {project.id: project for project in projects}
        self._satellites = {satellite.id: satellite for satellite in satellites}
        self.aoi_model.set_catalog(projects, satellites)
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

    # ------------------------------------------------------------------------------------------
    # AOI area states

    def _set_aoi_state(self, state: str, title: str = "", text: str = "", **options) -> None:
        self.aoi_state = state
        has_rows = bool(self.aoi_model.rows)
        self.search_edit.setEnabled(has_rows)
        self.project_combo.setEnabled(has_rows)
        if state == STATE_TABLE:
            self.aoi_stack.setCurrentWidget(self.aoi_table)
            return
        self.aoi_message.show_message(title, text, **options)
        self.aoi_stack.setCurrentWidget(self.aoi_message)

    def _show_no_key(self) -> None:
        self._set_aoi_state(
            STATE_NO_KEY,
            tr("Set your Pixxel API key"),
            tr("Generate a key in Aurora (Workspace Settings → API → service account), then "
               "paste it in the Pixxel settings."),
            button=tr("Open settings"),
            action=self.open_settings,
        )
        self.count_label.setText("")

    def _show_list_error(self, message: str, settings_button: bool = False) -> None:
        self._set_aoi_state(
            STATE_ERROR,
            tr("Could not list your AOIs"),
            tr("{message}\n\nDetails are in the Pixxel tab of the log messages panel.").format(
                message=message
            ),
            button=tr("Open settings") if settings_button else tr("Retry"),
            action=self.open_settings if settings_button else self.refresh,
        )
        self.count_label.setText("")
        self.refresh_button.setEnabled(True)
        self.list_progress.hide()

    def _update_aoi_view(self) -> None:
        total = len(self.aoi_model.rows)
        shown = self.aoi_proxy.rowCount()
        loading = _alive(self._list_task)
        if self.aoi_state in (STATE_NO_KEY, STATE_ERROR) and not total:
            return
        if total == 0:
            if loading:
                self._set_aoi_state(STATE_LOADING, tr("Loading your AOIs…"), busy=True)
            else:
                self._set_aoi_state(
                    STATE_EMPTY,
                    tr("No AOIs yet"),
                    tr("This API key sees no areas of interest. Create one in Aurora, then "
                       "refresh."),
                    button=tr("Refresh"),
                    action=self.refresh,
                )
        elif shown == 0:
            self._set_aoi_state(
                STATE_NO_MATCH,
                tr("No AOI matches the filter"),
                button=tr("Clear the filter"),
                action=self.clear_filter,
            )
        else:
            self._set_aoi_state(STATE_TABLE)
        self.count_label.setToolTip("")
        if loading:
            expected = f" / {self._list_total:,}" if self._list_total else ""
            self.count_label.setText(
                tr("Loading AOIs… {count}{expected}").format(count=f"{total:,}", expected=expected)
            )
        elif self.aoi_proxy.is_filtered():
            self.count_label.setText(
                tr("{shown} of {total} AOIs").format(shown=f"{shown:,}", total=f"{total:,}")
            )
        else:
            self.count_label.setText(tr("{total} AOIs").format(total=f"{total:,}"))

    # ------------------------------------------------------------------------------------------
    # filtering

    def _filter_text_changed(self, text: str) -> None:
        self.aoi_proxy.set_text(text)

    def _project_changed(self, *_args: Any) -> None:
        self.aoi_proxy.set_project(self.project_combo.currentData())

    def set_project_filter(self, project_id: Optional[str]) -> None:
        position = self.project_combo.findData(project_id) if project_id else 0
        self.project_combo.setCurrentIndex(max(position, 0))

    def clear_filter(self) -> None:
        self.search_edit.clear()
        self.project_combo.setCurrentIndex(0)

    def _header_menu(self, position) -> None:
        header = self.aoi_table.horizontalHeader()
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
        menu.addAction(_theme_icon("/mActionZoomToSelected.svg"), tr("Zoom to AOI"),
                       self.zoom_to_selected)
        menu.addAction(tr("Copy AOI ID"), lambda: QGuiApplication.clipboard().setText(aoi.aoi_id))
        menu.exec(self.aoi_table.viewport().mapToGlobal(position))

    # ------------------------------------------------------------------------------------------
    # selection, map

    def selected_aoi(self) -> Optional[Aoi]:
        rows = self.aoi_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.aoi_model.aoi(rows[0].data(AOI_ID_ROLE))

    def select_aoi(self, aoi_id: str) -> bool:
        """Select an AOI's row (when the filter shows it)."""
        row = self.aoi_model.row_of(aoi_id)
        if row is None:
            return False
        index = self.aoi_proxy.mapFromSource(self.aoi_model.index(row, 0))
        if not index.isValid():
            return False
        self.aoi_table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.aoi_table.scrollTo(index)
        return True

    def _aoi_selection_changed(self, *_args: Any) -> None:
        aoi = self.selected_aoi()
        self.zoom_button.setEnabled(aoi is not None)
        if aoi is None:
            # Hidden by the filter, or deselected: the assets panel keeps showing its AOI.
            return
        self.footprints.select(aoi.aoi_id)
        if self._assets_aoi is not None and self._assets_aoi.aoi_id == aoi.aoi_id:
            return
        self._pending_aoi_id = aoi.aoi_id
        self._asset_timer.start()

    def zoom_to_selected(self) -> bool:
        aoi = self.selected_aoi()
        if aoi is None:
            return False
        return self.footprints.zoom_to([aoi.aoi_id])

    # ------------------------------------------------------------------------------------------
    # assets

    def _load_pending_assets(self) -> None:
        aoi = self.aoi_model.aoi(self._pending_aoi_id) if self._pending_aoi_id else None
        if aoi is not None:
            self._load_assets(aoi)

    def _load_assets(self, aoi: Aoi) -> None:
        if _alive(self._asset_task):
            _disconnect(self._asset_task.completed, self._assets_completed)
            self._asset_task.cancel()
            self._asset_task = None
        self._assets_aoi = aoi
        self.assets_title.setText(tr("Assets of {aoi}").format(aoi=aoi.name or aoi.aoi_id))
        self.assets_title.setToolTip(aoi.aoi_id)
        cached = self._asset_cache.get(aoi.aoi_id)
        if cached is not None:
            self._show_assets(aoi, cached)
            return
        connection = self._get_connection()
        if connection is None:
            return
        self.asset_model.set_assets(aoi.aoi_id, ())
        self._show_asset_message(tr("Loading assets…"), busy=True)
        task = AssetListTask(connection, aoi.aoi_id)
        task.completed.connect(self._assets_completed)
        self._asset_task = task
        self._start_own(task)

    def _assets_completed(self, task: AssetListTask) -> None:
        if task is not self._asset_task:
            return
        self._asset_task = None
        aoi = self._assets_aoi
        if aoi is None or aoi.aoi_id != task.aoi_id:
            return
        if isinstance(task.error, CancelledError):
            return
        if task.error is not None:
            self._show_asset_message(
                tr("Could not list the assets"), str(task.error),
                button=tr("Retry"), action=lambda: self._load_assets(aoi),
            )
            return
        self._asset_cache[aoi.aoi_id] = list(task.assets)
        self._show_assets(aoi, task.assets)

    def _show_assets(self, aoi: Aoi, assets: List[Asset]) -> None:
        self.asset_model.set_assets(aoi.aoi_id, assets)
        if not assets:
            self._show_asset_message(
                tr("No assets yet"),
                tr("Pixxel has not delivered imagery for this AOI so far."),
            )
            return
        self.asset_stack.setCurrentWidget(self.asset_table)
        self._checked_changed(self.asset_model.checked_count())

    def _show_assets_hint(self) -> None:
        self.assets_title.setText(tr("Assets"))
        self._show_asset_message(tr("Select an AOI to see its assets."))

    def _show_asset_message(self, title: str, text: str = "", **options) -> None:
        self.asset_message.show_message(title, text, **options)
        self.asset_stack.setCurrentWidget(self.asset_message)
        self.select_all_check.setEnabled(False)
        self.download_button.setEnabled(False)
        self.asset_note.setText("")

    def _asset_clicked(self, index) -> None:
        # A click anywhere on a downloadable row toggles it, not only on the small check box.
        if index.column() == ASSET_COL_NAME or not (index.flags() & Qt.ItemFlag.ItemIsEnabled):
            return
        name_index = index.sibling(index.row(), ASSET_COL_NAME)
        checked = is_checked(name_index.data(Qt.ItemDataRole.CheckStateRole))
        self.asset_model.setData(
            name_index,
            Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked,
            Qt.ItemDataRole.CheckStateRole,
        )

    def _select_all_clicked(self) -> None:
        model = self.asset_model
        model.set_all_checked(model.checked_count() < model.downloadable_count())

    def _checked_changed(self, count: int) -> None:
        model = self.asset_model
        downloadable = model.downloadable_count()
        self.select_all_check.setEnabled(downloadable > 0)
        self.select_all_check.blockSignals(True)
        if count and count == downloadable:
            self.select_all_check.setCheckState(Qt.CheckState.Checked)
        elif count:
            self.select_all_check.setCheckState(Qt.CheckState.PartiallyChecked)
        else:
            self.select_all_check.setCheckState(Qt.CheckState.Unchecked)
        self.select_all_check.blockSignals(False)
        self.download_button.setEnabled(count > 0)
        self.download_button.setText(
            tr("Download ({count})").format(count=count) if count else tr("Download")
        )
        listed = len(model.assets())
        if listed and downloadable < listed:
            self.asset_note.setText(
                tr("{ready} of {listed} ready to download").format(
                    ready=downloadable, listed=listed
                )
            )
        else:
            self.asset_note.setText("")

    # ------------------------------------------------------------------------------------------
    # downloads

    def download_checked(self) -> Optional[DownloadTask]:
        aoi = self._assets_aoi
        assets = self.asset_model.checked_assets()
        if aoi is None or not assets:
            return None
        return self.start_download(aoi.aoi_id, aoi.name, assets)

    def start_download(
        self,
        aoi_id: str,
        aoi_name: str,
        assets: List[Asset],
        destination_root: Optional[str] = None,
    ) -> Optional[DownloadTask]:
        """Start (or refuse as a duplicate) the download of `assets`; None when not started."""
        from ..core.download import DownloadJob

        asset_ids = tuple(asset.id for asset in assets)
        if self.registry.is_running(download_key(aoi_id, asset_ids)):
            self.notify("info", tr("This download is already running."))
            return None
        connection = self._get_connection()
        if connection is None:
            self.notify("critical", tr("Set your Pixxel API key before downloading."))
            return None
        values = settings.load()
        job = DownloadJob(
            aoi_id,
            asset_ids,
            Path(destination_root or values.download_folder),
            aoi_name=aoi_name or None,
            keep_zip=values.keep_zips,
        )
        aoi = self.aoi_model.aoi(aoi_id)
        satellite = self._satellites.get(aoi.satellite_id) if aoi and aoi.satellite_id else None
        rgb = satellite.rgb_composite if satellite and satellite.rgb_band_names else None
        task = DownloadTask(
            connection,
            job,
            rgb_band_names=rgb,
            load_layers=values.load_after_download,
            build_overviews=values.build_overviews,
            asset_info={
                asset.name or asset.id: {"id": asset.id, "name": asset.name} for asset in assets
            },
            canvas=self.iface.mapCanvas() if self.iface is not None else None,
        )
        entry = self.history.record_start(task)
        view = self.downloads_view

        def show_progress(progress: Any, entry_id: str = entry.id) -> None:
            if not sip.isdeleted(view):
                view.set_progress(entry_id, progress)

        task.downloadProgress.connect(show_progress)
        # The history first, and not through the dock: a download outlives a closed dock.
        task.completed.connect(self.history.record_end)
        task.completed.connect(self._download_completed)
        self._downloads[entry.id] = task
        self.downloads_view.set_live(entry.id, True)
        if not self.registry.start(task):
            # Refused after all (a second click racing, or the plugin unloading).
            self._downloads.pop(entry.id, None)
            self.downloads_view.set_live(entry.id, False)
            self.history.remove(entry.id)
            self.notify("info", tr("This download is already running."))
            return None
        return task

    def _download_completed(self, task: DownloadTask) -> Any:
        entry_id = task.history_id
        self._downloads.pop(entry_id, None)
        entry = self.history.get(entry_id)  # record_end() ran first
        self.downloads_view.set_live(entry_id, False)
        what = task.job.aoi_name or task.job.aoi_id
        if task.error is None:
            images = list(task.layers.image_layers) if task.layers is not None else []
            folder = str(task.result.folder) if task.result is not None else ""
            if images:
                text = tr("{aoi}: {count} image(s) downloaded and added to the map.").format(
                    aoi=what, count=len(images)
                )
            else:
                text = tr("{aoi}: downloaded to {folder}.").format(aoi=what, folder=folder)
            self.notify("success", text, folder=folder, layers=images)
        elif isinstance(task.error, CancelledError):
            self.notify("info", tr("The download of {aoi} was cancelled.").format(aoi=what))
        else:
            self.notify(
                "critical",
                tr("The download of {aoi} failed: {error} Details are in the Pixxel tab of the "
                   "log messages panel.").format(aoi=what, error=task.error),
            )
        return entry

    def cancel_download(self, entry_id: str) -> bool:
        task = self._downloads.get(entry_id)
        if not _alive(task):
            return False
        task.cancel()
        return True

    def download_again(self, entry_id: str) -> Optional[DownloadTask]:
        """Add to map again / resume / retry: the same request once more. Files already complete
        are not fetched again and `.part` files are continued."""
        entry = self.history.get(entry_id)
        if entry is None:
            return None
        names = dict(zip(entry.asset_ids, entry.asset_names))
        assets = [Asset(id=asset_id, aoi_id=entry.aoi_id, name=names.get(asset_id, ""))
                  for asset_id in entry.asset_ids]
        task = self.start_download(
            entry.aoi_id, entry.aoi_name, assets, destination_root=entry.destination_root or None
        )
        if task is not None:
            self.history.remove(entry_id)  # the new entry stands for the same request
        return task

    def _remove_entry(self, entry_id: str) -> None:
        if entry_id not in self._downloads:
            self.history.remove(entry_id)

    # ------------------------------------------------------------------------------------------
    # messages

    def notify(
        self,
        level: str,
        text: str,
        *,
        folder: str = "",
        layers: Optional[list] = None,
    ) -> None:
        """A message bar message (`level`: info, success, warning, critical), with "Open folder"
        and "Zoom to" buttons when a folder or layers are given."""
        self.last_notice = (level, text)
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is None:
            return
        levels = {
            "info": Qgis.MessageLevel.Info,
            "success": Qgis.MessageLevel.Success,
            "warning": Qgis.MessageLevel.Warning,
            "critical": Qgis.MessageLevel.Critical,
        }
        widget = bar.createMessage(tr("Pixxel"), text)
        if folder:
            button = QPushButton(tr("Open folder"), widget)
            button.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(folder))
            )
            widget.layout().addWidget(button)
        canvas = self.iface.mapCanvas() if layers else None
        if canvas is not None:
            layer_ids = [layer.id() for layer in layers]
            button = QPushButton(tr("Zoom to"), widget)
            button.clicked.connect(lambda: _zoom_to_layers(canvas, layer_ids))
            widget.layout().addWidget(button)
        duration = 0 if level == "critical" else MESSAGE_SECONDS
        bar.pushWidget(widget, levels.get(level, Qgis.MessageLevel.Info), duration)


def _zoom_to_layers(canvas: Any, layer_ids: List[str]) -> None:
    from qgis.core import QgsProject

    project = QgsProject.instance()
    layers = [project.mapLayer(layer_id) for layer_id in layer_ids]
    layers = [layer for layer in layers if layer is not None]
    if layers:
        zoom_canvas_to(canvas, layers, project)


class _DockResources:
    """The dock's listing tasks and footprint highlight, released when the dock is deleted even
    without dispose(). It holds no reference to the dock, so that the `destroyed` connection
    does not keep the dock alive."""

    def __init__(self, footprints: AoiFootprints) -> None:
        self.footprints = footprints
        self.tasks: List[Any] = []

    def track(self, task: Any) -> None:
        self.tasks = [known for known in self.tasks if _alive(known)] + [task]

    def release(self) -> None:
        tasks, self.tasks = self.tasks, []
        for task in tasks:
            if _alive(task):
                task.cancel()
        self.footprints.release()


def _release(resources: _DockResources, *_args: Any) -> None:
    resources.release()
