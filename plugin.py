"""Wiring only: connects the plugin's pieces to the QGIS interface and takes them away again."""

from typing import Optional

import qgis.utils
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .core.i18n import tr
from .core.plugin_info import resource_path
from .core.processing.provider import PixxelProvider
from .ui.dock import PixxelDock

MENU_TITLE = "&Pixxel"


class PixxelPlugin:
    def __init__(self) -> None:
        self.iface = None
        self.provider: Optional[PixxelProvider] = None
        self.dock: Optional[PixxelDock] = None
        self.toggle_dock_action: Optional[QAction] = None

    def initProcessing(self) -> None:  # noqa: N802 - QGIS API name
        self.provider = PixxelProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:  # noqa: N802 - QGIS API name
        # Read at initGui time, not import time: qgis_process never sets it and never calls initGui.
        self.iface = qgis.utils.iface
        self.initProcessing()
        main_window = self.iface.mainWindow()
        self.dock = PixxelDock(main_window)
        self.dock.hide()
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)

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

    def unload(self) -> None:
        if self.toggle_dock_action is not None:
            self.iface.removePluginWebMenu(MENU_TITLE, self.toggle_dock_action)
            self.iface.removeWebToolBarIcon(self.toggle_dock_action)
            self.toggle_dock_action.deleteLater()
            self.toggle_dock_action = None
        if self.dock is not None:
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
