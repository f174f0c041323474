"""The AOI table model and its filter proxy: paging, de-duplication, value sorting, filtering by
text and project, catalogue names, and selection surviving filter and sort."""

import pytest
from qgis.PyQt.QtCore import QItemSelectionModel, QPersistentModelIndex, Qt
from qgis.PyQt.QtWidgets import QTableView

from pixxel_qgis.core.pixxel.models import Aoi, Project, Satellite
from pixxel_qgis.ui.aoi_model import (
    AOI_ID_ROLE,
    COL_AREA,
    COL_CREATED,
    COL_NAME,
    COL_PROGRESS,
    COL_PROJECT,
    COL_SATELLITE,
    COL_STATUS,
    COL_UPDATED,
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
    from pixxel_qgis.core.pixxel.models import Asset

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


# -- pages merged into sorted rows ----------------------------------------------------------------

SORTABLE = (COL_NAME, COL_STATUS, COL_PROGRESS, COL_CREATED, COL_UPDATED, COL_AREA, COL_SATELLITE,
            COL_PROJECT)
ORDERS = (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)


def varied_aois(count=60):
    """AOIs whose every sortable column has ties, missing values and names that tie too."""
    statuses = ["success", "failed", "running", "partial_success", "weird", ""]
    made = []
    for n in range(count):
        made.append(Aoi.from_json({
            "aoi_id": f"id-{n:03d}",
            "name": ["Alpha", "beta", "Gamma", "", "alpha"][n % 5] + ("" if n % 3 else f" {n % 4}"),
            "status": statuses[n % len(statuses)],
            "progress": None if n % 7 == 0 else (n * 13) % 5 * 25,
            "created_at": None if n % 6 == 0 else f"2024-0{1 + n % 3}-0{1 + n % 4}T10:00:00Z",
            "updated_at": None if n % 4 == 0 else f"2024-05-0{1 + n % 2} 08:00:00",
            "area_in_sq_m": None if n % 5 == 0 else float((n * 7) % 4) * 1e6,
            "satellite_id": None if n % 8 == 0 else f"s{n % 3}",
            "project_id": f"p{n % 4}" if n % 9 else None,
        }))
    return made


def pages_out_of_order(aois, size):
    """The pages of `aois` in a few orders: last first, odd ones first, every fifth."""
    pages = [aois[start:start + size] for start in range(0, len(aois), size)]
    count = len(pages)
    yield pages[::-1]
    yield pages[1::2] + pages[::2]
    yield sorted(pages, key=lambda page: (pages.index(page) * 5) % count)


def order_after_a_full_sort(aois, column, order):
    """The rows a model shows when given every AOI unsorted, then sorted (the reference)."""
    model = AoiTableModel()
    model.set_catalog([Project(id="p1", name="z", title="Zeta")], [Satellite(id="s2", name="Ab")])
    model.append(aois)
    model.sort(column, order)
    return model.aoi_ids()


def check_row_of(model):
    assert [model.row_of(aoi_id) for aoi_id in model.aoi_ids()] == list(range(model.rowCount()))


@pytest.mark.parametrize("column", SORTABLE)
@pytest.mark.parametrize("order", ORDERS)
def test_pages_merged_while_sorted_end_as_a_full_sort_would(qgis_app, column, order):
    aois = varied_aois()
    for pages in pages_out_of_order(aois, 7):
        model = AoiTableModel()
        model.set_catalog([Project(id="p1", name="z", title="Zeta")],
                          [Satellite(id="s2", name="Ab")])
        model.sort(column, order)
        arrived = []
        for page in pages:
            model.append(page)
            arrived.extend(page)
            check_row_of(model)
        # Equal keys keep their order of arrival, as a stable sort of the rows as they came.
        assert model.aoi_ids() == order_after_a_full_sort(arrived, column, order)


def test_a_page_in_the_tables_order_is_one_insertion_at_the_end(models, qtbot):
    model, proxy = models
    proxy.sort(COL_CREATED, Qt.SortOrder.DescendingOrder)
    newest_first = [aoi(f"a{n:02d}", f"AOI {n}", created=f"2024-01-{31 - n:02d}T00:00:00Z")
                    for n in range(30)]
    model.append(newest_first[:10])
    layouts = []
    model.layoutChanged.connect(lambda *_args: layouts.append(True))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.append(newest_first[10:20])
    assert inserted.args[1:] == [10, 19]
    assert layouts == []  # no re-sort, so the proxy filters the new rows only
    assert [proxy.index(row, COL_NAME).data(DISPLAY) for row in range(proxy.rowCount())] == [
        f"AOI {n}" for n in range(20)
    ]


def test_a_page_spread_over_the_rows_is_one_insertion_per_run(models):
    model, _proxy = models
    model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    model.append([aoi(name, name) for name in ("b", "d", "f")])
    runs = []
    model.rowsInserted.connect(lambda _parent, first, last: runs.append((first, last)))
    model.append([aoi(name, name) for name in ("g", "a", "c", "cc", "e", "h")])
    # Front to back, each run at its place in the rows as they are by then.
    assert runs == [(0, 0), (2, 3), (5, 5), (7, 8)]
    assert model.aoi_ids() == ["a", "b", "c", "cc", "d", "e", "f", "g", "h"]
    check_row_of(model)


def test_a_known_aoi_whose_sort_value_changed_moves_to_its_place(models):
    model, proxy = models
    proxy.sort(COL_AREA, Qt.SortOrder.AscendingOrder)
    model.append([aoi(str(n), f"AOI {n}", area=n * 1e6) for n in range(1, 6)])
    assert model.append([aoi("1", "AOI 1", area=9e6), aoi("9", "AOI 9", area=3.5e6)]) == 1
    assert model.aoi_ids() == ["2", "3", "9", "4", "5", "1"]
    check_row_of(model)
    # Unchanged values leave the order alone; the new status shows.
    model.append([aoi("4", "AOI 4", area=4e6, status="failed")])
    assert model.aoi_ids() == ["2", "3", "9", "4", "5", "1"]
    assert model.aoi("4").status == "failed"


def test_missing_values_stay_last_in_either_direction_while_merging(models):
    model, _proxy = models
    for order, expected in (
        (Qt.SortOrder.AscendingOrder, ["small", "big", "no area a", "no area b"]),
        (Qt.SortOrder.DescendingOrder, ["big", "small", "no area a", "no area b"]),
    ):
        model.clear()
        model.sort(COL_AREA, order)
        model.append([aoi("n2", "no area b")])
        model.append([aoi("big", "big", area=5e6), aoi("n1", "no area a")])
        model.append([aoi("small", "small", area=1e6)])
        assert [model.aoi(aoi_id).name for aoi_id in model.aoi_ids()] == expected


def test_selection_and_persistent_indexes_follow_merged_rows(models, qtbot):
    model, proxy = models
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    proxy.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    model.append([aoi(f"m{n}", f"M {n}") for n in range(5)])
    proxy.set_text("m")  # a filter active while pages arrive
    target = proxy.mapFromSource(model.index(model.row_of("m2"), 0))
    view.selectionModel().select(
        target, QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows
    )
    kept = QPersistentModelIndex(model.index(model.row_of("m2"), COL_NAME))
    # Before, between and after the selected row; some filtered out.
    model.append([aoi("a", "A"), aoi("m2b", "M 2b"), aoi("z", "Z m"), aoi("x", "X")])
    assert kept.row() == model.row_of("m2")
    selected = view.selectionModel().selectedRows()
    assert [index.data(AOI_ID_ROLE) for index in selected] == ["m2"]
    assert names(proxy) == ["M 0", "M 1", "M 2", "M 2b", "M 3", "M 4", "Z m"]
