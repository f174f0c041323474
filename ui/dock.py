"""The Pixxel dock: browse AOIs and their assets, download, and follow downloads.

Layout, top to bottom: three tabs, and below them running and past downloads
(ui/downloads_view.py, driven by ui/download_actions.py), whichever tab started them. "AOIs": the
search row and the AOI table (ui/aoi_panel.py) over the assets of the selected AOI
(ui/asset_panel.py). "Purchased": order items and catalogs (ui/purchased_panel.py), listed when
first shown. "Find imagery": the archive search, previews and orders (ui/archive_panel.py). The
dock puts them together and keeps what they share: the connection (made when first needed, made
again on Refresh or after the settings), the listing tasks that go with the dock, and the dock's
life cycle (first listing when shown, layout saved, tasks stopped when it goes).

Everything slow runs in QgsTasks started through the TaskRegistry.
"""

import contextlib
import functools
from typing import Any, Callable, Optional

import qgis.utils
from qgis.core import QgsSettings
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from ..core.pixxel.errors import PixxelError
from ..core.qgis import credentials, settings
from ..core.qgis.connection import Connection, SetupError, current_connection
from ..core.qgis.i18n import tr
from ..core.qgis.registry import TaskRegistry
from ..core.qgis.tasks import DownloadTask
from .aoi_panel import AoiPanel
from .archive_panel import ArchivePanel
from .asset_panel import AssetPanel
from .download_actions import DownloadActions
from .downloads_view import DownloadsView
from .footprints import AoiFootprints
from .lifetime import OwnedTasks, disconnect
from .notices import Notices
from .purchased_footprints import PurchasedFootprints
from .purchased_panel import PurchasedPanel
from .widgets import bold_label

DOCK_OBJECT_NAME = "PixxelDock"
SPLITTER_STATE_KEY = settings.PREFIX + "dock/splitter"
AOI_SPLITTER_STATE_KEY = settings.PREFIX + "dock/aoi_splitter"


def _default_open_settings() -> None:
    from .options_page import open_settings

    open_settings()


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
            from ..core.qgis.history import DownloadHistory

            history = DownloadHistory(parent=self)
        self.history = history
        self._connection_provider = connection_provider
        self._open_settings = open_settings or _default_open_settings
        self._auto_load = auto_load
        self._loaded_once = False
        self._disposed = False
        self._connection: Optional[Connection] = None

        canvas = self.iface.mapCanvas() if self.iface is not None else None
        # The desktop's interface has a layer tree-canvas bridge; test doubles may not.
        bridge = getattr(self.iface, "layerTreeCanvasBridge", None)
        self.footprints = AoiFootprints(canvas=canvas, canvas_bridge=bridge() if bridge else None)
        self.purchased_footprints = PurchasedFootprints(canvas=canvas)
        # Kept apart from the dock, so that its deletion can cancel them without the dock.
        self._tasks = OwnedTasks(self.registry)
        self.notices = Notices(iface=self.iface)

        self._build()
        self._restore_layout()
        self.aoi_panel.show_initial_state()
        # Whatever deletes the dock (plugin unload, QGIS closing), its tasks and highlight go.
        self.destroyed.connect(functools.partial(_release, self._tasks, self.footprints))
        # The outlines go with the project they are in: when QGIS starts its first project (after
        # a dock left open has listed, at start-up) or the user opens or starts another, they
        # are drawn again, once the new project is in place, from the rows already listed; if
        # the panel is closed then, when it is shown again (a closed panel adds no layer).
        self._outlines_elsewhere = False
        self._redraw_outlines = QTimer(self)
        self._redraw_outlines.setSingleShot(True)
        self._redraw_outlines.timeout.connect(self.aoi_panel.draw_outlines_again)
        for signal in self._project_signals():
            signal.connect(self._project_replaced)

    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)

        # The views in tabs: the account's AOIs, its purchases, and the archive search.
        self.tabs = QTabWidget(body)
        aoi_page = QWidget(self.tabs)
        aoi_layout = QVBoxLayout(aoi_page)
        aoi_layout.setContentsMargins(0, 4, 0, 0)
        aoi_layout.setSpacing(4)
        self.aoi_panel = AoiPanel(self.footprints, self._tasks, aoi_page)
        self.aoi_panel.refreshRequested.connect(self.refresh)
        self.aoi_panel.settingsRequested.connect(self.open_settings)
        aoi_layout.addLayout(self.aoi_panel.toolbar)
        self.asset_panel = AssetPanel(
            self.aoi_panel.model, self._get_connection, self._tasks, aoi_page
        )
        self.aoi_panel.aoiSelected.connect(self.asset_panel.show_later)
        self.asset_panel.downloadRequested.connect(self.download_checked)
        self.aoi_splitter = QSplitter(Qt.Orientation.Vertical, aoi_page)
        self.aoi_splitter.setChildrenCollapsible(False)
        self.aoi_splitter.addWidget(self.aoi_panel)
        self.aoi_splitter.addWidget(self.asset_panel)
        self.aoi_splitter.setStretchFactor(0, 5)
        self.aoi_splitter.setStretchFactor(1, 3)
        aoi_layout.addWidget(self.aoi_splitter, 1)
        self.tabs.addTab(aoi_page, tr("AOIs"))
        self.purchased_panel = PurchasedPanel(self.purchased_footprints, self._tasks, self.tabs)
        self.purchased_panel.refreshRequested.connect(self.refresh_purchases)
        self.purchased_panel.downloadRequested.connect(self._download_purchased)
        self.tabs.addTab(self.purchased_panel, tr("Purchased"))
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        self.archive_panel = ArchivePanel(
            self._archive_connection, self._tasks, self.registry, canvas, self.tabs
        )
        self.tabs.addTab(self.archive_panel, tr("Find imagery"))
        self.tabs.currentChanged.connect(self._tab_changed)

        self.splitter = QSplitter(Qt.Orientation.Vertical, body)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self._build_downloads_section())
        self.splitter.setStretchFactor(0, 8)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self.setWidget(body)

        self.downloads = DownloadActions(
            registry=self.registry,
            history=self.history,
            view=self.downloads_view,
            connection=self._get_connection,
            satellite_of=self.aoi_panel.satellite_of,
            notices=self.notices,
            iface=self.iface,
            parent=self,
        )

    def _build_downloads_section(self) -> QWidget:
        section = QWidget(self)
        layout = QVBoxLayout(section)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(bold_label(section, tr("Downloads")))
        self.downloads_view = DownloadsView(
            self.history, section,
            is_running=lambda entry_id: self.registry.download_for(entry_id) is not None,
        )
        self.downloads_view.setMinimumHeight(90)
        layout.addWidget(self.downloads_view, 1)
        return section

    def _restore_layout(self) -> None:
        self.aoi_panel.restore_header()
        for splitter, key, sizes in ((self.splitter, SPLITTER_STATE_KEY, [760, 200]),
                                     (self.aoi_splitter, AOI_SPLITTER_STATE_KEY, [520, 240])):
            state = QgsSettings().value(key)
            if not state or not splitter.restoreState(state):
                splitter.setSizes(sizes)

    def _save_layout(self) -> None:
        self.aoi_panel.save_header()
        QgsSettings().setValue(SPLITTER_STATE_KEY, self.splitter.saveState())
        QgsSettings().setValue(AOI_SPLITTER_STATE_KEY, self.aoi_splitter.saveState())

    # ------------------------------------------------------------------------------------------
    # life cycle

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._outlines_elsewhere and not self._disposed:
            self._outlines_elsewhere = False
            self._redraw_outlines.start()
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
        with contextlib.suppress(RuntimeError):  # the widgets are gone when QGIS deleted the dock
            self._save_layout()
            self.downloads_view.detach()
        for signal in self._project_signals():
            disconnect(signal, self._project_replaced)
        with contextlib.suppress(RuntimeError):  # QGIS deleted the dock, and the timer with it
            self._redraw_outlines.stop()
        self.aoi_panel.detach()
        self.asset_panel.detach()
        self.purchased_panel.detach()
        self.archive_panel.detach()
        self.downloads.detach()
        _release(self._tasks, self.footprints)

    def _project_replaced(self) -> None:
        if self.isVisible():
            # Once the new project is in place: QGIS may still be filling it.
            self._redraw_outlines.start()
        else:
            self._outlines_elsewhere = True

    def _project_signals(self) -> list:
        # The desktop's interface has both; test doubles may have neither.
        names = ("newProjectCreated", "projectRead")
        return [getattr(self.iface, name) for name in names if hasattr(self.iface, name)]

    # ------------------------------------------------------------------------------------------
    # connection, settings, listing

    def _get_connection(self, *, fresh: bool = False) -> Optional[Connection]:
        """The connection, or None after the AOI panel has shown why there is none."""
        if self._connection is not None and not fresh:
            return self._connection
        self._connection = None
        try:
            self._connection = self._connection_provider()
        except SetupError as error:
            self.aoi_panel.show_setup_error(str(error))
        except (PixxelError, credentials.CredentialsError, ValueError) as error:
            self.aoi_panel.show_list_error(str(error), settings_button=True)
        return self._connection

    def _archive_connection(self) -> Connection:
        """The connection for the archive view, which shows the reason itself when there is
        none: raises SetupError (or another PixxelError) then."""
        if self._connection is None:
            try:
                self._connection = self._connection_provider()
            except credentials.CredentialsError as error:
                raise SetupError(str(error)) from error
        return self._connection

    def open_settings(self) -> None:
        self._open_settings()
        # The options dialog is modal: when it returns, the key or address may have changed.
        if self.aoi_panel.needs_listing():
            self.refresh()
        else:
            self._connection = None

    def refresh(self) -> None:
        """List the AOIs again, the catalogue too if it is missing, and the selected AOI's
        assets: their status may have changed."""
        if self._disposed:
            return
        self._loaded_once = True
        connection = self._get_connection(fresh=True)
        if connection is None:
            return
        self.aoi_panel.list_aois(connection)
        self.asset_panel.reload(self.aoi_panel.selected_aoi())
        if self.purchased_panel.listed or self.tabs.currentWidget() is self.purchased_panel:
            self.purchased_panel.list_purchases(connection)

    def refresh_purchases(self) -> None:
        """List the purchases again (the Purchased tab's own Refresh); the tab shows why not
        when there is no connection."""
        if self._disposed:
            return
        self._connection = None
        try:
            connection = self._archive_connection()
        except (PixxelError, ValueError) as error:
            self.purchased_panel.show_error(str(error))
            return
        self.purchased_panel.list_purchases(connection)

    def _tab_changed(self, _index: int) -> None:
        # Listed when first shown: a user without purchases never waits for them.
        shown = self.tabs.currentWidget() is self.purchased_panel
        if shown and not self.purchased_panel.listed and not self._disposed:
            self.refresh_purchases()

    def _download_purchased(self, kind: Any, ids: Any, name: str, labels: Any) -> None:
        self.downloads.start_purchased(kind, ids, name, names=labels)

    def download_checked(self) -> Optional[DownloadTask]:
        aoi = self.asset_panel.aoi
        assets = self.asset_panel.model.checked_assets()
        if aoi is None or not assets:
            return None
        return self.downloads.start(aoi.aoi_id, aoi.name, assets)


def _release(tasks: OwnedTasks, footprints: AoiFootprints, *_args: Any) -> None:
    tasks.cancel_all()
    footprints.release()
