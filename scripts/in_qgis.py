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


def pause(milliseconds: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def run_and_report(work: Callable[[dict], dict]) -> None:
    """Once the event loop runs (`--code` runs before it starts): `work(orders)`, its report (or
    the traceback) written where the orders say, then QGIS ends."""

    def main() -> None:
        orders = json.loads(Path(os.environ["PIXXEL_DESKTOP_ORDERS"]).read_text(encoding="utf-8"))
        try:
            report = work(orders)
        except Exception:  # noqa: BLE001 - whatever happened must reach the caller
            report = {"error": traceback.format_exc()}
        Path(orders["report"]).write_text(json.dumps(report), encoding="utf-8")
        # Layers still in the project when QGIS exits can crash it on the way out.
        QgsProject.instance().clear()
        QgsApplication.exit(0)

    QTimer.singleShot(0, main)
