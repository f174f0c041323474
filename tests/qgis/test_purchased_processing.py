"""The purchased-imagery algorithms in-process (processing.run) against the sandbox:
pixxel:listcatalogs, pixxel:listorderitems and pixxel:downloadcatalogs, with the contracts of the
AOI algorithms (outputs, fields, filters, the API's messages, layers)."""

from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsWkbTypes,
)

from pixxel_qgis.core.processing.provider import PixxelProvider
from pixxel_qgis.core.qgis.layers import PROPERTY_ROLE, ROLE_IMAGE

CATALOG_FIELDS = ["catalog_id", "item_id", "acquired", "platform", "level", "gsd", "cloud_cover",
                  "off_nadir", "delivery_status", "area_km2"]
ITEM_FIELDS = ["order_id", "order_item_id", "item_id", "name", "type", "status", "image_type",
               "start_date", "end_date"]
PARAMETERS = {
    "pixxel:listcatalogs": ["NAME_FILTER", "OUTPUT"],
    "pixxel:listorderitems": ["ORDER_ID", "STATUS", "OUTPUT"],
    "pixxel:downloadcatalogs": ["CATALOG_IDS", "ORDER_ITEM_IDS", "OUTPUT_FOLDER", "LOAD_LAYERS"],
}


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


def rows(layer) -> list:
    return [dict(zip(layer.fields().names(), f.attributes()), geometry=f.geometry())
            for f in layer.getFeatures()]


def test_the_purchased_algorithms_and_their_parameters(provider):
    registry = QgsApplication.processingRegistry()
    for algorithm_id, names in PARAMETERS.items():
        algorithm = registry.algorithmById(algorithm_id)
        assert algorithm is not None, algorithm_id
        assert [p.name() for p in algorithm.parameterDefinitions()] == names
        assert algorithm.shortHelpString()
        assert algorithm.group() == "Pixxel"
        assert algorithm.flags() & QgsProcessingAlgorithm.Flag.FlagCanCancel
    download = registry.algorithmById("pixxel:downloadcatalogs")
    assert [o.name() for o in download.outputDefinitions()] == [
        "OUTPUT_FOLDER", "DOWNLOAD_ID", "RASTERS"]
    assert not download.parameterDefinition("OUTPUT_FOLDER").createByDefault()


def test_listcatalogs_writes_every_catalog_and_filters_by_name(pixxel):
    layer = run("pixxel:listcatalogs", {"OUTPUT": "memory:"})["OUTPUT"]
    assert layer.fields().names() == CATALOG_FIELDS
    assert layer.wkbType() == QgsWkbTypes.Type.MultiPolygon
    found = rows(layer)
    assert sorted(r["catalog_id"] for r in found) == \
        sorted(c.id for c in pixxel.purchases.catalogs())
    first = found[0]
    assert first["item_id"].startswith(first["platform"])
    assert first["level"] == "L2A"
    assert first["acquired"].isValid()
    assert first["gsd"] > 0
    assert {r["delivery_status"] for r in found} >= {"SUCCESS", "FAILED"}
    assert all(not r["geometry"].isEmpty() for r in found)
    platform = first["item_id"].split("_")[0].lower()
    filtered = rows(run("pixxel:listcatalogs", {"NAME_FILTER": platform, "OUTPUT": "memory:"})
                    ["OUTPUT"])
    assert filtered
    assert {r["catalog_id"] for r in filtered} == \
        {r["catalog_id"] for r in found if r["item_id"].lower().startswith(platform)}


def test_listorderitems_one_feature_per_image_and_filters(pixxel):
    layer = run("pixxel:listorderitems", {"OUTPUT": "memory:"})["OUTPUT"]
    assert layer.fields().names() == ITEM_FIELDS
    found = rows(layer)
    items = {i.id: i for i in pixxel.purchases.order_items()}
    assert {r["order_item_id"] for r in found} == set(items)
    for item_id, item in items.items():
        mine = [r for r in found if r["order_item_id"] == item_id]
        images = [r["item_id"] for r in mine if r["item_id"]]
        assert len(mine) == max(1, len(images))
        assert all(r["type"] == item.type and r["status"] == item.status for r in mine)
    without = next(r for r in found if r["status"] == "ACTIVE")
    assert without["geometry"].isNull()
    delivered = next(r for r in found if r["status"] == "FULFILLED" and r["type"] == "TASKING")
    assert delivered["start_date"].isValid()
    assert not delivered["geometry"].isEmpty()

    fulfilled = rows(run("pixxel:listorderitems", {"STATUS": "fulfilled", "OUTPUT": "memory:"})
                     ["OUTPUT"])
    assert fulfilled
    assert {r["status"] for r in fulfilled} == {"FULFILLED"}
    order_id = delivered["order_id"]
    of_order = rows(run("pixxel:listorderitems", {"ORDER_ID": order_id, "OUTPUT": "memory:"})
                    ["OUTPUT"])
    assert {r["order_id"] for r in of_order} == {order_id}


def test_downloadcatalogs_wants_catalogs_or_order_items_not_both(pixxel, tmp_path):
    catalog = pixxel.purchases.catalogs()[0]
    for parameters, message in (
        ({"CATALOG_IDS": catalog.id, "ORDER_ITEM_IDS": catalog.order_item.id}, "not both"),
        ({}, "Give the catalog ids or the order item ids"),
    ):
        with pytest.raises(QgsProcessingException, match=message):
            run("pixxel:downloadcatalogs", {**parameters, "OUTPUT_FOLDER": str(tmp_path)})
    active = next(i for i in pixxel.purchases.order_items() if i.status == "ACTIVE")
    with pytest.raises(QgsProcessingException, match="nothing delivered yet"):
        run("pixxel:downloadcatalogs", {"ORDER_ITEM_IDS": active.id,
                                        "OUTPUT_FOLDER": str(tmp_path)})


def test_downloadcatalogs_puts_the_catalogs_on_the_map(pixxel, tmp_path):
    catalogs = [c for c in pixxel.purchases.catalogs() if c.order_item.status == "FULFILLED"]
    item = catalogs[0].order_item
    mine = [c for c in catalogs if c.order_item.id == item.id]
    results = run("pixxel:downloadcatalogs", {
        "CATALOG_IDS": ",".join(c.id for c in mine), "OUTPUT_FOLDER": str(tmp_path)})
    folder = Path(results["OUTPUT_FOLDER"])
    assert folder == tmp_path / item.name
    assert results["DOWNLOAD_ID"]
    assert sorted(Path(r).parent.name for r in results["RASTERS"]) == \
        sorted(c.item.id for c in mine)
    group = QgsProject.instance().layerTreeRoot().findGroup(item.name)
    assert group is not None
    images = [node.layer() for node in group.findLayers()
              if node.layer().customProperty(PROPERTY_ROLE) == ROLE_IMAGE]
    assert {layer.name() for layer in images} == {c.item.id for c in mine}


def test_downloadcatalogs_of_an_order_item_without_layers(pixxel, tmp_path):
    item = next(i for i in pixxel.purchases.order_items()
                if i.status == "FULFILLED" and len(i.delivered) > 1)
    results = run("pixxel:downloadcatalogs", {
        "ORDER_ITEM_IDS": item.id, "OUTPUT_FOLDER": str(tmp_path), "LOAD_LAYERS": False})
    assert Path(results["OUTPUT_FOLDER"]) == tmp_path / item.name
    assert len(results["RASTERS"]) == len(item.delivered)
    assert QgsProject.instance().mapLayers() == {}
