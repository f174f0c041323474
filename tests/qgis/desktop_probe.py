"""Runs inside a real QGIS desktop (`qgis --code`): checks what the plugin put into the main window,
unloads it, loads it again, and writes what it saw as JSON to $PIXXEL_PROBE_OUT, then quits QGIS.

Not a test module: tests/qgis/test_desktop.py starts QGIS with it."""

import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

import qgis.utils
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QTimer
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar

PACKAGE = "pixxel_qgis"


def _settle() -> None:
    # deleteLater() runs when control is back in the event loop; flush it as the loop would.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def _state() -> dict:
    main_window = qgis.utils.iface.mainWindow()
    toolbar_actions = [
        action.objectName()
        for toolbar in main_window.findChildren(QToolBar)
        for action in toolbar.actions()
    ]
    return {
        "active": PACKAGE in qgis.utils.active_plugins,
        "docks": [d.objectName() for d in main_window.findChildren(QDockWidget)
                  if d.objectName().startswith("Pixxel")],
        "toolbar_actions": [name for name in toolbar_actions if name.startswith("Pixxel")],
        "web_menu": [action.text() for action in qgis.utils.iface.webMenu().actions()],
        "provider": QgsApplication.processingRegistry().providerById("pixxel") is not None,
    }


def _imagery_folding() -> dict:
    """A small product added to the map the plugin's way: how the Layers panel shows its group,
    image and mask folded (the view's state, which is what the user sees, and the nodes')."""
    sys.path.insert(0, os.environ["PIXXEL_REPO_ROOT"])  # the sandbox makes the product
    from pixxel_qgis.core.imagery.products import describe_products
    from pixxel_qgis.core.qgis.layers import add_products_to_project
    from sandbox import products

    spec = products.small_spec(image_id=31, size=(100, 100), bands=20, seed=31)
    folder = tempfile.mkdtemp(prefix="pixxel-probe-")
    described = describe_products(list(products.product_files(spec, Path(folder)).values()))
    added = add_products_to_project(
        described, aoi_name="Probe AOI", aoi_id="aoi-probe", project=QgsProject.instance()
    )
    _settle()
    view = qgis.utils.iface.layerTreeView()
    roles = {added.group: "group"}
    roles.update({view.layerTreeModel().rootGroup().findLayer(layer): "image"
                  for layer in added.image_layers})
    roles.update({view.layerTreeModel().rootGroup().findLayer(layer): "mask"
                  for layer in added.mask_layers})
    return {
        role: {"node": node.isExpanded(), "view": view.isExpanded(view.node2index(node))}
        for node, role in roles.items()
    }


def _band_combination_menu() -> dict:
    """The Layers panel's real context menu of the probe's image (QGIS builds it from the custom
    layer actions): its "Band combination" entry and the presets it lists."""
    view = qgis.utils.iface.layerTreeView()
    image = next(layer for layer in QgsProject.instance().mapLayers().values()
                 if layer.customProperty("pixxel/role") == "image")
    view.setCurrentLayer(image)
    menu = view.menuProvider().createContextMenu()
    try:
        entry = next((a for a in menu.actions() if a.objectName() == "PixxelBandCombination"),
                     None)
        if entry is None or entry.menu() is None:
            return {"entry": False}
        entry.menu().aboutToShow.emit()
        return {"entry": True, "presets": [[a.text(), a.isEnabled()]
                                           for a in entry.menu().actions() if a.text()]}
    finally:
        menu.deleteLater()


def _probe() -> None:
    report = {"states": []}
    try:
        report["states"].append(_state())
        report["unloaded"] = qgis.utils.unloadPlugin(PACKAGE)
        _settle()
        report["states"].append(_state())
        report["reloaded"] = qgis.utils.loadPlugin(PACKAGE) and qgis.utils.startPlugin(PACKAGE)
        _settle()
        report["states"].append(_state())
        report["folding"] = _imagery_folding()
        report["band_combination_menu"] = _band_combination_menu()
    except Exception:  # noqa: BLE001 - the report must reach the test whatever happened
        report["error"] = traceback.format_exc()
    with open(os.environ["PIXXEL_PROBE_OUT"], "w", encoding="utf-8") as out:
        json.dump(report, out)
    QgsApplication.exit(0)


# --code runs before the event loop starts: run the probe from inside it, as a user's clicks would.
QTimer.singleShot(0, _probe)
