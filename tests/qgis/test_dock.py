"""The Pixxel dock against the sandbox, in real QGIS (offscreen): listing page by page, filtering,
sorting, footprints, assets, downloads with progress, cancel and duplicates, and the empty and
error states."""

import dataclasses

import pytest
from qgis.core import QgsApplication, QgsProject, QgsSettings, QgsTask
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QPushButton

from pixxel_qgis.core.qgis import credentials, settings
from pixxel_qgis.core.qgis.connection import Connection, current_connection
from pixxel_qgis.core.qgis.history import CANCELLED, DONE, FAILED, RUNNING, DownloadHistory
from pixxel_qgis.core.qgis.registry import TaskRegistry
from pixxel_qgis.core.qgis.tasks import DownloadTask
from pixxel_qgis.ui import aoi_panel
from pixxel_qgis.ui.aoi_model import AOI_ROLE, COL_AREA, COL_CREATED, COL_NAME
from pixxel_qgis.ui.aoi_panel import (
    STATE_EMPTY,
    STATE_ERROR,
    STATE_NO_KEY,
    STATE_NO_MATCH,
    STATE_TABLE,
)
from pixxel_qgis.ui.asset_model import COL_NAME as ASSET_NAME
from pixxel_qgis.ui.dock import PixxelDock
from pixxel_qgis.ui.footprints import layer_name

TIMEOUT_MS = 60_000
AOI_COUNT = 30


def connection_to(sandbox, key=None) -> Connection:
    return Connection(api_key=key or sandbox.api_key, base_url=sandbox.api_url)


@pytest.fixture
def registry(qgis_app):
    registry = TaskRegistry()
    yield registry
    registry.cancel_all(wait_seconds=30)
    assert registry.running() == []


@pytest.fixture
def download_settings(qgis_app, tmp_path):
    before = settings.load_stored()
    chosen = dataclasses.replace(
        before, download_folder=str(tmp_path / "Pixxel"), build_overviews=False,
        load_after_download=True, keep_zips=False,
    )
    settings.save(chosen)
    yield chosen
    settings.save(before)


@pytest.fixture
def make_dock(desktop_iface, registry, project, download_settings, tmp_path, qtbot):
    """A dock wired to the sandbox through an injected connection (tests that need the user's
    real configuration pass connection_provider)."""
    docks = []
    history = DownloadHistory(path=tmp_path / "history" / "downloads.json")

    def make(sandbox, **options) -> PixxelDock:
        options.setdefault("connection_provider", lambda: connection_to(sandbox))
        options.setdefault("open_settings", lambda: None)
        dock = PixxelDock(
            desktop_iface.mainWindow(), iface=desktop_iface, registry=registry,
            history=history, auto_load=False, **options,
        )
        dock.resize(560, 900)
        dock.show()
        docks.append(dock)
        return dock

    yield make
    for dock in docks:
        dock.dispose()
    registry.cancel_all(wait_seconds=30)
    qtbot.waitUntil(lambda: QgsApplication.taskManager().countActiveTasks() == 0,
                    timeout=TIMEOUT_MS)


def wait_listed(qtbot, dock, count=AOI_COUNT):
    qtbot.waitUntil(
        lambda: len(dock.aoi_panel.model.rows) == count and dock.aoi_panel.list_task is None,
        timeout=TIMEOUT_MS,
    )


def shown_aois(dock):
    proxy = dock.aoi_panel.proxy
    return [proxy.index(row, 0).data(AOI_ROLE) for row in range(proxy.rowCount())]


def requests_to(sandbox, endpoint):
    return [request for request in sandbox.requests if request.endpoint == endpoint]


def first_aoi(sandbox):
    # The sandbox's first AOI is complete and successful: 2 success assets and 1 creating.
    return sandbox.catalog.aois[0]


def select_and_wait_for_assets(qtbot, dock, aoi_id):
    assert dock.aoi_panel.select_aoi(aoi_id)
    qtbot.waitUntil(
        lambda: dock.asset_panel.model.aoi_id == aoi_id and dock.asset_panel.model.rowCount() > 0,
        timeout=TIMEOUT_MS,
    )


def footprints_layer(project):
    layers = [layer for layer in project.mapLayers().values() if layer.name() == layer_name()]
    assert len(layers) == 1
    return layers[0]


# -- listing --------------------------------------------------------------------------------------


def test_the_first_page_shows_before_the_rest_arrives(
    sandbox, make_dock, project, english_plurals, qtbot
):
    sandbox.configure(page_cap=5)
    sandbox.faults.add("aois", "slow", nth=2, times=None, delay=0.3)
    dock = make_dock(sandbox)
    dock.refresh()
    qtbot.waitUntil(lambda: len(dock.aoi_panel.model.rows) >= 5, timeout=TIMEOUT_MS)
    assert len(dock.aoi_panel.model.rows) < AOI_COUNT
    assert dock.aoi_panel.state == STATE_TABLE
    assert "Loading" in dock.aoi_panel.count_label.text()
    wait_listed(qtbot, dock)
    assert len(requests_to(sandbox, "aois")) == AOI_COUNT // 5
    assert dock.aoi_panel.count_label.text() == "30 AOIs"
    # One footprint per AOI, in one layer that a refresh updates instead of replacing.
    layer = footprints_layer(project)
    assert layer.featureCount() == AOI_COUNT
    dock.refresh()
    wait_listed(qtbot, dock)
    assert footprints_layer(project).id() == layer.id()
    assert layer.featureCount() == AOI_COUNT


def test_a_repeated_page_keeps_the_rows_and_says_the_list_may_be_incomplete(
    sandbox, make_dock, english_plurals, qtbot
):
    dock = make_dock(sandbox)
    dock.refresh()
    wait_listed(qtbot, dock)
    sandbox.configure(page_cap=10)
    sandbox.faults.add("aois", "ignore_offset", times=None)
    dock.refresh()
    qtbot.waitUntil(lambda: dock.aoi_panel.list_task is None, timeout=TIMEOUT_MS)
    # Only 10 came back, but an incomplete listing is no reason to drop the other 20 rows.
    assert len(dock.aoi_panel.model.rows) == AOI_COUNT
    assert len(footprints_layer(QgsProject.instance()).allFeatureIds()) == AOI_COUNT
    label = dock.aoi_panel.count_label
    assert label.text() == "30 AOIs · may be incomplete"
    assert label.toolTip() == (
        "The server returned the same page twice; the list may be incomplete."
    )
    sandbox.reset()
    dock.refresh()
    wait_listed(qtbot, dock)
    assert (label.text(), label.toolTip()) == ("30 AOIs", "")


def test_filtering_by_text_and_project(sandbox, make_dock, english_plurals, qtbot):
    dock = make_dock(sandbox)
    dock.refresh()
    wait_listed(qtbot, dock)
    qtbot.waitUntil(lambda: dock.aoi_panel.project_combo.count() > 1, timeout=TIMEOUT_MS)
    catalog = sandbox.catalog.aois
    # Typed as a user would, in the wrong case: two words of a name (QTest types ASCII only).
    name = " ".join(catalog[3]["name"].split()[:2])
    qtbot.keyClicks(dock.aoi_panel.search_edit, name.upper())
    expected = {a["aoi_id"] for a in catalog if name.casefold() in a["name"].casefold()}
    assert {aoi.aoi_id for aoi in shown_aois(dock)} == expected
    assert dock.aoi_panel.count_label.text() == f"{len(expected)} of 30 AOIs"

    dock.aoi_panel.search_edit.setText(catalog[5]["aoi_id"][:8])  # by id
    assert [aoi.aoi_id for aoi in shown_aois(dock)] == [catalog[5]["aoi_id"]]

    dock.aoi_panel.search_edit.setText("no such place anywhere")
    assert dock.aoi_panel.state == STATE_NO_MATCH
    dock.aoi_panel.clear_filter()
    assert dock.aoi_panel.state == STATE_TABLE

    project_id = catalog[0]["project_id"]
    title = next(p["title"] for p in sandbox.catalog.projects if p["id"] == project_id)
    dock.aoi_panel.project_combo.setCurrentIndex(dock.aoi_panel.project_combo.findText(title))
    shown = shown_aois(dock)
    assert len(shown) == sum(1 for a in catalog if a["project_id"] == project_id)
    assert {aoi.project_id for aoi in shown} == {project_id}
    # Names from the catalogue in the table, not ids.
    assert title in {dock.aoi_panel.proxy.index(row, 7).data() for row in range(len(shown))}


def test_sorting_by_area_and_date_uses_values(sandbox, make_dock, qtbot):
    dock = make_dock(sandbox)
    dock.refresh()
    wait_listed(qtbot, dock)
    dock.aoi_panel.table.sortByColumn(COL_AREA, Qt.SortOrder.AscendingOrder)
    areas = [aoi.area_in_sq_m for aoi in shown_aois(dock)]
    assert areas == sorted(areas)
    assert len(set(areas)) > 5
    dock.aoi_panel.table.sortByColumn(COL_CREATED, Qt.SortOrder.DescendingOrder)
    created = [aoi.created_at for aoi in shown_aois(dock)]
    assert created == sorted(created, reverse=True)


def test_pages_out_of_the_tables_order_merge_in_and_keep_the_selection(
    sandbox, make_dock, project, qtbot
):
    sandbox.configure(page_cap=5)
    sandbox.faults.add("aois", "slow", nth=2, times=None, delay=0.2)
    dock = make_dock(sandbox)
    panel = dock.aoi_panel
    # By name: the sandbox lists by date, so every page lands all over the table.
    panel.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    dock.refresh()
    qtbot.waitUntil(lambda: len(panel.model.rows) >= 5, timeout=TIMEOUT_MS)
    chosen = panel.model.rows[2].aoi.aoi_id
    assert panel.select_aoi(chosen)
    wait_listed(qtbot, dock)
    assert panel.selected_aoi().aoi_id == chosen
    shown = [aoi.name.casefold() for aoi in shown_aois(dock)]
    assert shown == sorted(shown)
    assert footprints_layer(project).featureCount() == AOI_COUNT


def test_the_catalogue_waits_for_a_short_listing(sandbox, make_dock, qtbot):
    sandbox.configure(page_cap=5)
    dock = make_dock(sandbox)
    dock.refresh()
    wait_listed(qtbot, dock)
    qtbot.waitUntil(lambda: dock.aoi_panel.project_combo.count() > 1, timeout=TIMEOUT_MS)
    endpoints = [request.endpoint for request in sandbox.requests]
    last_page = max(n for n, endpoint in enumerate(endpoints) if endpoint == "aois")
    assert endpoints.index("projects") > last_page


def test_the_catalogue_comes_during_a_long_listing(sandbox, make_dock, monkeypatch, qtbot):
    monkeypatch.setattr(aoi_panel, "CATALOG_AFTER_MS", 100)
    sandbox.configure(page_cap=5)
    sandbox.faults.add("aois", "slow", nth=2, times=None, delay=0.3)
    dock = make_dock(sandbox)
    dock.refresh()
    qtbot.waitUntil(lambda: dock.aoi_panel.project_combo.count() > 1, timeout=TIMEOUT_MS)
    assert dock.aoi_panel.list_task is not None  # still listing
    wait_listed(qtbot, dock)


# -- selection, footprints, assets ----------------------------------------------------------------


def test_selecting_an_aoi_highlights_it_and_lists_its_assets(sandbox, make_dock, project, qtbot):
    dock = make_dock(sandbox)
    dock.refresh()
    wait_listed(qtbot, dock)
    aoi = first_aoi(sandbox)
    select_and_wait_for_assets(qtbot, dock, aoi["aoi_id"])

    layer = footprints_layer(project)
    assert [layer.getFeature(fid)["aoi_id"] for fid in layer.selectedFeatureIds()] == [
        aoi["aoi_id"]
    ]
    assert dock.footprints._highlight is not None
    assert dock.aoi_panel.zoom_button.isEnabled()
    assert dock.aoi_panel.zoom_to_selected()

    model = dock.asset_panel.model
    statuses = [model.asset(row).status for row in range(model.rowCount())]
    assert sorted(statuses) == ["creating", "success", "success"]
    for row in range(model.rowCount()):
        checkable = bool(model.index(row, ASSET_NAME).flags() & Qt.ItemFlag.ItemIsUserCheckable)
        assert checkable == (model.asset(row).status == "success")
    assert not dock.asset_panel.download_button.isEnabled()
    dock.asset_panel.select_all_check.click()
    assert model.checked_count() == 2
    assert dock.asset_panel.download_button.isEnabled()
    assert dock.asset_panel.select_all_check.checkState() == Qt.CheckState.Checked
    dock.asset_panel.select_all_check.click()
    assert model.checked_count() == 0
    assert not dock.asset_panel.download_button.isEnabled()


def test_outlines_are_drawn_again_in_a_new_project(
    sandbox, make_dock, project, desktop_iface, qtbot
):
    """QGIS starts a new project after a dock left open has listed (at start-up), and the user
    opens others: the outlines go with the old project and come back without a new listing."""
    desktop_iface.mainWindow().show()  # as in QGIS: the panel is on screen
    dock = make_dock(sandbox)
    dock.refresh()
    wait_listed(qtbot, dock)
    aoi = first_aoi(sandbox)
    select_and_wait_for_assets(qtbot, dock, aoi["aoi_id"])
    listings = len(requests_to(sandbox, "aois"))

    project.clear()
    assert project.mapLayers() == {}
    desktop_iface.newProjectCreated.emit()
    qtbot.waitUntil(lambda: len(project.mapLayers()) == 1, timeout=TIMEOUT_MS)

    layer = footprints_layer(project)
    assert layer.featureCount() == AOI_COUNT
    assert [layer.getFeature(fid)["aoi_id"] for fid in layer.selectedFeatureIds()] == [
        aoi["aoi_id"]
    ]
    assert dock.footprints._highlight is not None
    assert len(requests_to(sandbox, "aois")) == listings

    # A closed panel adds no layer to the projects the user opens; shown again, it does.
    dock.hide()
    project.clear()
    desktop_iface.newProjectCreated.emit()
    qtbot.wait(100)
    assert project.mapLayers() == {}
    dock.show()
    qtbot.waitUntil(lambda: len(project.mapLayers()) == 1, timeout=TIMEOUT_MS)
    assert footprints_layer(project).featureCount() == AOI_COUNT
    assert len(requests_to(sandbox, "aois")) == listings


def test_quick_selection_changes_ask_for_the_last_aoi_only(sandbox, make_dock, qtbot):
    dock = make_dock(sandbox)
    dock.refresh()
    wait_listed(qtbot, dock)
    before = len(requests_to(sandbox, "assets"))
    ids = [a["aoi_id"] for a in sandbox.catalog.aois[:5]]
    for aoi_id in ids:
        assert dock.aoi_panel.select_aoi(aoi_id)
    qtbot.waitUntil(lambda: dock.asset_panel.model.aoi_id == ids[-1], timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: dock.asset_panel.task is None, timeout=TIMEOUT_MS)
    asked = [request.path for request in requests_to(sandbox, "assets")[before:]]
    assert len(asked) == 1
    assert ids[-1] in asked[0]


# -- downloads ------------------------------------------------------------------------------------


def test_download_runs_adds_layers_and_records_history(
    sandbox, make_dock, project, desktop_iface, english_plurals, qtbot
):
    dock = make_dock(sandbox)
    dock.refresh()
    wait_listed(qtbot, dock)
    aoi = first_aoi(sandbox)
    select_and_wait_for_assets(qtbot, dock, aoi["aoi_id"])
    dock.asset_panel.select_all_check.click()
    dock.asset_panel.download_button.click()
    (entry,) = dock.history.entries()
    assert entry.state == RUNNING
    assert entry.aoi_name == aoi["name"]
    assert dock.downloads_view.entry_widget(entry.id).cancel_button.isVisibleTo(dock)
    (task,) = [t for t in dock.registry.running() if isinstance(t, DownloadTask)]
    assert task.description()  # in QGIS' task manager too

    # A second click on the same download is refused, not started twice.
    dock.asset_panel.download_button.click()
    assert dock.notices.last == ("info", "This download is already running.")
    assert len([t for t in dock.registry.running() if isinstance(t, DownloadTask)]) == 1
    assert len(dock.history.entries()) == 1

    qtbot.waitUntil(lambda: dock.history.entries()[0].state != RUNNING, timeout=TIMEOUT_MS)
    entry = dock.history.entries()[0]
    assert entry.state == DONE, entry.message
    assert entry.folder
    assert dock.notices.last[0] == "success"
    widget = dock.downloads_view.entry_widget(entry.id)
    assert not widget.cancel_button.isVisibleTo(dock)
    assert widget.again_button.text() == "Add to map"
    assert widget.folder_button.isEnabled()
    # The imagery is on the map, in the AOI's group, and the message offers to open and zoom.
    group = project.layerTreeRoot().findGroup(aoi["name"])
    assert group is not None
    assert len(task.layers.image_layers) == 2
    assert {layer.layerId() for layer in group.findLayers()} >= {
        layer.id() for layer in task.layers.image_layers
    }
    assert dock.notices.last[1] == f"{aoi['name']}: 2 images added to the map."
    buttons = {button.text() for button in desktop_iface.messageBar().findChildren(QPushButton)}
    assert {"Open folder", "Zoom to"} <= buttons

    # "Add to map" again: the same request, answered from the files on disk, no duplicates.
    layers_before = set(project.mapLayers())
    downloads_before = len(requests_to(sandbox, "storage"))
    widget.again_button.click()
    qtbot.waitUntil(
        lambda: dock.history.entries()[0].id != entry.id
        and dock.history.entries()[0].state != RUNNING,
        timeout=TIMEOUT_MS,
    )
    (again,) = dock.history.entries()
    assert again.state == DONE, again.message
    assert set(project.mapLayers()) == layers_before
    assert len(requests_to(sandbox, "storage")) == downloads_before


def test_cancelling_a_running_download(sandbox, make_dock, qtbot):
    sandbox.configure(ready_after_seconds=60)
    dock = make_dock(sandbox)
    dock.refresh()
    wait_listed(qtbot, dock)
    select_and_wait_for_assets(qtbot, dock, first_aoi(sandbox)["aoi_id"])
    dock.asset_panel.select_all_check.click()
    task = dock.download_checked()
    assert task is not None
    qtbot.waitUntil(lambda: task.status() == QgsTask.TaskStatus.Running, timeout=TIMEOUT_MS)
    (entry,) = dock.history.entries()
    widget = dock.downloads_view.entry_widget(entry.id)
    qtbot.waitUntil(lambda: "Waiting" in widget.detail_label.text(), timeout=TIMEOUT_MS)
    widget.cancel_button.click()
    qtbot.waitUntil(lambda: dock.history.entries()[0].state != RUNNING, timeout=TIMEOUT_MS)
    assert dock.history.entries()[0].state == CANCELLED
    assert dock.notices.last[0] == "info"
    widget = dock.downloads_view.entry_widget(entry.id)
    assert widget.again_button.text() == "Resume"
    assert widget.again_button.isVisibleTo(dock)

    # Resume: the same request again, which replaces the cancelled entry.
    sandbox.configure(ready_after_seconds=0)
    widget.again_button.click()
    qtbot.waitUntil(
        lambda: dock.history.entries()[0].id != entry.id
        and dock.history.entries()[0].state != RUNNING,
        timeout=TIMEOUT_MS,
    )
    (resumed,) = dock.history.entries()
    assert resumed.state == DONE, resumed.message


def test_a_failed_download_shows_the_api_message_and_offers_retry(sandbox, make_dock, qtbot):
    sandbox.faults.add("download_create", "status", status=500)
    dock = make_dock(sandbox)
    dock.refresh()
    wait_listed(qtbot, dock)
    select_and_wait_for_assets(qtbot, dock, first_aoi(sandbox)["aoi_id"])
    dock.asset_panel.select_all_check.click()
    dock.asset_panel.download_button.click()
    qtbot.waitUntil(lambda: dock.history.entries()[0].state != RUNNING, timeout=TIMEOUT_MS)
    (entry,) = dock.history.entries()
    assert entry.state == FAILED
    level, text = dock.notices.last
    assert level == "critical"
    assert "injected fault" in text
    assert "Pixxel tab" in text
    widget = dock.downloads_view.entry_widget(entry.id)
    assert widget.again_button.text() == "Retry"
    assert "injected fault" in widget.detail_label.text()


# -- states ---------------------------------------------------------------------------------------


def test_a_rejected_key_shows_the_api_message_and_retry_recovers(sandbox, make_dock, qtbot):
    keys = ["not-a-pixxel-key"]
    dock = make_dock(sandbox, connection_provider=lambda: connection_to(sandbox, keys[-1]))
    dock.refresh()
    qtbot.waitUntil(lambda: dock.aoi_panel.state == STATE_ERROR, timeout=TIMEOUT_MS)
    assert "invalid API key" in dock.aoi_panel.message.text_label.text()
    assert dock.aoi_panel.message.button.text() == "Retry"
    keys.append(sandbox.api_key)
    dock.aoi_panel.message.button.click()
    wait_listed(qtbot, dock)
    assert dock.aoi_panel.state == STATE_TABLE


def test_no_key_asks_for_one_and_the_stored_key_is_used(
    sandbox, make_dock, monkeypatch, auth_manager, qtbot
):
    monkeypatch.delenv("PIXXEL_API_KEY", raising=False)
    monkeypatch.setenv("PIXXEL_API_URL", sandbox.api_url)
    stored = QgsSettings().value(credentials.AUTH_CONFIG_ID_KEY)
    QgsSettings().remove(credentials.AUTH_CONFIG_ID_KEY)
    try:
        # The "settings dialog" stores the key, as the options page does.
        dock = make_dock(
            sandbox, connection_provider=current_connection,
            open_settings=lambda: credentials.store_api_key(sandbox.api_key),
        )
        assert dock.aoi_panel.state == STATE_NO_KEY
        dock.refresh()
        assert dock.aoi_panel.state == STATE_NO_KEY
        assert dock.aoi_panel.message.title_label.text() == "Set your Pixxel API key"
        assert dock.aoi_panel.message.button.text() == "Open settings"
        dock.aoi_panel.message.button.click()
        wait_listed(qtbot, dock)
    finally:
        credentials.clear_api_key()
        if stored:
            QgsSettings().setValue(credentials.AUTH_CONFIG_ID_KEY, stored)


def test_an_empty_listing_says_so(sandbox, make_dock, qtbot):
    dock = make_dock(sandbox)
    dock.refresh()
    wait_listed(qtbot, dock)
    dock.aoi_panel.model.clear()  # what a key that sees no AOI gets
    assert dock.aoi_panel.state == STATE_EMPTY
    assert dock.aoi_panel.message.title_label.text() == "No AOIs yet"
    assert dock.aoi_panel.message.button.text() == "Refresh"


def test_disposing_the_dock_cancels_its_listing(sandbox, make_dock, registry, qtbot):
    sandbox.configure(page_cap=5)
    sandbox.faults.add("aois", "slow", nth=2, times=None, delay=1.0)
    dock = make_dock(sandbox)
    dock.refresh()
    qtbot.waitUntil(lambda: len(dock.aoi_panel.model.rows) >= 5, timeout=TIMEOUT_MS)
    dock.aoi_panel.select_aoi(dock.aoi_panel.model.rows[0].aoi.aoi_id)
    listing = dock.aoi_panel.list_task
    assert dock.footprints._highlight is not None
    dock.dispose()
    assert listing.isCanceled()
    assert dock.footprints._highlight is None
    qtbot.waitUntil(lambda: registry.running() == [], timeout=TIMEOUT_MS)
    # The footprints stay: they are the user's layer now.
    assert QgsProject.instance().mapLayersByName(layer_name())


def test_deleting_the_dock_stops_its_tasks_without_dispose(sandbox, make_dock, registry, qtbot):
    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    sandbox.configure(page_cap=5)
    sandbox.faults.add("aois", "slow", nth=2, times=None, delay=1.0)
    dock = make_dock(sandbox)
    dock.refresh()
    qtbot.waitUntil(lambda: len(dock.aoi_panel.model.rows) >= 5, timeout=TIMEOUT_MS)
    dock.aoi_panel.select_aoi(dock.aoi_panel.model.rows[0].aoi.aoi_id)
    footprints, history = dock.footprints, dock.history
    assert footprints._highlight is not None
    listing = dock.aoi_panel.list_task
    dock.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert listing.isCanceled()
    assert footprints._highlight is None
    qtbot.waitUntil(lambda: registry.running() == [], timeout=TIMEOUT_MS)
    history.clear()  # the history outlives the dock: nothing of the dock may still listen
