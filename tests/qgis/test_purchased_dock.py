"""The dock's Purchased view against the sandbox, in real QGIS (offscreen): order items and
catalogs listed page by page when the tab is first shown, filtered by text and by order, their
outlines in a layer of their own, the Download button through the same DownloadTask and history
(resumable from it), and the error state."""

import dataclasses

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt

from pixxel_qgis.core.download import kinds
from pixxel_qgis.core.qgis import settings
from pixxel_qgis.core.qgis.connection import Connection
from pixxel_qgis.core.qgis.history import DONE, DownloadHistory
from pixxel_qgis.core.qgis.layers import PROPERTY_ROLE, ROLE_IMAGE, ROLE_PURCHASED_FOOTPRINTS
from pixxel_qgis.core.qgis.registry import TaskRegistry
from pixxel_qgis.ui.dock import PixxelDock
from pixxel_qgis.ui.purchased_model import ITEM_NAME, RECORD_ROLE
from pixxel_qgis.ui.purchased_panel import PAGE_CATALOGS, PAGE_ITEMS

TIMEOUT_MS = 60_000


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
def history(tmp_path):
    return DownloadHistory(path=tmp_path / "history" / "downloads.json")


@pytest.fixture
def dock(desktop_iface, registry, history, project, download_settings, sandbox, qtbot):
    dock = PixxelDock(
        desktop_iface.mainWindow(), iface=desktop_iface, registry=registry, history=history,
        auto_load=False, open_settings=lambda: None,
        connection_provider=lambda: Connection(api_key=sandbox.api_key,
                                               base_url=sandbox.api_url),
    )
    dock.resize(560, 900)
    dock.show()
    yield dock
    dock.dispose()
    registry.cancel_all(wait_seconds=30)
    qtbot.waitUntil(lambda: QgsApplication.taskManager().countActiveTasks() == 0,
                    timeout=TIMEOUT_MS)


def show_purchases(qtbot, dock):
    dock.tabs.setCurrentWidget(dock.purchased_panel)
    panel = dock.purchased_panel
    qtbot.waitUntil(lambda: panel.listed and not panel.is_listing(), timeout=TIMEOUT_MS)
    return panel


def shown(proxy):
    return [proxy.index(row, 0).data(RECORD_ROLE) for row in range(proxy.rowCount())]


def requests_to(sandbox, endpoint):
    return [r for r in sandbox.requests if r.endpoint == endpoint]


def purchases_layer(project):
    found = [layer for layer in project.mapLayers().values()
             if layer.customProperty(PROPERTY_ROLE) == ROLE_PURCHASED_FOOTPRINTS]
    assert len(found) == 1
    return found[0]


def test_the_tab_lists_every_order_item_and_catalog_when_first_shown(
    sandbox, dock, project, english_plurals, qtbot
):
    sandbox.configure(page_cap=4)
    assert requests_to(sandbox, "order_items") == []
    panel = show_purchases(qtbot, dock)
    items, catalogs = sandbox.purchases.order_items(), sandbox.purchases.catalogs()
    assert {i.order_item_id for i in panel.item_model.rows()} == {i.id for i in items}
    assert {c.catalog_id for c in panel.catalog_model.rows()} == {c.id for c in catalogs}
    assert len(requests_to(sandbox, "catalogs_search")) == -(-len(catalogs) // 4)
    assert panel.item_stack.currentWidget() is panel.item_stack.table
    assert panel.count_label.full_text() == \
        f"{len(items)} order items, {len(catalogs)} catalogs"
    # Each catalog names the order item that delivered it.
    for catalog in catalogs:
        found = next(c for c in panel.catalog_model.rows() if c.catalog_id == catalog.id)
        assert panel.catalog_model.owner(found).order_item_id == catalog.order_item.id
    assert purchases_layer(project).featureCount() == len(catalogs)
    assert not project.isDirty()
    # A dock refresh lists them again, now that they were shown.
    before = len(requests_to(sandbox, "order_items"))
    dock.refresh()
    qtbot.waitUntil(lambda: not panel.is_listing(), timeout=TIMEOUT_MS)
    assert len(requests_to(sandbox, "order_items")) > before


def test_filter_by_text_and_by_order(sandbox, dock, qtbot):
    panel = show_purchases(qtbot, dock)
    panel.search_edit.setText("archive")
    assert shown(panel.item_proxy)
    assert all("archive" in i.name.lower() or i.type == "ARCHIVE" for i in shown(panel.item_proxy))
    panel.search_edit.setText("")
    order = next(o for o in sandbox.purchases.orders if len(o.items) > 1)
    panel.order_combo.setCurrentIndex(panel.order_combo.findData(order.id))
    assert {i.order_item_id for i in shown(panel.item_proxy)} == {i.id for i in order.items}
    assert {c.catalog_id for c in shown(panel.catalog_proxy)} == \
        {c.id for c in sandbox.purchases.catalogs() if c.order_item.order_id == order.id}
    panel.search_edit.setText("no such purchase")
    assert panel.item_stack.currentWidget() is panel.item_stack.message
    assert "Nothing matches" in panel.item_stack.message.title_label.text()


def test_only_order_items_with_imagery_can_be_picked(dock, qtbot):
    panel = show_purchases(qtbot, dock)
    proxy = panel.item_proxy
    for row in range(proxy.rowCount()):
        index = proxy.index(row, ITEM_NAME)
        item = index.data(RECORD_ROLE)
        enabled = bool(index.flags() & Qt.ItemFlag.ItemIsEnabled)
        assert enabled == item.has_imagery, item.status
        if not enabled:
            assert "Only order items with delivered imagery" in \
                index.data(Qt.ItemDataRole.ToolTipRole)


def test_selected_catalogs_download_into_their_order_items_folder(
    sandbox, dock, history, project, download_settings, qtbot
):
    panel = show_purchases(qtbot, dock)
    item = next(i for i in panel.item_model.rows() if i.status == "FULFILLED" and len(i.images) > 1)
    mine = [c for c in panel.catalog_model.rows() if panel.catalog_model.owner(c) is item][:2]
    panel.views.setCurrentIndex(PAGE_CATALOGS)
    assert panel.select([c.catalog_id for c in mine]) == 2
    assert panel.download_button.text() == "Download (2)"
    assert purchases_layer(project).selectedFeatureCount() == 2
    kind, ids, name, labels = panel.download_request()
    assert (kind, set(ids), name) == (kinds.CATALOGS, {c.catalog_id for c in mine}, item.name)

    with qtbot.waitSignal(history.changed, timeout=TIMEOUT_MS,
                          check_params_cb=lambda *_: history.entries()[0].state == DONE):
        panel.download_button.click()
    entry = history.entries()[0]
    assert (entry.kind, entry.aoi_name, entry.aoi_id) == ("catalogs", item.name,
                                                         f"purchased:{item.name}")
    assert DownloadHistory(path=history.path).entries()[0].kind == "catalogs"  # as saved
    assert set(entry.asset_names) == {c.item_id for c in mine}
    assert entry.folder.endswith(item.name)
    group = project.layerTreeRoot().findGroup(item.name)
    images = [n.layer().name() for n in group.findLayers()
              if n.layer().customProperty(PROPERTY_ROLE) == ROLE_IMAGE]
    assert sorted(images) == sorted(c.item_id for c in mine)

    # Resumed / added again from the history: the same kind of request, nothing fetched again.
    creates = len(requests_to(sandbox, "catalog_download_create"))
    task = dock.downloads.again(entry.id)
    assert task is not None
    assert task.job.kind is kinds.CATALOGS
    qtbot.waitUntil(lambda: history.entries()[0].state == DONE, timeout=TIMEOUT_MS)
    assert len(requests_to(sandbox, "catalog_download_create")) == creates


def test_an_order_item_downloads_every_catalog_it_delivered(sandbox, dock, history, qtbot):
    panel = show_purchases(qtbot, dock)
    item = next(i for i in panel.item_model.rows() if i.status == "FULFILLED" and len(i.images) > 1)
    panel.views.setCurrentIndex(PAGE_ITEMS)
    assert panel.select([item.order_item_id]) == 1
    assert panel.download_request()[:3] == (kinds.ORDER_ITEMS, (item.order_item_id,), item.name)
    with qtbot.waitSignal(history.changed, timeout=TIMEOUT_MS,
                          check_params_cb=lambda *_: history.entries()[0].state == DONE):
        panel.download_button.click()
    entry = history.entries()[0]
    assert entry.kind == "order_items"
    assert len(entry.rasters) == len(item.images)


def test_a_listing_error_shows_the_api_message_and_retry_recovers(sandbox, dock, qtbot):
    sandbox.faults.add("catalogs_search", "status", times=None, status=400)
    panel = show_purchases(qtbot, dock)
    message = panel.catalog_stack.message
    assert panel.catalog_stack.currentWidget() is message
    assert "Could not list" in message.title_label.text()
    assert "HTTP 400" in message.text_label.text()
    assert panel.item_stack.currentWidget() is panel.item_stack.table
    sandbox.faults.clear()
    message.button.click()
    qtbot.waitUntil(lambda: panel.catalog_stack.currentWidget() is panel.catalog_stack.table,
                    timeout=TIMEOUT_MS)


def test_disposing_the_dock_cancels_the_purchase_listings(sandbox, dock, registry, qtbot):
    sandbox.faults.add("order_items", "slow", times=None, delay=1.0)
    dock.tabs.setCurrentWidget(dock.purchased_panel)
    assert dock.purchased_panel.is_listing()
    dock.dispose()
    qtbot.waitUntil(lambda: registry.running() == [], timeout=TIMEOUT_MS)


def test_without_a_key_the_tab_says_why_and_retry_lists(sandbox, dock, qtbot):
    from pixxel_qgis.core.qgis.connection import SetupError

    working = dock._connection_provider

    def no_key():
        raise SetupError("Set your Pixxel API key in the Pixxel settings.")

    dock._connection_provider = no_key
    dock.tabs.setCurrentWidget(dock.purchased_panel)
    panel = dock.purchased_panel
    message = panel.item_stack.message
    assert panel.item_stack.currentWidget() is message
    assert "Set your Pixxel API key" in message.text_label.text()
    assert requests_to(sandbox, "order_items") == []
    dock._connection_provider = working
    message.button.click()
    qtbot.waitUntil(lambda: panel.item_stack.currentWidget() is panel.item_stack.table,
                    timeout=TIMEOUT_MS)
