"""pixxel:searcharchive and pixxel:estimateorder in-process (processing.run) against the sandbox:
their parameters, footprints and fields, the price table of a dry run, and that no algorithm can
place an order."""

from datetime import date

import pytest
from qgis.core import (
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)

from pixxel_qgis.core.processing.provider import PixxelProvider

PARAMETERS = {
    "pixxel:searcharchive": ["EXTENT", "START_DATE", "END_DATE", "MAX_CLOUD", "MAX_OFF_NADIR",
                             "COLLECTIONS", "OUTPUT"],
    "pixxel:estimateorder": ["ITEM_IDS", "PROJECT_ID", "USECASE", "EXTENT", "BANDSET_ID",
                             "OUTPUT"],
}
SEARCH_FIELDS = ["item_id", "collection", "acquired", "platform", "gsd", "cloud_cover",
                 "off_nadir", "sun_elevation"]


@pytest.fixture(scope="module")
def provider(qgis_processing):
    registry = QgsApplication.processingRegistry()
    provider = PixxelProvider()
    assert registry.addProvider(provider)
    yield provider
    registry.removeProvider(provider)


def run(algorithm: str, parameters: dict) -> dict:
    from qgis import processing

    return processing.run(algorithm, parameters, feedback=QgsProcessingFeedback())


def extent_of(sandbox, index=0) -> str:
    ring = sandbox.catalog.aoi_at(index)["geometry"]["coordinates"][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return f"{min(xs)},{max(xs)},{min(ys)},{max(ys)} [EPSG:4326]"


def rows(layer) -> list:
    if isinstance(layer, str):
        layer = QgsVectorLayer(layer, "out", "ogr")
    names = layer.fields().names()
    return [dict(zip(names, feature.attributes())) for feature in layer.getFeatures()]


def test_parameters_and_no_ordering_algorithm(provider):
    registry = QgsApplication.processingRegistry()
    for algorithm_id, names in PARAMETERS.items():
        algorithm = registry.algorithmById(algorithm_id)
        assert [p.name() for p in algorithm.parameterDefinitions()] == names
        assert algorithm.shortHelpString()
        assert algorithm.flags() & QgsProcessingAlgorithm.Flag.FlagCanCancel
    ids = [a.id() for a in provider.algorithms()]
    # pixxel:listorderitems only lists the workspace's order items (purchased imagery).
    readers = ("pixxel:estimateorder", "pixxel:listorderitems")
    assert not [i for i in ids if "order" in i and i not in readers]
    assert "never places an order" in registry.algorithmById("pixxel:estimateorder") \
        .shortHelpString()


def test_searcharchive_writes_footprints_with_their_facts(pixxel, tmp_path):
    output = str(tmp_path / "archive.gpkg")
    result = run("pixxel:searcharchive", {"EXTENT": extent_of(pixxel), "OUTPUT": output})
    layer = QgsVectorLayer(result["OUTPUT"], "archive", "ogr")
    assert layer.isValid()
    assert layer.wkbType() == QgsWkbTypes.Type.MultiPolygon
    assert [n for n in layer.fields().names() if n != "fid"] == SEARCH_FIELDS
    found = {row["item_id"]: row for row in rows(layer)}
    assert result["COUNT"] == len(found)
    near = pixxel.archive.items_of_aoi(0)
    assert {i.id for i in near} <= set(found)
    truth = near[0]
    row = found[truth.id]
    assert row["collection"] == truth.collection
    assert row["platform"] == truth.code
    assert row["acquired"].toPyDateTime().replace(tzinfo=None) == \
        truth.acquired.replace(tzinfo=None)
    assert row["cloud_cover"] == pytest.approx(truth.cloud_cover)
    assert row["off_nadir"] == pytest.approx(truth.off_nadir)
    assert row["sun_elevation"] == pytest.approx(truth.sun_elevation)
    assert row["gsd"] == truth.spec.parts.resolution_m
    feature = next(f for f in layer.getFeatures() if f["item_id"] == truth.id)
    box = feature.geometry().boundingBox()
    assert box.toRectF().getCoords() == pytest.approx(
        QgsRectangle(*truth.box).toRectF().getCoords(), abs=1e-6)


def test_searcharchive_filters(pixxel):
    result = run("pixxel:searcharchive", {
        "START_DATE": "2024-01-01", "END_DATE": "2024-12-31", "MAX_CLOUD": 15,
        "MAX_OFF_NADIR": 12, "COLLECTIONS": "pixxel-td2, pixxel-firefly", "OUTPUT": "memory:",
    })
    found = sorted(row["item_id"] for row in rows(result["OUTPUT"]))
    expected = sorted(
        i.id for i in pixxel.archive.items
        if date(2024, 1, 1) <= i.acquired.date() <= date(2024, 12, 31) and i.cloud_cover <= 15
        and i.off_nadir <= 12 and i.collection in ("pixxel-td2", "pixxel-firefly")
    )
    assert found == expected
    assert found


def test_searcharchive_refuses_dates_the_wrong_way_round(pixxel):
    with pytest.raises(QgsProcessingException, match="start date"):
        run("pixxel:searcharchive", {"START_DATE": "2024-05-01", "END_DATE": "2024-01-01",
                                     "OUTPUT": "memory:"})


def test_estimateorder_prices_each_capture_and_orders_nothing(pixxel):
    ids = [i.id for i in pixxel.archive.items_of_aoi(0)[:2]]
    before = len(pixxel.purchases.orders)
    result = run("pixxel:estimateorder", {"ITEM_IDS": ",".join(ids), "OUTPUT": "memory:"})
    assert len(pixxel.purchases.orders) == before
    table = rows(result["OUTPUT"])
    assert [row["item_id"] for row in table] == ids
    assert all(row["feasibility"] == "NOT_APPLICABLE" for row in table)
    assert all(row["final_amount"] >= row["base_amount"] > 0 for row in table)
    assert table[0]["bands"] == len(pixxel.archive.item(ids[0]).spec.wavelengths_nm)
    assert result["TOTAL_AMOUNT"] == pytest.approx(sum(row["final_amount"] for row in table))
    assert result["CURRENCY"] == ""
    posts = [r for r in pixxel.requests if r.endpoint == "order_create"]
    assert len(posts) == 1


def test_estimateorder_names_unknown_items(pixxel):
    with pytest.raises(QgsProcessingException, match="Not in Pixxel's archive: nope"):
        run("pixxel:estimateorder", {"ITEM_IDS": "nope", "OUTPUT": "memory:"})


def test_estimateorder_with_the_viewer_key_says_it_may_not_order(pixxel, monkeypatch):
    monkeypatch.setenv("PIXXEL_API_KEY", pixxel.viewer_key)
    item = pixxel.archive.items_of_aoi(0)[0].id
    with pytest.raises(QgsProcessingException, match="does not let this API key place orders"):
        run("pixxel:estimateorder", {"ITEM_IDS": item, "OUTPUT": "memory:"})
