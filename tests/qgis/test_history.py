"""The downloads history file: round trip, atomic writes, damaged files, cap, crashed sessions."""

import json
import os
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from qgis.core import QgsApplication

from pixxel_qgis.core.pixxel.errors import CancelledError, ServerError
from pixxel_qgis.core.qgis import history as history_module
from pixxel_qgis.core.qgis.history import (
    CANCELLED,
    DONE,
    FAILED,
    INTERRUPTED,
    RUNNING,
    DownloadHistory,
    HistoryEntry,
)

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def entry(number: int, **changes) -> HistoryEntry:
    values = {
        "id": f"entry-{number}",
        "aoi_id": f"aoi-{number}",
        "aoi_name": f"Field {number}",
        "asset_ids": (f"asset-{number}a", f"asset-{number}b"),
        "asset_names": ("TD2_000001_20240101_L2A_20240110", "TD2_000002_20240102_L2A_20240111"),
        "destination_root": "/data/pixxel",
        "started_at": T0 + timedelta(minutes=number),
    }
    values.update(changes)
    return HistoryEntry(**values)


def download_task(**result_fields) -> SimpleNamespace:
    """What record_start/record_end read from a DownloadTask, without running one."""
    job = SimpleNamespace(
        aoi_id="aoi-1", asset_ids=("a1", "a2"), destination_root=Path("/data/pixxel"),
        aoi_name="Nashik vineyards",
    )
    return SimpleNamespace(
        job=job,
        asset_info={"TD2_1": {"id": "a1", "name": "TD2_1"}, "TD2_2": {"id": "a2", "name": "TD2_2"}},
        history_id=None,
        result=None,
        error=None,
        **result_fields,
    )


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "profile" / "pixxel" / "downloads.json"


def test_default_path_is_in_the_qgis_profile(qgis_app):
    expected = Path(QgsApplication.qgisSettingsDirPath()) / "pixxel" / "downloads.json"
    assert history_module.default_path() == expected


def test_entries_round_trip_newest_first(path, qtbot):
    history = DownloadHistory(path)
    first, second = entry(1, state=DONE, finished_at=T0 + timedelta(hours=1)), entry(2)
    with qtbot.waitSignal(history.changed, timeout=1000):
        history.add(first)
    history.add(second)
    assert [e.id for e in history.entries()] == ["entry-2", "entry-1"]
    reloaded = DownloadHistory(path)
    # The running one comes back interrupted: this "session" never recorded its end.
    assert reloaded.entries() == [replace(second, state=INTERRUPTED), first]
    assert reloaded.get("entry-1") == first


def test_update_and_remove(path):
    history = DownloadHistory(path)
    history.add(entry(1))
    updated = history.update("entry-1", state=FAILED, message="Pixxel's server failed")
    assert updated.state == FAILED
    assert history.update("missing", state=DONE) is None
    assert history.remove("entry-1") is True
    assert history.remove("entry-1") is False
    assert DownloadHistory(path).entries() == []


def test_adding_an_existing_id_replaces_it_at_the_top(path):
    history = DownloadHistory(path)
    history.add(entry(1))
    history.add(entry(2))
    history.add(entry(1, state=DONE))
    assert [(e.id, e.state) for e in history.entries()] == [("entry-1", DONE), ("entry-2", RUNNING)]


def test_the_history_is_capped(path):
    history = DownloadHistory(path, max_entries=5)
    for number in range(7):
        history.add(entry(number, state=DONE))
    assert [e.id for e in history.entries()] == [f"entry-{n}" for n in range(6, 1, -1)]
    assert len(DownloadHistory(path, max_entries=5).entries()) == 5


def test_writes_are_atomic_and_leave_no_temporary_file(path, monkeypatch):
    history = DownloadHistory(path)
    history.add(entry(1, state=DONE))
    before = path.read_bytes()

    def refuse(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(history_module.os, "replace", refuse)
    history.add(entry(2))  # must not raise: the history never breaks a download
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["downloads.json"]
    assert json.loads(before)["entries"][0]["id"] == "entry-1"


def test_a_missing_file_starts_empty(path):
    assert DownloadHistory(path).entries() == []
    assert not path.exists()


@pytest.mark.parametrize("content", ["{not json", '{"entries": 3}', "[]", ""])
def test_a_damaged_file_is_kept_aside_and_the_history_starts_empty(path, content):
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    history = DownloadHistory(path)
    assert history.entries() == []
    backup = path.with_name("downloads.json.bak")
    assert backup.read_text(encoding="utf-8") == content
    history.add(entry(1))
    assert [e.id for e in DownloadHistory(path).entries()] == ["entry-1"]


def test_damaged_entries_are_skipped_and_unknown_fields_ignored(path):
    good = entry(1, state=DONE).to_json()
    good["added_by_a_newer_version"] = True
    strange_state = dict(entry(2).to_json(), state="paused")
    path.parent.mkdir(parents=True)
    body = {"version": 1, "entries": [good, {"aoi_id": "no id"}, "junk", strange_state]}
    path.write_text(json.dumps(body), encoding="utf-8")
    entries = DownloadHistory(path).entries()
    assert [(e.id, e.state) for e in entries] == [("entry-1", DONE), ("entry-2", INTERRUPTED)]
    assert entries[0] == entry(1, state=DONE)


def test_running_entries_of_a_crashed_session_are_interrupted_and_resumable(path):
    DownloadHistory(path).add(entry(1))
    (reloaded,) = DownloadHistory(path).entries()
    assert reloaded.state == INTERRUPTED
    assert reloaded.resumable
    assert not entry(2, state=DONE).resumable


def test_record_start_and_end_of_a_successful_download(path, tmp_path):
    history = DownloadHistory(path)
    task = download_task()
    started = history.record_start(task)
    assert task.history_id == started.id
    assert started.state == RUNNING
    assert started.asset_names == ("TD2_1", "TD2_2")
    assert started.destination_root == str(Path("/data/pixxel"))
    folder = tmp_path / "delivery"
    task.result = SimpleNamespace(
        folder=folder, files=[folder / "a.tif", folder / "a.xml"], rasters=[folder / "a.tif"]
    )
    ended = history.record_end(task)
    assert ended.state == DONE
    assert ended.folder == str(folder)
    assert ended.rasters == (str(folder / "a.tif"),)
    assert ended.finished_at >= ended.started_at
    assert DownloadHistory(path).entries() == [ended]


@pytest.mark.parametrize(
    ("error", "state"),
    [(CancelledError("Cancelled."), CANCELLED), (ServerError("Pixxel's server failed"), FAILED)],
)
def test_record_end_of_a_download_that_did_not_finish(path, error, state):
    history = DownloadHistory(path)
    task = download_task()
    history.record_start(task)
    task.error = error
    ended = history.record_end(task)
    assert (ended.state, ended.message) == (state, str(error))
    assert ended.resumable


def test_no_signed_url_reaches_the_file(path):
    history = DownloadHistory(path)
    task = download_task()
    history.record_start(task)
    task.error = ServerError(
        "Storage failed for https://storage.example/f.zip?sv=2024&sig=SECRETSIGNATURE"
    )
    history.record_end(task)
    text = path.read_text(encoding="utf-8")
    assert "SECRETSIGNATURE" not in text
    assert "https://storage.example/f.zip" in text


def test_record_end_without_record_start_does_nothing(path):
    assert DownloadHistory(path).record_end(download_task()) is None
    assert not os.path.exists(path)
