"""Runs inside the real QGIS desktop (`qgis --code`, see scripts/desktop_session.py) for
test_desktop_sessions.py; not a test module.

orders["mode"]:
- "quit": start a download from the dock, and once its `.part` file exists quit QGIS as a user
  does (File ▸ Exit). QGIS asks whether to cancel the running tasks: answer Yes, wait for the
  download to end, then Exit again. The report is rewritten after every step, so whatever
  happens to the process, what was reached is on disk.
- "resume": in the next session on the same profile, press the download's Resume button in the
  dock's downloads list and wait for the imagery on the map; then QGIS ends.
- "close": with QGIS' own questions at close switched back on (the test profiles turn them off),
  open the user's saved project (a GeoJSON layer of theirs) if told, list the AOIs in the dock,
  then Exit.
  Any question asked is recorded and answered so that QGIS still quits.
- "open_panel": open the panel, let it list, Exit (QGIS remembers the panel as open).
- "restart": the next session, which opens the panel at start-up: report what the panel and the
  map hold once start-up is over.
"""

import json
import os
import time
from pathlib import Path

import qgis.utils
from in_qgis import (  # scripts/, on the driver's PYTHONPATH
    pause,
    tick_downloadable_assets,
    wait_for_listing,
    wait_for_no_task,
    wait_until,
)
from qgis.core import QgsApplication, QgsProject, QgsSettings, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QAbstractButton, QApplication, QMessageBox

PLUGIN = "pixxel_qgis"
ORDERS = json.loads(Path(os.environ["PIXXEL_DESKTOP_ORDERS"]).read_text(encoding="utf-8"))
report: dict = {}


def save(**facts) -> None:
    report.update(facts)
    Path(ORDERS["report"]).write_text(json.dumps(report), encoding="utf-8")


# Yes to "cancel the running tasks?" and "proceed?", Discard to "save the project?": on to quit.
ONWARD = (QMessageBox.ButtonRole.YesRole, QMessageBox.ButtonRole.DestructiveRole)


def answer_questions() -> None:
    """Record QGIS' questions and answer them so that it quits; keep watching until it ends."""
    dialog = QApplication.activeModalWidget()
    if isinstance(dialog, QMessageBox):
        save(questions=report.get("questions", []) + [[dialog.windowTitle(), dialog.text()]])
        onward = [b for b in dialog.findChildren(QAbstractButton)
                  if dialog.buttonRole(b) in ONWARD]
        save(answered_at=time.monotonic())
        if onward:
            onward[0].click()
        else:
            dialog.reject()
    QTimer.singleShot(50, answer_questions)


def quit_mid_download() -> None:
    dock = qgis.utils.plugins[PLUGIN].dock
    dock.show()
    dock.refresh()
    wait_for_listing(dock, 60)
    tick_downloadable_assets(dock, ORDERS["aoi_id"], 60)
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
    from pixxel_qgis.core.qgis.tasks import DownloadTask

    registry = qgis.utils.plugins[PLUGIN].registry
    ended: dict = {}
    def finished(task) -> None:
        if isinstance(task, DownloadTask):  # not the listing the dock started when shown
            ended.update(task_error=repr(task.error))

    registry.finished.connect(finished)
    widget.again_button.click()
    wait_until(lambda: bool(ended), 120, "the resumed download")
    save(resumed=ended)


USER_LAYER = {
    "type": "FeatureCollection",
    "features": [{
        "type": "Feature", "properties": {"name": "north field"},
        "geometry": {"type": "Polygon",
                     "coordinates": [[[75.8, 30.8], [75.9, 30.8], [75.9, 30.9], [75.8, 30.8]]]},
    }],
}


def open_saved_project() -> None:
    folder = Path(ORDERS["project_folder"])
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "fields.geojson"
    data.write_text(json.dumps(USER_LAYER), encoding="utf-8")
    project = QgsProject.instance()
    project.addMapLayer(QgsVectorLayer(str(data), "My fields", "ogr"))
    saved = folder / "farm.qgz"
    if not project.write(str(saved)):
        raise RuntimeError(f"cannot save the project: {project.error()}")
    project.clear()
    if not qgis.utils.iface.addProject(str(saved)):
        raise RuntimeError("cannot open the saved project")
    save(project_modified_when_opened=project.isDirty())


def close_after_listing() -> None:
    settings = QgsSettings()
    settings.setValue("askToSaveMemoryLayers", True, QgsSettings.Section.App)
    settings.setValue("qgis/askToSaveProjectChanges", True)
    if ORDERS.get("project_folder"):
        open_saved_project()
    dock = qgis.utils.plugins[PLUGIN].dock
    dock.show()
    dock.refresh()
    panel = dock.aoi_panel
    wait_for_listing(dock, 60)
    wait_for_no_task(60)  # a task still running is a question of its own
    save(listed=panel.model.rowCount(), outlines=panel.footprints.feature_count(), questions=[])
    QgsApplication.instance().aboutToQuit.connect(lambda: save(about_to_quit=True))
    QTimer.singleShot(0, answer_questions)
    qgis.utils.iface.actionExit().trigger()


def open_panel() -> None:
    dock = qgis.utils.plugins[PLUGIN].dock
    dock.show()
    wait_for_listing(dock, 60)
    wait_for_no_task(60)
    save(listed=dock.aoi_panel.model.rowCount())
    qgis.utils.iface.actionExit().trigger()


def after_restart() -> None:
    dock = qgis.utils.plugins[PLUGIN].dock
    panel = dock.aoi_panel
    save(panel_open_at_start=dock.isVisible())
    wait_for_listing(dock, 60)
    # Start-up is over when the listing and whatever QGIS queued after it have run.
    pause(1000)
    save(listed=panel.model.rowCount(), outlines=panel.footprints.feature_count(),
         layers=[layer.name() for layer in QgsProject.instance().mapLayers().values()],
         project_modified=QgsProject.instance().isDirty())


def main() -> None:
    try:
        modes = {"quit": quit_mid_download, "resume": resume, "close": close_after_listing,
                 "open_panel": open_panel, "restart": after_restart}
        modes[ORDERS["mode"]]()
    except Exception:  # noqa: BLE001 - whatever happened must reach the test
        import traceback

        save(error=traceback.format_exc())
    if ORDERS["mode"] in ("resume", "restart") or "error" in report:
        QgsProject.instance().clear()
        QgsApplication.exit(0)


# --code runs before the event loop starts: the steps run inside it, as a user's clicks would.
QTimer.singleShot(0, main)
