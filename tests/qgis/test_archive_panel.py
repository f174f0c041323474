"""The dock's "Find imagery" view against the sandbox, in real QGIS: a search over the map extent
or a drawn rectangle, results page by page into the table and a footprints layer styled apart
from the AOIs, previews on the map, and Order… opening the order dialog."""

import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsRasterLayer,
    QgsRectangle,
    QgsSimpleLineSymbolLayer,
)
from qgis.PyQt.QtCore import QItemSelectionModel, Qt

from pixxel_qgis.core.qgis import archive_tasks
from pixxel_qgis.core.qgis.archive_layers import (
    OUTLINE_COLOUR,
    PROPERTY_ITEM,
    ROLE_ARCHIVE_PREVIEW,
    footprints_layer_name,
)
from pixxel_qgis.core.qgis.connection import Connection
from pixxel_qgis.core.qgis.layers import PROPERTY_ROLE
from pixxel_qgis.core.qgis.registry import TaskRegistry
from pixxel_qgis.ui.archive_model import COL_CLOUD
from pixxel_qgis.ui.dock import PixxelDock
from pixxel_qgis.ui.footprints import OUTLINE_COLOUR as AOI_COLOUR

TIMEOUT_MS = 60_000


@pytest.fixture
def registry(qgis_app):
    registry = TaskRegistry()
    yield registry
    registry.cancel_all(wait_seconds=30)
    assert registry.running() == []


def make_dock(desktop_iface, registry, tmp_path, connection_provider):
    from pixxel_qgis.core.qgis.history import DownloadHistory

    return PixxelDock(
        desktop_iface.mainWindow(), iface=desktop_iface, registry=registry,
        history=DownloadHistory(path=tmp_path / "history.json"), auto_load=False,
        open_settings=lambda: None, connection_provider=connection_provider,
    )


@pytest.fixture
def dock(desktop_iface, registry, project, sandbox, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(archive_tasks, "preview_folder", lambda: tmp_path / "previews")
    dock = make_dock(
        desktop_iface, registry, tmp_path,
        lambda: Connection(api_key=sandbox.api_key, base_url=sandbox.api_url),
    )
    dock.resize(700, 900)
    dock.show()
    dock.tabs.setCurrentWidget(dock.archive_panel)
    yield dock
    dock.dispose()
    registry.cancel_all(wait_seconds=30)
    qtbot.waitUntil(lambda: QgsApplication.taskManager().countActiveTasks() == 0,
                    timeout=TIMEOUT_MS)


def box_of(aoi):
    ring = aoi["geometry"]["coordinates"][0]
    return (min(p[0] for p in ring), min(p[1] for p in ring), max(p[0] for p in ring),
            max(p[1] for p in ring))


def show_on_map(desktop_iface, box):
    canvas = desktop_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    canvas.setExtent(QgsRectangle(*box))
    canvas.refresh()
    return canvas


def searched(qtbot, panel):
    task = panel.search()
    assert task is not None
    qtbot.waitUntil(lambda: panel.search_button.isEnabled(), timeout=TIMEOUT_MS)
    return task


def expected_ids(sandbox, box, panel):
    west, south, east, north = box
    return {
        i.id for i in sandbox.archive.items
        if i.box[0] <= east and i.box[2] >= west and i.box[1] <= north and i.box[3] >= south
        and i.cloud_cover <= panel.cloud_spin.value() and i.off_nadir <= panel.nadir_spin.value()
        and panel.start_edit.date().toPyDate() <= i.acquired.date()
        <= panel.end_edit.date().toPyDate()
    }


def select_rows(panel, rows):
    selection = panel.table.selectionModel()
    selection.clear()
    for row in rows:
        selection.select(panel.sorted.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)


def test_search_over_the_map_extent_fills_table_and_footprints(
    qtbot, dock, desktop_iface, sandbox
):
    sandbox.configure(page_cap=2)  # several pages, each shown as it arrives
    panel = dock.archive_panel
    panel.cloud_spin.setValue(100)
    panel.nadir_spin.setValue(90)
    panel.start_edit.setDate(panel.start_edit.date().addYears(-10))
    box = box_of(sandbox.catalog.aoi_at(0))
    show_on_map(desktop_iface, box)
    pages = []
    task = panel.search()
    task.pageReady.connect(pages.append)
    qtbot.waitUntil(lambda: panel.search_button.isEnabled(), timeout=TIMEOUT_MS)
    shown = {panel.sorted.item(row).id for row in range(panel.sorted.rowCount())}
    near = {i.id for i in sandbox.archive.items_of_aoi(0)}
    assert near <= shown
    visible = panel.search_box()
    assert shown == expected_ids(sandbox, visible, panel)
    assert len(pages) > 1
    assert f"{len(shown)} capture" in panel.status_label.text()
    layer = panel.footprints.layer()
    assert layer.name() == footprints_layer_name()
    assert layer.featureCount() == len(shown)
    line = layer.renderer().symbol().symbolLayer(0)
    assert isinstance(line, QgsSimpleLineSymbolLayer)
    assert line.color() == OUTLINE_COLOUR != AOI_COLOUR
    assert line.penStyle() == Qt.PenStyle.DashLine
    # The table sorts by number, not by text.
    panel.table.sortByColumn(COL_CLOUD, Qt.SortOrder.AscendingOrder)
    clouds = [panel.sorted.item(r).cloud_cover for r in range(panel.sorted.rowCount())]
    assert clouds == sorted(clouds)


def test_a_drawn_rectangle_and_the_limits_narrow_the_search(qtbot, dock, desktop_iface, sandbox):
    panel = dock.archive_panel
    show_on_map(desktop_iface, (-170.0, -80.0, 170.0, 80.0))
    panel.start_drawing()
    assert desktop_iface.mapCanvas().mapTool() is panel._map_tool
    box = box_of(sandbox.catalog.aoi_at(1))
    panel.area_drawn(QgsRectangle(*box))
    assert desktop_iface.mapCanvas().mapTool() is not panel._map_tool
    assert panel.search_box() == pytest.approx(box)
    panel.cloud_spin.setValue(100)
    panel.nadir_spin.setValue(90)
    panel.start_edit.setDate(panel.start_edit.date().addYears(-10))
    searched(qtbot, panel)
    shown = {panel.sorted.item(row).id for row in range(panel.sorted.rowCount())}
    assert shown == expected_ids(sandbox, box, panel)
    assert shown
    panel.cloud_spin.setValue(5)
    searched(qtbot, panel)
    low = [panel.sorted.item(row) for row in range(panel.sorted.rowCount())]
    assert all(item.cloud_cover <= 5 for item in low)
    assert panel.footprints.layer().featureCount() == len(low)  # replaced, not added to


def test_preview_and_order_for_the_selection(qtbot, dock, desktop_iface, sandbox, project):
    panel = dock.archive_panel
    panel.cloud_spin.setValue(100)
    panel.nadir_spin.setValue(90)
    panel.start_edit.setDate(panel.start_edit.date().addYears(-10))
    show_on_map(desktop_iface, box_of(sandbox.catalog.aoi_at(0)))
    searched(qtbot, panel)
    assert not panel.order_button.isEnabled()
    select_rows(panel, [0, 1])
    items = panel.selected_items()
    assert len(items) == 2
    assert panel.preview_button.isEnabled()
    assert panel.order_button.isEnabled()
    assert panel.footprints.layer().selectedFeatureCount() == 2

    tasks = panel.add_previews()
    assert len(tasks) == 2
    qtbot.waitUntil(lambda: len([layer for layer in project.mapLayers().values()
                                 if layer.customProperty(PROPERTY_ROLE) == ROLE_ARCHIVE_PREVIEW])
                    == 2, timeout=TIMEOUT_MS)
    previews = {layer.customProperty(PROPERTY_ITEM): layer
                for layer in project.mapLayers().values()
                if layer.customProperty(PROPERTY_ROLE) == ROLE_ARCHIVE_PREVIEW}
    layer = previews[items[0].id]
    assert isinstance(layer, QgsRasterLayer)
    assert layer.isValid()
    extent = layer.extent()
    assert (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()) == \
        pytest.approx(items[0].bbox, abs=1e-6)
    assert "sig=" not in layer.source()  # a local file, no signed link in the project

    dialog = panel.open_order_dialog()
    assert dialog.isVisible()
    assert [item.id for item in dialog.items] == [item.id for item in items]
    assert dialog.area_combo.count() == 2  # whole footprints, or the search area
    qtbot.waitUntil(lambda: dialog.project_combo.count() > 0, timeout=TIMEOUT_MS)
    dialog.reject()


def test_without_a_key_the_view_says_why(desktop_iface, registry, project, tmp_path):
    from pixxel_qgis.core.qgis.connection import SetupError

    def no_key():
        raise SetupError("Set your Pixxel API key in Settings → Options → Pixxel.")

    dock = make_dock(desktop_iface, registry, tmp_path, no_key)
    try:
        assert dock.archive_panel.search() is None
        assert "API key" in dock.archive_panel.status_label.text()
    finally:
        dock.dispose()


def test_dates_the_wrong_way_round_are_refused(dock, sandbox):
    panel = dock.archive_panel
    panel.start_edit.setDate(panel.end_edit.date().addDays(1))
    assert panel.search() is None
    assert "first day comes after" in panel.status_label.text()
    assert [r for r in sandbox.requests if r.endpoint == "archive_search"] == []
