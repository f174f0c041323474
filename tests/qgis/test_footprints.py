"""The "Pixxel AOIs" footprints layer: one layer, reused and updated, MultiPolygons, selection,
highlight and zoom in the canvas CRS, outlines only: imagery under them keeps its colours."""

import pytest
from osgeo import gdal, osr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsMultiBandColorRenderer,
    QgsPointXY,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsMapCanvas
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

from pixxel_qgis.core.pixxel.models import Aoi
from pixxel_qgis.core.qgis.geometry import geometry_from_geojson
from pixxel_qgis.core.qgis.layers import PROPERTY_ROLE, ROLE_AOI_FOOTPRINTS
from pixxel_qgis.ui.footprints import HIGHLIGHT_COLOUR, AoiFootprints, layer_name

SQUARE = [[[77.0, 30.0], [77.1, 30.0], [77.1, 30.1], [77.0, 30.1], [77.0, 30.0]]]
OTHER = [[[10.0, 45.0], [10.2, 45.0], [10.2, 45.2], [10.0, 45.2], [10.0, 45.0]]]


def aoi(aoi_id, name="AOI", status="success", coordinates=SQUARE, kind="Polygon"):
    return Aoi.from_json({
        "aoi_id": aoi_id, "name": name, "status": status, "progress": 100,
        "area_in_sq_m": 1_234_000.0, "created_at": "2024-05-01T10:00:00Z",
        "geometry": {"type": kind, "coordinates": coordinates},
    })


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


@pytest.fixture
def desktop_like_project(project):
    """The project, marked modified whenever its layer tree changes, as the desktop does
    (offscreen nothing does; test_desktop_sessions.py checks the real desktop)."""

    def mark_modified(*_args) -> None:
        project.setDirty(True)

    project.layerTreeRoot().addedChildren.connect(mark_modified)
    yield project
    project.layerTreeRoot().addedChildren.disconnect(mark_modified)


def test_keeping_the_outlines_in_step_leaves_an_unmodified_project_unmodified(
    desktop_like_project,
):
    """Opening the panel is not an edit: QGIS must not ask to save the project at close."""
    project = desktop_like_project
    project.setDirty(False)
    footprints = AoiFootprints(project)
    layer = footprints.update([aoi("a"), aoi("b")])  # the layer is made and added
    assert not project.isDirty()
    footprints.update([aoi("a", status="failed"), aoi("c")])
    footprints.retain_only(["a", "c"])
    assert not project.isDirty()
    # QGIS warns at close about memory layers with features unless they carry this property.
    assert layer.customProperty("skipMemoryLayersCheck") == 1

    # The user's own change is theirs: it stays to be saved.
    layer.setName("My AOIs")
    assert project.isDirty()
    footprints.update([aoi("d")])
    assert project.isDirty()


def test_a_layer_saved_without_the_memory_layer_property_gets_it_quietly(project):
    older = QgsVectorLayer("MultiPolygon?crs=EPSG:4326&field=aoi_id:string(64)", "Pixxel AOIs",
                           "memory")
    older.setCustomProperty(PROPERTY_ROLE, ROLE_AOI_FOOTPRINTS)
    project.addMapLayer(older)
    project.setDirty(False)
    assert AoiFootprints(project).layer().id() == older.id()
    assert older.customProperty("skipMemoryLayersCheck") == 1
    assert not project.isDirty()


def test_selection_highlight_and_zoom_in_the_canvas_crs(project, qgis_canvas):
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    footprints = AoiFootprints(project, canvas=qgis_canvas)
    a, b = aoi("a"), aoi("b", coordinates=OTHER)
    layer = footprints.update([a, b])
    assert footprints.select("b")
    assert [layer.getFeature(fid)["aoi_id"] for fid in layer.selectedFeatureIds()] == ["b"]
    assert footprints._highlight is not None

    assert footprints.zoom_to([b])
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
    # Zooming needs no layer: the user may have removed it.
    qgis_canvas.setExtent(QgsRectangle(0, 0, 1, 1))
    assert footprints.zoom_to([a])
    assert qgis_canvas.extent().contains(to_canvas.transform(QgsPointXY(77.05, 30.05)))
    assert not footprints.zoom_to([aoi("c", coordinates=[[["x", 1]]])])  # no usable geometry


# -- outlines over imagery -------------------------------------------------------------------------

SOLID = (40, 120, 200)  # the colour of the imagery under the footprint
INSIDE, ON_OUTLINE = QgsPointXY(77.05, 30.05), QgsPointXY(77.0, 30.05)  # SQUARE's centre, left edge


@pytest.fixture
def solid_imagery(project, tmp_path):
    """A 3-band image of one colour around SQUARE, in the project, shown without any stretch."""
    path = str(tmp_path / "solid.tif")
    dataset = gdal.GetDriverByName("GTiff").Create(path, 200, 200, 3, gdal.GDT_Byte)
    dataset.SetGeoTransform((76.95, 0.001, 0, 30.15, 0, -0.001))
    dataset.SetProjection(osr.SRS_WKT_WGS84_LAT_LONG)
    for band, value in enumerate(SOLID, start=1):
        dataset.GetRasterBand(band).Fill(value)
    dataset = None
    layer = QgsRasterLayer(path, "solid")
    assert layer.isValid()
    layer.setRenderer(QgsMultiBandColorRenderer(layer.dataProvider(), 1, 2, 3))
    project.addMapLayer(layer)
    return layer


@pytest.fixture
def canvas(qgis_app):
    """A canvas of its own: the shared one may still be drawing for an earlier test, and that
    render's end would be taken for this one's."""
    canvas = QgsMapCanvas()
    canvas.resize(300, 300)
    # A CRS and a non-empty extent before the event loop runs: a canvas left at its empty default
    # extent may be asked to render before the test sets it up (QGIS 3.40 once crashed there with
    # a floating-point exception).
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    canvas.setExtent(QgsRectangle(0.0, 0.0, 1.0, 1.0))
    yield canvas
    canvas.stopRendering()
    sip.delete(canvas)


def rgb_at(image, to_pixel, point):
    pixel = to_pixel.transform(point)
    return QColor(image.pixel(int(pixel.x()), int(pixel.y()))).getRgb()[:3]


def test_footprints_and_the_highlight_have_no_fill(project, qgis_canvas):
    footprints = AoiFootprints(project, canvas=qgis_canvas)
    layer = footprints.update([aoi("a")])
    # A simple fill, even without brush, is filled with the selection colour once selected.
    assert [sl.layerType() for sl in layer.renderer().symbol().symbolLayers()] == ["SimpleLine"]

    assert footprints.select("a")
    halo, line = footprints._highlight
    for highlight in (halo, line):
        assert highlight.fillColor().alpha() == 0
        assert highlight.color().alpha() >= 200
    assert line.color() == HIGHLIGHT_COLOUR
    assert line.width() >= 3
    assert halo.width() >= line.width() + 2  # a rim on each side
    assert halo.zValue() < line.zValue()
    assert abs(halo.color().lightness() - line.color().lightness()) >= 100


def test_a_selected_footprint_over_imagery_keeps_its_colours_in_a_map_render(
    project, solid_imagery
):
    footprints = AoiFootprints(project)
    layer = footprints.update([aoi("a")])
    assert footprints.select("a")
    order = project.layerTreeRoot().layerOrder()
    assert [candidate.id() for candidate in order] == [layer.id(), solid_imagery.id()]

    settings = QgsMapSettings()
    settings.setLayers(order)
    settings.setDestinationCrs(solid_imagery.crs())
    settings.setExtent(solid_imagery.extent())
    settings.setOutputSize(QSize(200, 200))
    settings.setSelectionColor(QColor(255, 255, 0))  # QGIS' default, opaque
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()

    assert rgb_at(image, settings.mapToPixel(), INSIDE) == SOLID
    assert rgb_at(image, settings.mapToPixel(), ON_OUTLINE) == (255, 255, 0)


def test_the_highlight_over_imagery_keeps_its_colours_on_the_canvas(
    project, solid_imagery, canvas, qtbot
):
    footprints = AoiFootprints(project, canvas=canvas)
    footprints.update([aoi("a")])
    canvas.setDestinationCrs(solid_imagery.crs())
    canvas.setLayers(project.layerTreeRoot().layerOrder())
    canvas.setExtent(solid_imagery.extent())
    assert footprints.select("a")
    with qtbot.waitSignal(canvas.mapCanvasRefreshed, timeout=10_000):
        canvas.refresh()
    # The canvas' scene: the rendered map and, over it, the highlight items.
    image = canvas.grab().toImage()
    to_pixel = canvas.getCoordinateTransform()

    assert rgb_at(image, to_pixel, INSIDE) == SOLID
    assert rgb_at(image, to_pixel, ON_OUTLINE) == HIGHLIGHT_COLOUR.getRgb()[:3]
    # Just outside the line, the halo: near white over the dark blue.
    edge = to_pixel.transform(ON_OUTLINE)
    rim = [QColor(image.pixel(int(edge.x()) - step, int(edge.y()))) for step in range(2, 5)]
    assert any(min(colour.getRgb()[:3]) >= 200 for colour in rim)
    footprints.release()
