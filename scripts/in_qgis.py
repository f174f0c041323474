"""Helpers for driver scripts running inside QGIS (see desktop_session.py): wait on the event
loop, never sleep on the main thread, and hand a report back."""

import json
import os
import time
import traceback
from pathlib import Path
from typing import Callable

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QEventLoop, QTimer


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Run the event loop until `condition()` holds; TimeoutError after `timeout` seconds."""
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(20)
    deadline = time.monotonic() + timeout
    poll.timeout.connect(lambda: loop.quit() if condition() or time.monotonic() > deadline
                         else None)
    poll.start()
    if not condition():
        loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError(f"{what}: nothing after {timeout:.0f} s")


def wait_for_listing(dock, timeout: float) -> None:
    """Until the Pixxel dock's AOI listing has ended with rows in the table."""
    panel = dock.aoi_panel
    wait_until(lambda: panel.list_task is None and panel.model.rowCount() > 0, timeout,
               "the AOIs")


def wait_for_no_task(timeout: float) -> None:
    """Until QGIS' task manager runs nothing (the catalogue follows a listing, for one)."""
    tasks = QgsApplication.taskManager()
    wait_until(lambda: tasks.countActiveTasks() == 0, timeout, "the running tasks")


def tick_downloadable_assets(dock, aoi_id: str, timeout: float) -> None:
    """Select the AOI in the listed dock and tick every asset it can download, as a user
    would before pressing Download."""
    if not dock.aoi_panel.select_aoi(aoi_id):
        raise RuntimeError("the AOI is not in the dock")
    assets = dock.asset_panel.model
    wait_until(lambda: assets.downloadable_count() > 0, timeout, "the AOI's assets")
    assets.set_all_checked(True)


def pause(milliseconds: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def run_and_report(work: Callable[[dict], dict]) -> None:
    """Once the event loop runs (`--code` runs before it starts): `work(orders)`, its report (or
    the traceback) written where the orders say, then QGIS ends."""

    def main() -> None:
        try:
            orders = json.loads(
                Path(os.environ["PIXXEL_DESKTOP_ORDERS"]).read_text(encoding="utf-8")
            )
            try:
                report = work(orders)
            except Exception:  # noqa: BLE001 - whatever happened must reach the caller
                report = {"error": traceback.format_exc()}
            Path(orders["report"]).write_text(json.dumps(report), encoding="utf-8")
        finally:
            # QGIS ends whatever happened: a desktop left open makes the caller wait out its
            # time-out. Layers still in the project when QGIS exits can crash it on the way out.
            QgsProject.instance().clear()
            QgsApplication.exit(0)

    QTimer.singleShot(0, main)
