"""The "Pixxel AOIs" footprints layer: one layer, reused and updated, MultiPolygons, selection,
highlight and zoom in the canvas CRS."""

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)

from pixxel_qgis.core.footprints import (
    AoiFootprints,
    geometry_from_geojson,
    layer_name,
)
from pixxel_qgis.core.models import Aoi

SQUARE = [[[77.0, 30.0], [77.1, 30.0], [77.1, 30.1], [77.0, 30.1], [77.0, 30.0]]]
OTHER = [[[10.0, 45.0], [10.2, 45.0], [10.2, 45.2], [10.0, 45.2], [10.0, 45.0]]]


def aoi(aoi_id, name="AOI", status="success", coordinates=SQUARE, kind="Polygon"):
    return Aoi.from_json({
        "aoi_id": aoi_id, "name": name, "status": status, "progress": 100,
        "area_in_sq_m": 1_234_000.0, "created_at": "2024-05-01T10:00:00Z",
        "geometry": {"type": kind, "coordinates": coordinates},
    })


@pytest.fixture
def project(qgis_app):
    project = QgsProject.instance()
    project.clear()
    yield project
    project.clear()


def pixxel_layers(project):
    return [layer for layer in project.mapLayers().values() if layer.name() == layer_name()]


def features_by_id(layer):
    return {feature["aoi_id"]: feature for feature in layer.getFeatures()}


def test_geojson_polygons_and_multipolygons_become_multipolygons(qgis_app):
    polygon = geometry_from_geojson({"type": "Polygon", "coordinates": SQUARE})
    multi = geometry_from_geojson({"type": "MultiPolygon", "coordinates": [SQUARE, OTHER]})
    assert QgsWkbTypes.isMultiType(polygon.wkbType())
    assert multi.constGet().numGeometries() == 2
    assert multi.contains(QgsPointXY(10.1, 45.1))
    assert geometry_from_geojson(None) is None
    assert geometry_from_geojson({"type": "Point", "coordinates": [1, 2]}) is None
    assert geometry_from_geojson({"type": "Polygon", "coordinates": [[["x", 1]]]}) is None


def test_one_layer_is_created_then_updated_never_replaced(project):
    footprints = AoiFootprints(project)
    layer = footprints.update([aoi("a", "Alpha"), aoi("b", "Beta", coordinates=[SQUARE, OTHER],
                                                      kind="MultiPolygon")])
    assert isinstance(layer, QgsVectorLayer)
    assert layer.crs().authid() == "EPSG:4326"
    assert layer.featureCount() == 2
    assert [field.name() for field in layer.fields()][:3] == ["aoi_id", "name", "status"]

    # A refresh: same AOIs with a new status, one new AOI, a page repeating an AOI.
    again = footprints.update([aoi("a", "Alpha", status="failed"), aoi("c"), aoi("c")])
    assert again.id() == layer.id()
    assert pixxel_layers(project) == [layer]
    features = features_by_id(layer)
    assert sorted(features) == ["a", "b", "c"]
    assert features["a"]["status"] == "failed"
    assert features["a"]["area_km2"] == pytest.approx(1.234)
    assert features["b"].geometry().constGet().numGeometries() == 2

    # A new helper (the dock opened again) finds the same layer, even renamed by the user.
    layer.setName("My AOIs")
    assert AoiFootprints(project).update([aoi("d")]).id() == layer.id()
    assert footprints.retain_only(["a", "d"]) == 2
    assert sorted(features_by_id(layer)) == ["a", "d"]


def test_a_cleared_project_gets_a_new_layer(project):
    footprints = AoiFootprints(project)
    first = footprints.update([aoi("a")]).id()
    project.clear()
    assert footprints.layer() is None
    assert footprints.update([aoi("a")]).id() != first
    assert len(pixxel_layers(project)) == 1


def test_selection_highlight_and_zoom_in_the_canvas_crs(project, qgis_canvas):
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    footprints = AoiFootprints(project, canvas=qgis_canvas)
    layer = footprints.update([aoi("a"), aoi("b", coordinates=OTHER)])
    assert footprints.select("b")
    assert [layer.getFeature(fid)["aoi_id"] for fid in layer.selectedFeatureIds()] == ["b"]
    assert footprints._highlight is not None

    assert footprints.zoom_to(["b"])
    to_canvas = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"), qgis_canvas.mapSettings().destinationCrs(),
        project,
    )
    centre = to_canvas.transform(QgsPointXY(10.1, 45.1))
    extent = qgis_canvas.extent()
    assert extent.contains(centre)
    assert extent.width() < 1_000_000  # metres: the AOI, not the world

    assert not footprints.select("unknown")
    assert layer.selectedFeatureCount() == 0
    assert footprints._highlight is None

    # The layer removed while highlighted: the highlight goes with it, nothing dangles.
    footprints.select("a")
    project.removeMapLayer(layer.id())
    assert footprints._highlight is None
    footprints.release()
    assert not footprints.zoom_to(["a"])
