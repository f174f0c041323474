"""Runs inside the QGIS desktop (`qgis --code`) for scripts/screenshot.py; not importable elsewhere.

Reads its orders from the JSON file named by $PIXXEL_DESKTOP_ORDERS (the AOI to show, where to write
the pictures and the report). Drives the Pixxel dock as a user would: list the AOIs, select the
AOI, tick its downloadable assets, Download; waits for the layers (and any overviews) on the
event loop, zooms to the imagery, then grabs the main window, the dock and the Pixxel options
page. Then QGIS quits.
"""

from pathlib import Path

import qgis.utils
from in_qgis import (  # scripts/, on the driver's PYTHONPATH
    pause,
    run_and_report,
    tick_downloadable_assets,
    wait_for_listing,
    wait_until,
)
from qgis.core import QgsProject
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import QApplication

PLUGIN = "pixxel_qgis"
WINDOW = (1600, 1000)
DOCK_WIDTH = 400  # the AOI table's main columns, and room for the message bar on the map
OPTIONS_SIZE = (1000, 780)  # tall enough for the Pixxel entry at the end of the page list
SETTLE_MS = 1500  # after the last render: the message bar and the layer tree finish drawing




def shoot(orders: dict) -> dict:
    from pixxel_qgis.core.qgis.layers import zoom_canvas_to

    iface = qgis.utils.iface
    main, canvas = iface.mainWindow(), iface.mapCanvas()
    dock = qgis.utils.plugins[PLUGIN].dock
    out = Path(orders["images"])
    # No window manager under Xvfb: place the window explicitly.
    main.setGeometry(0, 0, *WINDOW)
    dock.show()
    dock.raise_()
    main.resizeDocks([dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
    # Listed again now: QGIS' start-up began a new project after the dock's first listing,
    # which took the AOI footprints layer with it.
    dock.refresh()
    panel = dock.aoi_panel
    wait_for_listing(dock, 120)
    tick_downloadable_assets(dock, orders["aoi_id"], 120)

    ended: dict = {}
    task = dock.download_checked()
    if task is None:
        raise RuntimeError("the dock started no download")
    task.completed.connect(lambda done: ended.update(
        error=done.error, layers=done.layers, overview=done.overview_task))
    wait_until(lambda: bool(ended), 600, "the download")
    if ended["error"] is not None:
        raise RuntimeError(f"the download failed: {ended['error']}")
    overview = ended["overview"]
    if overview is not None:
        finished: list = []
        overview.taskCompleted.connect(lambda: finished.append(True))
        overview.taskTerminated.connect(lambda: finished.append(False))
        wait_until(lambda: bool(finished), 600, "the overviews")
    images = list(ended["layers"].image_layers)
    zoom_canvas_to(canvas, images, QgsProject.instance())
    wait_until(lambda: not canvas.isDrawing(), 120, "the map")
    pause(SETTLE_MS)
    wait_until(lambda: not canvas.isDrawing(), 120, "the map")

    iface.statusBarIface().clearMessage()  # "0 features selected", from the line above
    main.grab().save(str(out / "qgis-pixxel-dock.png"))
    dock.grab().save(str(out / "dock.png"))
    grabbed: list = []

    def grab_options() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not open yet
            QTimer.singleShot(200, grab_options)
            return
        dialog.resize(*OPTIONS_SIZE)
        pause(500)
        dialog.grab().save(str(out / "options.png"))
        grabbed.append(dialog.objectName())
        dialog.reject()

    QTimer.singleShot(200, grab_options)
    dock.open_settings()  # modal: returns once grab_options() has closed it
    return {
        "layers": [layer.name() for layer in images],
        "canvas_layers": [layer.name() for layer in canvas.layers()],
        "aois_listed": panel.model.rowCount(),
        "options_dialog": grabbed,
    }


run_and_report(shoot)
