"""A stand-in for QgisApp's interface with real widgets behind the parts the plugin touches.

pytest-qgis' stub iface accepts menu, toolbar and dock calls but does nothing with them, which would
hide a plugin that forgets to remove what it added. This one mirrors QgisApp: plugin entries go into
a named submenu of a real "Web" menu, toolbar icons onto a real "Web Toolbar", docks into a real
QMainWindow, options pages into a list the Options dialog would read."""

from qgis.core import QgsLayerTreeModel, QgsProject
from qgis.gui import QgsLayerTreeView, QgsMessageBar
from qgis.PyQt.QtWidgets import QMainWindow, QMenu, QToolBar


class DesktopIface:
    def __init__(self, stub_iface) -> None:
        self._stub = stub_iface
        self.main_window = QMainWindow()
        self.main_window.setObjectName("QgisApp")
        self.web_menu = QMenu("&Web", self.main_window)
        self.web_menu.setObjectName("mWebMenu")
        self.web_toolbar = QToolBar("Web Toolbar", self.main_window)
        self.web_toolbar.setObjectName("mWebToolBar")
        self.main_window.addToolBar(self.web_toolbar)
        self.message_bar = QgsMessageBar(self.main_window)
        self.options_factories = []
        # QgisApp's custom layer actions: [action, menu name, layer type, all layers, layers].
        self.custom_layer_actions = []
        self.layer_tree_model = QgsLayerTreeModel(QgsProject.instance().layerTreeRoot())
        # Layer rows only, as the plugin needs (current layer, context actions): legend rows of
        # the tests' rasters, laid out by a view nobody shows, are suspected of QGIS 3.40's
        # occasional floating-point exception in the QGIS tier.
        self.layer_tree_model.setFlag(QgsLayerTreeModel.Flag.ShowLegend, False)
        self.layer_tree_view = QgsLayerTreeView(self.main_window)
        self.layer_tree_view.setModel(self.layer_tree_model)

    def __getattr__(self, name):
        # Everything not modelled here behaves as pytest-qgis' stub.
        return getattr(self._stub, name)

    def mainWindow(self):  # noqa: N802 - QGIS API name
        return self.main_window

    def messageBar(self):  # noqa: N802 - QGIS API name
        return self.message_bar

    def addDockWidget(self, area, dock) -> None:  # noqa: N802 - QGIS API name
        self.main_window.addDockWidget(area, dock)

    def removeDockWidget(self, dock) -> None:  # noqa: N802 - QGIS API name
        self.main_window.removeDockWidget(dock)

    def addWebToolBarIcon(self, action) -> None:  # noqa: N802 - QGIS API name
        self.web_toolbar.addAction(action)

    def removeWebToolBarIcon(self, action) -> None:  # noqa: N802 - QGIS API name
        self.web_toolbar.removeAction(action)

    def addPluginToWebMenu(self, name: str, action) -> None:  # noqa: N802 - QGIS API name
        submenu = self.plugin_submenu(name) or self.web_menu.addMenu(name)
        submenu.addAction(action)

    def removePluginWebMenu(self, name: str, action) -> None:  # noqa: N802 - QGIS API name
        submenu = self.plugin_submenu(name)
        if submenu is None:
            return
        submenu.removeAction(action)
        if not submenu.actions():
            # QgisApp drops a plugin submenu once it is empty.
            self.web_menu.removeAction(submenu.menuAction())
            submenu.deleteLater()

    def registerOptionsWidgetFactory(self, factory) -> None:  # noqa: N802 - QGIS API name
        self.options_factories.append(factory)

    def unregisterOptionsWidgetFactory(self, factory) -> None:  # noqa: N802 - QGIS API name
        self.options_factories.remove(factory)

    def layerTreeView(self):  # noqa: N802 - QGIS API name
        return self.layer_tree_view

    def addCustomActionForLayerType(self, action, menu, layer_type, all_layers):  # noqa: N802
        self.custom_layer_actions.append([action, menu, layer_type, all_layers, []])

    def addCustomActionForLayer(self, action, layer):  # noqa: N802 - QGIS API name
        for entry in self.custom_layer_actions:
            if entry[0] is action:
                entry[4].append(layer.id())

    def removeCustomActionForLayerType(self, action):  # noqa: N802 - QGIS API name
        before = len(self.custom_layer_actions)
        self.custom_layer_actions = [e for e in self.custom_layer_actions if e[0] is not action]
        return len(self.custom_layer_actions) < before

    def layer_context_actions(self, layer):
        """The custom actions the Layers panel's context menu of `layer` shows, as QgisApp's
        QgsAppLayerTreeViewMenuProvider picks them."""
        return [
            action for action, _, layer_type, all_layers, layer_ids in self.custom_layer_actions
            if layer_type == layer.type() and (all_layers or layer.id() in layer_ids)
        ]

    def plugin_submenu(self, name: str):
        for action in self.web_menu.actions():
            if action.menu() is not None and action.text() == name:
                return action.menu()
        return None

    def close(self) -> None:
        self.main_window.deleteLater()
