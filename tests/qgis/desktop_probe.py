"""Runs inside a real QGIS desktop (`qgis --code`): checks what the plugin put into the main window,
unloads it, loads it again, and writes what it saw as JSON to $PIXXEL_PROBE_OUT, then quits QGIS.

Not a test module: tests/qgis/test_desktop.py starts QGIS with it."""

import json
import os
import traceback

import qgis.utils
from qgis.core import QgsApplication
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
    except Exception:  # noqa: BLE001 - the report must reach the test whatever happened
        report["error"] = traceback.format_exc()
    with open(os.environ["PIXXEL_PROBE_OUT"], "w", encoding="utf-8") as out:
        json.dump(report, out)
    QgsApplication.exit(0)


# --code runs before the event loop starts: run the probe from inside it, as a user's clicks would.
QTimer.singleShot(0, _probe)
