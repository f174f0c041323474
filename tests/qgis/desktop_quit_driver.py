"""Runs inside the real QGIS desktop (`qgis --code`, see scripts/desktop_session.py) for
test_desktop_quit.py; not a test module.

orders["mode"]:
- "quit": start a download from the dock, and once its `.part` file exists quit QGIS as a user
  does (File ▸ Exit). QGIS asks whether to cancel the running tasks: answer Yes, wait for the
  download to end, then Exit again. The report is rewritten after every step, so whatever
  happens to the process, what was reached is on disk.
- "resume": in the next session on the same profile, press the download's Resume button in the
  dock's downloads list and wait for the imagery on the map; then QGIS ends.
"""

import json
import os
import time
from pathlib import Path

import qgis.utils
from in_qgis import pause, wait_until  # scripts/, on the driver's PYTHONPATH
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QAbstractButton, QApplication, QMessageBox

PLUGIN = "pixxel_qgis"
ORDERS = json.loads(Path(os.environ["PIXXEL_DESKTOP_ORDERS"]).read_text(encoding="utf-8"))
report: dict = {}


def save(**facts) -> None:
    report.update(facts)
    Path(ORDERS["report"]).write_text(json.dumps(report), encoding="utf-8")


def answer_questions() -> None:
    """Answer QGIS' question with Yes (and record it); keep watching until QGIS ends."""
    dialog = QApplication.activeModalWidget()
    if isinstance(dialog, QMessageBox):
        save(questions=report.get("questions", []) + [[dialog.windowTitle(), dialog.text()]])
        yes = [b for b in dialog.findChildren(QAbstractButton)
               if dialog.buttonRole(b) == QMessageBox.ButtonRole.YesRole]
        save(answered_at=time.monotonic())
        if yes:
            yes[0].click()
        else:
            dialog.reject()
    QTimer.singleShot(50, answer_questions)


def quit_mid_download() -> None:
    dock = qgis.utils.plugins[PLUGIN].dock
    dock.show()
    dock.refresh()
    panel = dock.aoi_panel
    wait_until(lambda: panel.list_task is None and panel.model.rowCount() > 0, 60, "the AOIs")
    if not panel.select_aoi(ORDERS["aoi_id"]):
        raise RuntimeError("the AOI is not in the dock")
    assets = dock.asset_panel.model
    wait_until(lambda: assets.downloadable_count() > 0, 60, "the AOI's assets")
    assets.set_all_checked(True)
    task = dock.download_checked()
    if task is None:
        raise RuntimeError("the dock started no download")
    task.completed.connect(
        lambda done: save(ended_at=time.monotonic(), task_error=repr(done.error))
    )
    downloads = Path(ORDERS["downloads"])
    wait_until(lambda: any(downloads.rglob("*.part")), 60, "the download's .part file")
    QgsApplication.instance().aboutToQuit.connect(lambda: save(about_to_quit=True))
    QTimer.singleShot(0, answer_questions)
    qgis.utils.iface.actionExit().trigger()
    save(after_first_exit={"active_tasks": QgsApplication.taskManager().countActiveTasks()})
    wait_until(lambda: "ended_at" in report, 30, "the download's end")
    pause(200)  # the task manager lets go of the ended task
    save(active_tasks=QgsApplication.taskManager().countActiveTasks())
    qgis.utils.iface.actionExit().trigger()


def resume() -> None:
    dock = qgis.utils.plugins[PLUGIN].dock
    dock.show()
    entries = dock.downloads_view.entries()
    save(history=[{"aoi": entry.aoi_name, "state": entry.state} for entry in entries])
    if len(entries) != 1:
        raise RuntimeError(f"expected one download in the history, found {len(entries)}")
    widget = dock.downloads_view.entry_widget(entries[0].id)
    save(button=widget.again_button.text())
    from pixxel_qgis.core.tasks import DownloadTask

    registry = qgis.utils.plugins[PLUGIN].registry
    ended: dict = {}
    def finished(task) -> None:
        if isinstance(task, DownloadTask):  # not the listing the dock started when shown
            ended.update(task_error=repr(task.error))

    registry.finished.connect(finished)
    widget.again_button.click()
    wait_until(lambda: bool(ended), 120, "the resumed download")
    save(resumed=ended)


def main() -> None:
    try:
        {"quit": quit_mid_download, "resume": resume}[ORDERS["mode"]]()
    except Exception:  # noqa: BLE001 - whatever happened must reach the test
        import traceback

        save(error=traceback.format_exc())
    if ORDERS["mode"] != "quit" or "error" in report:
        QgsProject.instance().clear()
        QgsApplication.exit(0)


# --code runs before the event loop starts: the steps run inside it, as a user's clicks would.
QTimer.singleShot(0, main)
