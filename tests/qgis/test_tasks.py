"""The network tasks through QGIS' real task manager against the sandbox: paging signals on the
main thread, errors that never escape run(), downloads end to end, and the registry's duplicate,
shutdown and already-deleted handling."""

import gc
import time
import weakref
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsSettings, QgsTask
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QThread, QTimer

from pixxel_qgis.core.download.job import DownloadJob
from pixxel_qgis.core.imagery import products
from pixxel_qgis.core.pixxel.errors import (
    CancelledError,
    KeyRejectedError,
    NotFoundError,
    PixxelError,
    ServerError,
    UnexpectedResponseError,
)
from pixxel_qgis.core.qgis import credentials
from pixxel_qgis.core.qgis.connection import Connection, SetupError, current_connection
from pixxel_qgis.core.qgis.history import DONE, DownloadHistory
from pixxel_qgis.core.qgis.registry import TaskRegistry
from pixxel_qgis.core.qgis.tasks import (
    AoiListTask,
    AssetListTask,
    CatalogTask,
    DownloadTask,
    InternalError,
)

TIMEOUT_MS = 60_000
ENDED = (QgsTask.TaskStatus.Complete, QgsTask.TaskStatus.Terminated)


@pytest.fixture(scope="module")
def many_aois(start_sandbox):
    """120 AOIs served 25 to a page: five pages."""
    return start_sandbox(aoi_count=120, page_cap=25)


@pytest.fixture
def paged(many_aois):
    with many_aois.reset_around() as running:
        yield running


def connection_to(sandbox, key=None) -> Connection:
    return Connection(api_key=key or sandbox.api_key, base_url=sandbox.api_url)


@pytest.fixture
def connection(sandbox) -> Connection:
    return connection_to(sandbox)


@pytest.fixture
def registry(qgis_app):
    registry = TaskRegistry()
    yield registry
    # No task may outlive its test: one still running at exit crashes the interpreter.
    registry.cancel_all(wait_seconds=30)
    assert registry.running() == []


def run(qtbot, registry, task):
    with qtbot.waitSignal(task.completed, timeout=TIMEOUT_MS):
        assert registry.start(task)
    return task


def first_aoi_download(sandbox, destination: Path, asset_count: int = 2, **job_options):
    """The first AOI's downloadable assets (a zip delivery and a bare GeoTIFF) as a task's input."""
    aoi = sandbox.catalog.aoi_at(0)
    assets = [a for a in sandbox.catalog.assets(aoi["aoi_id"]) if a["status"] == "success"]
    assets = assets[:asset_count]
    job = DownloadJob(
        aoi["aoi_id"], tuple(a["id"] for a in assets), destination, aoi_name=aoi["name"],
        **job_options,
    )
    asset_info = {a["name"]: {"id": a["id"], "name": a["name"]} for a in assets}
    return job, asset_info


def requests_to(sandbox, endpoint):
    return [request for request in sandbox.requests if request.endpoint == endpoint]


def process_deferred_deletes():
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


# -- connection -----------------------------------------------------------------------------------


def test_current_connection_reads_the_environment_overrides(qgis_app, monkeypatch, sandbox):
    monkeypatch.setenv("PIXXEL_API_KEY", sandbox.api_key)
    monkeypatch.setenv("PIXXEL_API_URL", sandbox.api_url)
    connection = current_connection()
    assert (connection.api_key, connection.base_url) == (sandbox.api_key, sandbox.api_url)
    assert connection.qgis_version
    assert sandbox.api_key not in repr(connection)


def test_pixxel_api_deadline_shortens_every_calls_deadline(qgis_app, monkeypatch, sandbox):
    monkeypatch.setenv("PIXXEL_API_KEY", sandbox.api_key)
    monkeypatch.setenv("PIXXEL_API_URL", sandbox.api_url)
    assert current_connection().client().retry.deadline == 300
    monkeypatch.setenv("PIXXEL_API_DEADLINE", "2.5")
    with current_connection().client() as client:
        assert client.retry.deadline == 2.5
    for unusable in ("0", "-3", "soon", "nan", "inf"):
        monkeypatch.setenv("PIXXEL_API_DEADLINE", unusable)
        assert current_connection().client().retry.deadline == 300


def test_current_connection_without_a_key_says_where_to_set_it(qgis_app, monkeypatch):
    monkeypatch.delenv("PIXXEL_API_KEY", raising=False)
    settings = QgsSettings()
    stored = settings.value(credentials.AUTH_CONFIG_ID_KEY)
    settings.remove(credentials.AUTH_CONFIG_ID_KEY)
    try:
        with pytest.raises(SetupError, match="Set your Pixxel API key"):
            current_connection()
    finally:
        if stored:
            settings.setValue(credentials.AUTH_CONFIG_ID_KEY, stored)


def test_current_connection_refuses_an_unusable_address(qgis_app, monkeypatch):
    monkeypatch.setenv("PIXXEL_API_KEY", "a-key-for-this-test")
    monkeypatch.setenv("PIXXEL_API_URL", "http://pixxel.example.com")
    with pytest.raises(SetupError, match="Invalid API address"):
        current_connection()


# -- AOI listing ----------------------------------------------------------------------------------


def test_aoi_pages_arrive_on_the_main_thread_while_the_map_stays_responsive(
    paged, registry, qtbot
):
    # Each page takes a while, as over a slow link: the UI must keep running meanwhile.
    paged.faults.add("aois", "slow", delay=0.15, times=None)
    task = AoiListTask(connection_to(paged), page_size=100)
    events = []
    main_thread = QThread.currentThread()
    task.firstPage.connect(
        lambda aois, total: events.append(
            ("first", len(aois), total, task.status(), QThread.currentThread() is main_thread)
        )
    )
    task.morePages.connect(lambda aois: events.append(("more", len(aois))))
    task.completed.connect(lambda _task: events.append(("completed",)))
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    try:
        run(qtbot, registry, task)
    finally:
        timer.stop()
    assert events[0] == ("first", 25, 120, QgsTask.TaskStatus.Running, True)
    assert events[1:] == [("more", 25)] * 3 + [("more", 20), ("completed",)]
    assert task.error is None
    assert task.total == 120
    assert [aoi.aoi_id for aoi in task.aois] == [aoi["aoi_id"] for aoi in paged.catalog.aois]
    # Five slow pages take > 0.75 s; a blocked event loop would not have ticked in between.
    assert len(ticks) >= 30


def test_aoi_filters_reach_the_api(paged, registry, qtbot):
    wanted = paged.catalog.aoi_at(7)
    task = run(qtbot, registry, AoiListTask(
        connection_to(paged), name=wanted["name"], project_ids=[wanted["project_id"]]
    ))
    assert task.error is None
    assert wanted["aoi_id"] in [aoi.aoi_id for aoi in task.aois]
    assert all(aoi.project_id == wanted["project_id"] for aoi in task.aois)


def test_a_rejected_key_is_reported_with_the_api_message(sandbox, registry, qtbot):
    task = AoiListTask(connection_to(sandbox, key="not-a-key-pixxel-knows"))
    pages = []
    task.firstPage.connect(lambda aois, total: pages.append(aois))
    run(qtbot, registry, task)
    assert isinstance(task.error, KeyRejectedError)
    assert "invalid API key" in str(task.error)
    assert "not-a-key-pixxel-knows" not in str(task.error)
    assert pages == []
    assert task.aois == []


def test_cancelling_mid_listing_stops_asking_for_pages(paged, registry, qtbot):
    paged.faults.add("aois", "slow", delay=0.3, times=None)
    task = AoiListTask(connection_to(paged))
    task.firstPage.connect(lambda _aois, _total: task.cancel())
    run(qtbot, registry, task)
    assert isinstance(task.error, CancelledError)
    assert task.cancelled
    assert len(task.aois) < 120
    assert len(requests_to(paged, "aois")) <= 2


def test_a_server_repeating_its_first_page_lists_what_came_and_flags_it(paged, registry, qtbot):
    paged.faults.add("aois", "ignore_offset", times=None)
    task = run(qtbot, registry, AoiListTask(connection_to(paged)))
    assert task.error is None
    assert task.incomplete
    assert len(task.aois) == 25  # 25 of 120: the second page was the first one again
    assert len(requests_to(paged, "aois")) == 2


def test_an_honest_listing_is_not_flagged(paged, registry, qtbot):
    task = run(qtbot, registry, AoiListTask(connection_to(paged)))
    assert (task.error, task.incomplete, len(task.aois)) == (None, False, 120)


def test_a_listing_that_never_ends_is_stopped_with_a_message(paged, registry, qtbot):
    paged.faults.add("aois", "endless_pages", times=None)
    task = AoiListTask(connection_to(paged))
    pages = []
    task.firstPage.connect(lambda aois, total: pages.append(len(aois)))
    task.morePages.connect(lambda aois: pages.append(len(aois)))
    run(qtbot, registry, task)
    assert isinstance(task.error, UnexpectedResponseError)
    assert "kept sending new AOIs beyond the 50 it announced (4 pages)" in str(task.error)
    assert pages == [25, 25, 25, 25]  # what arrived was shown; then the listing stopped


# -- assets and catalogue -------------------------------------------------------------------------


def test_asset_list(sandbox, connection, registry, qtbot):
    aoi = sandbox.catalog.aoi_at(0)
    task = run(qtbot, registry, AssetListTask(connection, aoi["aoi_id"]))
    assert task.error is None
    assert [asset.id for asset in task.assets] == [
        asset["id"] for asset in sandbox.catalog.assets(aoi["aoi_id"])
    ]


def test_asset_list_from_a_server_ignoring_offset_is_flagged(sandbox, connection, registry,
                                                               qtbot):
    sandbox.configure(page_cap=1)
    sandbox.faults.add("assets", "ignore_offset", times=None)
    aoi = sandbox.catalog.aoi_at(0)
    task = run(qtbot, registry, AssetListTask(connection, aoi["aoi_id"]))
    assert task.error is None
    assert task.incomplete
    assert [asset.id for asset in task.assets] == [sandbox.catalog.assets(aoi["aoi_id"])[0]["id"]]


def test_asset_list_of_an_unknown_aoi(connection, registry, qtbot):
    task = run(qtbot, registry, AssetListTask(connection, "00000000-0000-0000-0000-000000000000"))
    assert isinstance(task.error, NotFoundError)
    assert "not found" in str(task.error)
    assert task.assets == []


def test_catalog(sandbox, connection, registry, qtbot):
    task = run(qtbot, registry, CatalogTask(connection))
    assert task.error is None
    assert {p.id for p in task.projects} == {p["id"] for p in sandbox.catalog.projects}
    assert {s.id for s in task.satellites} == {s["id"] for s in sandbox.catalog.satellites}


def test_catalog_without_satellites_still_lists_projects(sandbox, connection, registry, qtbot):
    sandbox.faults.add("satellites", "status", status=404)
    task = run(qtbot, registry, CatalogTask(connection))
    assert task.error is None
    assert task.projects
    assert task.satellites == []


def test_catalog_server_error_carries_the_api_message(sandbox, connection, registry, qtbot):
    sandbox.faults.add("projects", "status", status=500, times=None)
    task = run(qtbot, registry, CatalogTask(connection))
    assert isinstance(task.error, ServerError)
    assert "injected fault" in str(task.error)


def test_a_bug_in_a_task_becomes_an_error_not_a_crash(registry, qtbot, caplog):
    # An address the API client refuses raises ValueError inside run(): not a PixxelError.
    key = "a-secret-key-for-this-test"
    task = run(qtbot, registry, CatalogTask(Connection(api_key=key, base_url="ftp://x/" + key)))
    assert isinstance(task.error, InternalError)
    assert "ValueError" in str(task.error)
    assert key not in str(task.error)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Traceback" in logged
    assert key not in logged


# -- registry -------------------------------------------------------------------------------------


def test_a_task_cancelled_before_it_runs_reports_cancelled(connection, registry, qtbot):
    task = CatalogTask(connection)
    task.hold()  # keeps it queued in the manager, as behind other tasks
    ended = []
    task.completed.connect(ended.append)
    registry.start(task)
    assert registry.running() == [task]
    with qtbot.waitSignal(registry.finished, timeout=TIMEOUT_MS):
        task.cancel()
    assert ended == [task]
    assert isinstance(task.error, CancelledError)
    assert task.projects == []
    assert registry.running() == []


def test_registry_signals_and_forgets_ended_tasks(connection, registry, qtbot):
    started, finished = [], []
    registry.started.connect(started.append)
    registry.finished.connect(finished.append)
    task = AssetListTask(connection, "00000000-0000-0000-0000-000000000000")
    with qtbot.waitSignal(registry.finished, timeout=TIMEOUT_MS):
        registry.start(task)
    assert started == [task]
    assert finished == [task]
    assert registry.running() == []


def test_cancel_all_survives_a_task_the_manager_already_deleted(connection, registry, qtbot):
    task = AssetListTask(connection, "00000000-0000-0000-0000-000000000000")
    registry.start(task)
    # As if the end had been missed: the registry still holds a task whose C++ side is gone.
    task.taskCompleted.disconnect()
    task.taskTerminated.disconnect()
    qtbot.waitUntil(lambda: sip.isdeleted(task), timeout=TIMEOUT_MS)
    assert registry.running() == []
    registry.cancel_all(wait_seconds=1)
    assert not registry.is_running(("anything", frozenset()))


def test_cancel_all_stops_a_slow_listing_and_lets_it_go(paged, qtbot):
    paged.faults.add("aois", "slow", delay=2.0, times=None)
    registry = TaskRegistry()
    registry.start(AoiListTask(connection_to(paged)))
    (alive,) = [weakref.ref(task) for task in registry.running()]
    qtbot.waitUntil(lambda: bool(requests_to(paged, "aois")), timeout=TIMEOUT_MS)
    began = time.monotonic()
    registry.cancel_all(wait_seconds=10)
    # The worker waits for an answer that takes 2 s: the cancel cuts that wait short.
    assert time.monotonic() - began < 1
    assert registry.running() == []
    process_deferred_deletes()
    gc.collect()
    assert alive() is None
    assert QgsApplication.taskManager().countActiveTasks() == 0


# -- downloads ------------------------------------------------------------------------------------


def test_download_end_to_end_puts_the_products_on_the_map(
    sandbox, connection, registry, project, tmp_path, qtbot
):
    job, asset_info = first_aoi_download(sandbox, tmp_path / "Pixxel")
    task = DownloadTask(connection, job)
    progress = []
    task.downloadProgress.connect(progress.append)
    run(qtbot, registry, task)
    assert task.error is None
    assert task.result.files
    assert all(Path(path).is_file() for path in task.result.files)
    assert {product.name for product in task.products} == set(asset_info)
    assert "download" in {item.stage for item in progress}
    assert progress[-1].fraction == pytest.approx(1.0)
    group = project.layerTreeRoot().findGroup(job.aoi_name)
    assert group is task.layers.group
    assert {layer.name() for layer in task.layers.image_layers} == set(asset_info)
    assert all(layer.id() in project.mapLayers() for layer in task.layers.image_layers)
    # Each layer names the asset it came from, read from the download's own record.
    for layer in task.layers.image_layers:
        assert asset_info[layer.name()]["id"] in layer.metadata().abstract()
    assert task.overview_task is None  # tiny products need no overviews
    # Written by the worker so that opening the images computed no stretch on the main thread.
    assert all(product.image.with_suffix(".qml").is_file() for product in task.products)


def test_download_without_layers_recorded_in_the_history(
    sandbox, connection, registry, project, tmp_path, qtbot
):
    job, asset_info = first_aoi_download(sandbox, tmp_path / "Pixxel", asset_count=1)
    history = DownloadHistory(tmp_path / "downloads.json")
    task = DownloadTask(connection, job, load_layers=False, asset_info=asset_info)
    task.completed.connect(history.record_end)
    history.record_start(task)
    run(qtbot, registry, task)
    assert task.error is None
    assert task.products
    assert task.layers is None
    assert project.mapLayers() == {}
    (entry,) = DownloadHistory(tmp_path / "downloads.json").entries()
    assert (entry.state, entry.aoi_id, entry.asset_names) == (DONE, job.aoi_id, tuple(asset_info))
    assert entry.folder == str(task.result.folder)
    assert entry.rasters == tuple(str(path) for path in task.result.rasters)


def test_big_products_get_overviews_through_the_registry(
    sandbox, connection, registry, project, tmp_path, qtbot, monkeypatch
):
    monkeypatch.setattr(products, "OVERVIEWS_ABOVE_BYTES", 0)
    job, _info = first_aoi_download(sandbox, tmp_path, asset_count=1)
    task = DownloadTask(connection, job)
    started, ended = [], []
    registry.started.connect(started.append)
    registry.finished.connect(ended.append)
    run(qtbot, registry, task)
    assert task.error is None
    assert started == [task, task.overview_task]
    qtbot.waitUntil(lambda: any(done is task.overview_task for done in ended), timeout=TIMEOUT_MS)
    assert task.overview_task.error is None
    (image,) = [product.image for product in task.products]
    assert Path(f"{image}.ovr").is_file()


def test_cancelling_a_download_leaves_no_final_file(
    sandbox, connection, registry, project, tmp_path, qtbot
):
    # Storage pauses after the first bytes of every request: the transfer is mid-way when the
    # user cancels, and a worker blocked in a read notices once the pause ends.
    sandbox.faults.add("storage", "stall", seconds=1.0, after_bytes=4096, times=None)
    job, _info = first_aoi_download(sandbox, tmp_path / "Pixxel")
    task = DownloadTask(connection, job)
    task.downloadProgress.connect(
        lambda item: task.cancel() if item.stage == "download" and item.bytes_done else None
    )
    began = time.monotonic()
    run(qtbot, registry, task)
    assert time.monotonic() - began < 10
    assert isinstance(task.error, CancelledError)
    assert task.layers is None
    left = [path.name for path in (tmp_path / "Pixxel").rglob("*") if path.is_file()]
    # Only the bookkeeping a later run resumes from: the partial bytes and the manifest.
    assert all(name.startswith(".pixxel-") for name in left), left
    assert any(name.endswith(".part") for name in left), left
    assert not any(name.endswith(".download") for name in left), left
    assert project.mapLayers() == {}


def test_a_server_error_carries_the_api_message(sandbox, connection, registry, tmp_path, qtbot):
    sandbox.faults.add("download_create", "status", status=500)
    job, _info = first_aoi_download(sandbox, tmp_path)
    task = run(qtbot, registry, DownloadTask(connection, job))
    assert isinstance(task.error, ServerError)
    assert "injected fault" in str(task.error)
    assert task.result is None


def test_a_destination_that_is_a_file_fails_without_taking_qgis_down(
    sandbox, connection, registry, project, tmp_path, qtbot
):
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("a file where the downloads folder should be")
    job, _info = first_aoi_download(sandbox, not_a_folder)
    task = run(qtbot, registry, DownloadTask(connection, job))
    assert isinstance(task.error, PixxelError)
    assert str(task.error)
    assert project.mapLayers() == {}
    assert QgsApplication.taskManager().countActiveTasks() == 0


def test_a_bug_in_a_download_becomes_an_error_not_a_crash(
    connection, registry, project, tmp_path, qtbot
):
    # An empty AOI id is a caller's bug: the API client raises ValueError deep in run().
    job = DownloadJob("", ("some-asset",), tmp_path, aoi_name="Nowhere")
    task = run(qtbot, registry, DownloadTask(connection, job))
    assert isinstance(task.error, InternalError)
    assert "ValueError" in str(task.error)
    assert project.mapLayers() == {}


def test_a_second_identical_download_is_not_started(sandbox, connection, registry, tmp_path):
    sandbox.configure(ready_after_seconds=60)
    job, _info = first_aoi_download(sandbox, tmp_path)
    first = DownloadTask(connection, job)
    assert registry.start(first)
    assert registry.is_running(first.key)
    assert not registry.start(DownloadTask(connection, job))
    same_assets_reordered = DownloadJob(job.aoi_id, tuple(reversed(job.asset_ids)), tmp_path)
    assert not registry.start(DownloadTask(connection, same_assets_reordered))
    other, _info = first_aoi_download(sandbox, tmp_path, asset_count=1)
    assert registry.start(DownloadTask(connection, other))
    assert len(registry.running()) == 2


def test_cancel_all_during_a_download_returns_within_the_wait(
    sandbox, connection, registry, project, tmp_path, qtbot
):
    sandbox.configure(ready_after_seconds=60)
    job, _info = first_aoi_download(sandbox, tmp_path)
    task = DownloadTask(connection, job)
    ended = []
    task.completed.connect(ended.append)
    registry.start(task)
    qtbot.waitUntil(lambda: bool(requests_to(sandbox, "download_status")), timeout=TIMEOUT_MS)
    began = time.monotonic()
    registry.cancel_all(wait_seconds=5)
    assert time.monotonic() - began < 5
    assert registry.running() == []
    assert ended == [task]
    assert isinstance(task.error, CancelledError)
    assert project.mapLayers() == {}


# -- parallel downloads limit -----------------------------------------------------------------


def _single_asset_jobs(sandbox, root: Path):
    aoi = sandbox.catalog.aoi_at(0)
    assets = [a for a in sandbox.catalog.assets(aoi["aoi_id"]) if a["status"] == "success"]
    return [
        DownloadJob(aoi["aoi_id"], (asset["id"],), root, aoi_name=aoi["name"]) for asset in assets
    ][:2]


def test_downloads_beyond_the_limit_wait_on_hold_then_run(sandbox, connection, qtbot, tmp_path):
    sandbox.configure(ready_after_seconds=1.0)
    registry = TaskRegistry(download_limit=lambda: 1)
    first, second = (
        DownloadTask(connection, job, load_layers=False)
        for job in _single_asset_jobs(sandbox, tmp_path)
    )
    ended = []
    for task in (first, second):
        task.completed.connect(ended.append)
    assert registry.start(first)
    assert registry.start(second)
    assert second.status() == QgsTask.TaskStatus.OnHold
    qtbot.waitUntil(lambda: len(ended) == 2, timeout=TIMEOUT_MS)
    assert ended == [first, second]
    assert first.error is None
    assert second.error is None
    registry.cancel_all(wait_seconds=5)


def test_cancelling_a_held_download_ends_it_without_running_it(
    sandbox, connection, qtbot, tmp_path
):
    sandbox.configure(ready_after_seconds=1.0)
    registry = TaskRegistry(download_limit=lambda: 1)
    first, second = (
        DownloadTask(connection, job, load_layers=False)
        for job in _single_asset_jobs(sandbox, tmp_path)
    )
    assert registry.start(first)
    assert registry.start(second)
    with qtbot.waitSignal(second.completed, timeout=TIMEOUT_MS):
        second.cancel()
    assert isinstance(second.error, CancelledError)
    with qtbot.waitSignal(first.completed, timeout=TIMEOUT_MS):
        pass
    assert first.error is None
    assert len(requests_to(sandbox, "download_create")) == 1  # the held one never asked Pixxel
    registry.cancel_all(wait_seconds=5)
