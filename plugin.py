"""Wiring only: connects the plugin's pieces to the QGIS interface and takes them away again."""

from typing import Optional

import qgis.utils
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .core.pixxel import interruptible
from .core.pixxel.plugin_info import resource_path
from .core.processing.provider import PixxelProvider
from .core.qgis import qgis_log, translation
from .core.qgis.connection_check import cancel_running_checks
from .core.qgis.history import DownloadHistory
from .core.qgis.i18n import tr
from .core.qgis.registry import TaskRegistry
from .ui.band_combination_menu import BandCombinationMenu
from .ui.dock import PixxelDock
from .ui.notices import Notices
from .ui.options_page import PixxelOptionsFactory, open_settings
from .ui.spectral_profile import SpectralProfile

MENU_TITLE = "&Pixxel"
UNLOAD_WAIT_SECONDS = 5.0


class PixxelPlugin:
    def __init__(self) -> None:
        self.iface = None
        self.provider: Optional[PixxelProvider] = None
        self.registry: Optional[TaskRegistry] = None
        self.dock: Optional[PixxelDock] = None
        self.options_factory: Optional[PixxelOptionsFactory] = None
        self.toggle_dock_action: Optional[QAction] = None
        self.translator: Optional[QTranslator] = None
        self.band_combinations: Optional[BandCombinationMenu] = None
        self.spectral_profile: Optional[SpectralProfile] = None

    def initProcessing(self) -> None:  # noqa: N802 - QGIS API name
        # Also the entry point of qgis_process (no GUI), so the log tab and the translation are set
        # up here, the translation before any algorithm or widget asks for its text.
        self.translator = translation.install()
        qgis_log.install()
        self.provider = PixxelProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:  # noqa: N802 - QGIS API name
        # Read at initGui time, not import time: qgis_process never sets it and never calls initGui.
        self.iface = qgis.utils.iface
        self.initProcessing()
        main_window = self.iface.mainWindow()

        self.options_factory = PixxelOptionsFactory()
        self.iface.registerOptionsWidgetFactory(self.options_factory)

        self.registry = TaskRegistry()
        self.dock = PixxelDock(
            main_window, iface=self.iface, registry=self.registry, history=DownloadHistory(),
            open_settings=open_settings,
        )
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        # After adding, which shows it: a dock visible at start-up would list AOIs into a memory
        # layer while QGIS is still opening, and QGIS then asks to save that "unsaved" project.
        self.dock.hide()

        # The dock's own toggle action keeps the button, the menu entry and the dock's visibility
        # in step however the user closes it.
        icon = QIcon(resource_path("icon.svg"))
        self.toggle_dock_action = QAction(icon, tr("Pixxel"), main_window)
        self.toggle_dock_action.setObjectName("PixxelToggleDock")
        self.toggle_dock_action.setToolTip(tr("Show or hide the Pixxel panel"))
        self.toggle_dock_action.setCheckable(True)
        self.dock.setToggleVisibilityAction(self.toggle_dock_action)
        self.iface.addWebToolBarIcon(self.toggle_dock_action)
        self.iface.addPluginToWebMenu(MENU_TITLE, self.toggle_dock_action)

        # The spectral tools: they read local files and need no Pixxel connection.
        notices = Notices(iface=self.iface)
        self.band_combinations = BandCombinationMenu(self.registry, notices, iface=self.iface)
        self.spectral_profile = SpectralProfile(notices, iface=self.iface)
        self.iface.addWebToolBarIcon(self.spectral_profile.action)
        self.iface.addPluginToWebMenu(MENU_TITLE, self.spectral_profile.action)

    def unload(self) -> None:
        if self.registry is not None:
            # First, while the dock and the log still exist for the tasks' last signals. Running
            # downloads keep their .part files, so a later session can resume them.
            self.registry.cancel_all(wait_seconds=UNLOAD_WAIT_SECONDS)
            self.registry = None
        if self.band_combinations is not None:
            self.band_combinations.dispose()
            self.band_combinations = None
        if self.spectral_profile is not None:
            self.iface.removePluginWebMenu(MENU_TITLE, self.spectral_profile.action)
            self.iface.removeWebToolBarIcon(self.spectral_profile.action)
            self.spectral_profile.dispose()
            self.spectral_profile = None
        if self.toggle_dock_action is not None:
            self.iface.removePluginWebMenu(MENU_TITLE, self.toggle_dock_action)
            self.iface.removeWebToolBarIcon(self.toggle_dock_action)
            self.toggle_dock_action.deleteLater()
            self.toggle_dock_action = None
        if self.dock is not None:
            self.dock.dispose()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        cancel_running_checks()
        interruptible.stop_watcher()
        if self.options_factory is not None:
            self.iface.unregisterOptionsWidgetFactory(self.options_factory)
            self.options_factory = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        qgis_log.uninstall()
        if self.translator is not None:
            translation.uninstall(self.translator)
            self.translator = None
