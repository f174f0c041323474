"""The AOI table model and its filter proxy: paging, de-duplication, value sorting, filtering by
text and project, catalogue names, and selection surviving filter and sort."""

import pytest
from qgis.PyQt.QtCore import QItemSelectionModel, Qt
from qgis.PyQt.QtWidgets import QTableView

from pixxel_qgis.core.models import Aoi, Project, Satellite
from pixxel_qgis.ui.aoi_model import (
    AOI_ID_ROLE,
    COL_AREA,
    COL_CREATED,
    COL_NAME,
    COL_PROGRESS,
    COL_PROJECT,
    COL_SATELLITE,
    COL_STATUS,
    SORT_ROLE,
    AoiFilterProxyModel,
    AoiTableModel,
)
from pixxel_qgis.ui.asset_model import COL_NAME as ASSET_NAME
from pixxel_qgis.ui.asset_model import AssetTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole


def aoi(aoi_id, name, *, area=None, created=None, project="p1", status="success", progress=100,
        satellite="s1"):
    return Aoi.from_json({
        "aoi_id": aoi_id, "name": name, "area_in_sq_m": area, "created_at": created,
        "project_id": project, "status": status, "progress": progress, "satellite_id": satellite,
    })


@pytest.fixture
def models(qgis_app):
    model = AoiTableModel()
    proxy = AoiFilterProxyModel()
    proxy.setSourceModel(model)
    return model, proxy


def names(proxy):
    return [proxy.index(row, COL_NAME).data(DISPLAY) for row in range(proxy.rowCount())]


def test_pages_are_appended_once_each_and_known_aois_updated_in_place(models, qtbot):
    model, _proxy = models
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        assert model.append([aoi("a", "Alpha"), aoi("b", "Beta")]) == 2
    assert inserted.args[1:] == [0, 1]  # one insertion for the whole page
    added = model.append([aoi("b", "Beta", status="failed"), aoi("c", "Gamma"), aoi("c", "Gamma")])
    assert added == 1
    assert model.rowCount() == 3
    assert model.aoi("b").status == "failed"
    assert model.index(model.row_of("b"), COL_STATUS).data(DISPLAY) == "Failed"


def test_columns_show_units_and_catalogue_names(models):
    model, _proxy = models
    model.append([aoi("a", "Alpha", area=2_500_000, created="2024-05-01T10:00:00+00:00",
                      progress=42, status="partial_success")])
    row = 0
    assert model.index(row, COL_AREA).data(DISPLAY) == "2.50 km²"
    assert model.index(row, COL_PROGRESS).data(DISPLAY) == "42 %"
    assert model.index(row, COL_STATUS).data(DISPLAY) == "Partial success"
    assert model.index(row, COL_STATUS).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(row, COL_CREATED).data(DISPLAY).startswith("2024-05-01")
    # Ids until the catalogue arrives, names afterwards.
    assert model.index(row, COL_SATELLITE).data(DISPLAY) == "s1"
    assert model.index(row, COL_PROJECT).data(DISPLAY) == "p1"
    model.set_catalog([Project(id="p1", name="slug", title="Crop watch")],
                      [Satellite(id="s1", name="Firefly FF01")])
    assert model.index(row, COL_SATELLITE).data(DISPLAY) == "Firefly FF01"
    assert model.index(row, COL_PROJECT).data(DISPLAY) == "Crop watch"


def test_sorting_compares_values_not_text(models):
    model, proxy = models
    model.append([
        aoi("a", "Small", area=2_000_000, created="2024-01-02T00:00:00Z"),
        aoi("b", "Large", area=10_000_000, created="2023-12-31T23:00:00Z"),
        aoi("c", "Huge", area=150_000_000, created="2024-03-01T00:00:00Z"),
        aoi("d", "Unknown", area=None, created=None),
    ])
    proxy.sort(COL_AREA, Qt.SortOrder.AscendingOrder)
    # As text "10.0" < "150" < "2.00"; as values 2 < 10 < 150; unknown last.
    assert names(proxy) == ["Small", "Large", "Huge", "Unknown"]
    proxy.sort(COL_AREA, Qt.SortOrder.DescendingOrder)
    assert names(proxy) == ["Huge", "Large", "Small", "Unknown"]
    proxy.sort(COL_CREATED, Qt.SortOrder.AscendingOrder)
    assert names(proxy) == ["Large", "Small", "Huge", "Unknown"]
    assert isinstance(proxy.index(0, COL_CREATED).data(SORT_ROLE), float)
    # A page arriving while sorted lands in order.
    model.append([aoi("e", "Middle", created="2024-02-01T00:00:00Z")])
    assert names(proxy) == ["Large", "Small", "Middle", "Huge", "Unknown"]


def test_filter_by_words_id_and_project(models):
    model, proxy = models
    model.append([
        aoi("9f1c-aaaa", "Punjab wheat", project="p1"),
        aoi("0b2d-bbbb", "Punjab rice", project="p2"),
        aoi("77e0-cccc", "Nile delta", project="p2"),
    ])
    proxy.set_text("punjab")
    assert sorted(names(proxy)) == ["Punjab rice", "Punjab wheat"]
    proxy.set_text("RICE  punjab")  # every word, any order, any case
    assert names(proxy) == ["Punjab rice"]
    proxy.set_text("77e0")  # by id
    assert names(proxy) == ["Nile delta"]
    proxy.set_text("")
    proxy.set_project("p2")
    assert sorted(names(proxy)) == ["Nile delta", "Punjab rice"]
    proxy.set_text("punjab")
    assert names(proxy) == ["Punjab rice"]
    assert proxy.is_filtered()
    proxy.set_text("")
    proxy.set_project(None)
    assert proxy.rowCount() == 3
    assert not proxy.is_filtered()


def test_selection_survives_filtering_and_sorting(models, qtbot):
    model, proxy = models
    model.append([aoi(str(n), f"AOI {n:02d}", area=n * 1e6) for n in range(20)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    target = proxy.mapFromSource(model.index(model.row_of("7"), 0))
    view.selectionModel().select(
        target, QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows
    )
    proxy.set_text("0")  # "AOI 00", "AOI 07"... keeps 07
    proxy.sort(COL_AREA, Qt.SortOrder.DescendingOrder)
    selected = view.selectionModel().selectedRows()
    assert [index.data(AOI_ID_ROLE) for index in selected] == ["7"]


def test_retain_only_drops_aois_gone_since_the_last_listing(models):
    model, proxy = models
    model.append([aoi(str(n), f"AOI {n}") for n in range(6)])
    assert model.retain_only({"0", "2", "5"}) == 3
    assert sorted(model.aoi_ids()) == ["0", "2", "5"]
    assert model.row_of("5") is not None
    assert model.aoi("1") is None
    assert proxy.rowCount() == 3


def test_only_finished_assets_are_checkable(qgis_app, qtbot):
    from pixxel_qgis.core.models import Asset

    model = AssetTableModel()
    model.set_assets("a", [
        Asset.from_json({"id": "ok", "name": "TD2_1", "status": "success", "date": "2024-01-02",
                         "band_list": ["B1", "B2"], "resolution": 10}),
        Asset.from_json({"id": "wip", "name": "TD2_2", "status": "creating",
                         "date": "2024-01-01"}),
    ])
    ok, wip = (model.index(row, ASSET_NAME) for row in range(2))
    assert ok.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert not wip.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "creating" in wip.data(Qt.ItemDataRole.ToolTipRole)
    assert not model.setData(wip, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    with qtbot.waitSignal(model.checkedChanged) as changed:
        assert model.setData(ok, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert changed.args == [1]
    model.set_all_checked(True)
    assert [asset.id for asset in model.checked_assets()] == ["ok"]
    assert model.index(0, 4).data(DISPLAY) == "10 m"
    assert model.index(0, 5).data(DISPLAY) == "2"
