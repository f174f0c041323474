"""pixxel:spectralindex and pixxel:extractspectra in a real QGIS: no API key needed, the index
layer placed above its image in the AOI group on a diverging ramp (also the toolbox way: a worker
thread, then Processing's own result loading, which must not add it twice), clear messages for
bad expressions, spectra at points in another CRS."""

import time

import numpy as np
import pytest
import qgis.utils
from osgeo import gdal
from qgis.core import (
    NULL,
    QgsApplication,
    QgsColorRampShader,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProject,
    QgsRasterLayer,
    QgsSingleBandPseudoColorRenderer,
    QgsVectorLayer,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QEventLoop

from pixxel_qgis.core.processing.provider import PixxelProvider
from pixxel_qgis.core.qgis.index_layers import PROPERTY_INDEX, ROLE_INDEX
from pixxel_qgis.core.qgis.layers import PROPERTY_ROLE
from sandbox import products

SPEC_BANDS = 67
SPEC = products.small_spec(satellite="TD2", bands=SPEC_BANDS, size=(120, 96), seed=3)


@pytest.fixture(scope="module")
def provider(qgis_processing):
    registry = QgsApplication.processingRegistry()
    provider = PixxelProvider()
    assert registry.addProvider(provider)
    yield provider
    registry.removeProvider(provider)


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    return products.product_files(SPEC, tmp_path_factory.mktemp("spectral-product"))


@pytest.fixture
def spectral(provider, project, monkeypatch):
    """The algorithms with no Pixxel settings at all: they must not need any."""
    for name in ("PIXXEL_API_KEY", "PIXXEL_API_URL"):
        monkeypatch.delenv(name, raising=False)
    _give_processing_a_layer_tree_view(project, monkeypatch)
    yield project
    canvas = qgis.utils.iface.mapCanvas()
    QCoreApplication.processEvents()
    canvas.waitWhileRendering()


def _give_processing_a_layer_tree_view(project, monkeypatch) -> None:
    """Processing's result loading (Postprocessing.handleAlgorithmResults) uses the desktop's
    layer tree view since QGIS 3.4x; pytest-qgis' stub iface has none. Give the iface Processing
    holds a real view of the project's layer tree, as QgisApp has."""
    from processing.gui import Postprocessing
    from qgis.core import QgsLayerTreeModel
    from qgis.gui import QgsLayerTreeView

    iface = getattr(Postprocessing, "iface", None)
    if iface is None or hasattr(iface, "layerTreeView"):
        return
    model = QgsLayerTreeModel(project.layerTreeRoot())
    view = QgsLayerTreeView()
    view.setModel(model)
    monkeypatch.setattr(iface, "layerTreeView", lambda: (model, view)[1], raising=False)


@pytest.fixture
def image_in_group(spectral, product):
    """The product's image as the panel puts it: in an AOI group, under a footprint layer."""
    layer = QgsRasterLayer(str(product["image"]), SPEC.name, "gdal")
    assert layer.isValid()
    group = spectral.layerTreeRoot().addGroup("Bengaluru fields")
    spectral.addMapLayer(layer, False)
    footprint = QgsVectorLayer(str(product["footprint"]), "footprint", "ogr")
    spectral.addMapLayer(footprint, False)
    group.addLayer(footprint)
    group.addLayer(layer)
    return group, layer


def run(parameters, feedback=None, load=False):
    from qgis import processing

    call = processing.runAndLoadResults if load else processing.run
    return call("pixxel:spectralindex", parameters, feedback=feedback or QgsProcessingFeedback())


def read(path):
    return gdal.Open(str(path)).ReadAsArray()


def test_the_index_goes_above_its_image_in_the_group_on_a_diverging_ramp(image_in_group, tmp_path):
    group, image = image_in_group
    output = tmp_path / "ndvi.tif"
    run({"INPUT": image.id(), "INDEX": 0, "OUTPUT": str(output)}, load=True)
    names = [child.name() for child in group.children()]
    assert names == ["footprint", f"NDVI – {SPEC.name}", SPEC.name]
    layer = group.children()[1].layer()
    assert layer.customProperty(PROPERTY_ROLE) == ROLE_INDEX
    assert layer.customProperty(PROPERTY_INDEX) == "ndvi"
    assert [lyr.source() for lyr in QgsProject.instance().mapLayers().values()].count(
        str(output)
    ) == 1, "added a second time by Processing"
    renderer = layer.renderer()
    assert isinstance(renderer, QgsSingleBandPseudoColorRenderer)
    assert (renderer.classificationMin(), renderer.classificationMax()) == (-1.0, 1.0)
    shader = renderer.shader().rasterShaderFunction()
    assert shader.colorRampType() == QgsColorRampShader.Type.Interpolated
    items = shader.colorRampItemList()
    assert items[0].value == -1.0
    assert items[-1].value == 1.0
    low, high = items[0].color, items[-1].color
    assert low.red() > low.green(), "RdYlGn starts red"
    assert high.green() > high.red(), "RdYlGn ends green"

    run({"INPUT": image.id(), "INDEX": 0, "OUTPUT": str(output)}, load=True)  # again
    assert [child.name() for child in group.children()] == names, "replaced in place"


def test_an_unbounded_index_gets_the_sampled_range_and_ndwi_a_blue_end(image_in_group, tmp_path):
    _, image = image_in_group
    run({"INPUT": image.id(), "INDEX": 7, "OUTPUT": str(tmp_path / "cire.tif")}, load=True)
    run({"INPUT": image.id(), "INDEX": 2, "OUTPUT": str(tmp_path / "ndwi.tif")}, load=True)
    layers = {
        layer.customProperty(PROPERTY_INDEX): layer
        for layer in QgsProject.instance().mapLayers().values()
        if layer.customProperty(PROPERTY_ROLE) == ROLE_INDEX
    }
    cire = read(tmp_path / "cire.tif")
    expected = np.nanpercentile(cire, [2, 98])
    renderer = layers["cire"].renderer()
    np.testing.assert_allclose(
        [renderer.classificationMin(), renderer.classificationMax()], expected, rtol=0.05
    )
    water_end = layers["ndwi"].renderer().shader().rasterShaderFunction().colorRampItemList()[-1]
    assert water_end.color.blue() > water_end.color.red()


def test_processing_run_writes_the_file_and_adds_no_layer(image_in_group, tmp_path):
    _, image = image_in_group
    before = set(QgsProject.instance().mapLayers())
    result = run({"INPUT": image.id(), "INDEX": 8, "EXPRESSION": "R860 / R650",
                  "OUTPUT": str(tmp_path / "ratio.tif")})
    assert set(QgsProject.instance().mapLayers()) == before
    ratio = read(result["OUTPUT"])
    assert np.nanmedian(ratio) > 0


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"INDEX": 8, "EXPRESSION": "NDXI"}, "“NDXI” is neither R<nm>"),
        ({"INDEX": 8, "EXPRESSION": "R1650 / R860"}, "R1650 needs a band near 1650 nm; this "
                                                     "sensor's bands end at"),
        ({"INDEX": 8, "EXPRESSION": "(R860 - "}, "is not a valid expression"),
        ({"INDEX": 8, "EXPRESSION": "__import__('os')"}, "is not allowed in an expression"),
        ({"INDEX": 8}, "Custom expression needs an expression"),
        ({"INDEX": 0, "OUTPUT": "ndvi.png"}, "give the output a .tif name"),
    ],
)
def test_clear_messages_for_what_cannot_be_computed(spectral, product, tmp_path, parameters,
                                                   message):
    parameters = {"INPUT": str(product["image"]), "OUTPUT": str(tmp_path / "x.tif"), **parameters}
    if not parameters["OUTPUT"].startswith("/"):
        parameters["OUTPUT"] = str(tmp_path / parameters["OUTPUT"])
    with pytest.raises(QgsProcessingException, match=message.replace("(", r"\(")):
        run(parameters)
    assert list(tmp_path.iterdir()) == []


def test_a_raster_without_wavelengths_is_refused_with_the_reason(spectral, tmp_path):
    path = tmp_path / "plain.tif"
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), 4, 4, 2, gdal.GDT_Byte)
    dataset.SetGeoTransform((0, 1, 0, 4, 0, -1))
    dataset = None
    with pytest.raises(QgsProcessingException, match="no band with a known wavelength"):
        run({"INPUT": str(path), "INDEX": 0, "OUTPUT": str(tmp_path / "x.tif")})


def test_the_toolbox_way_computes_in_a_worker_and_adds_the_layer_once(image_in_group, tmp_path):
    from processing.gui.Postprocessing import handleAlgorithmResults
    from qgis.core import QgsProcessingAlgRunnerTask

    group, image = image_in_group
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("pixxel:spectralindex")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    output = str(tmp_path / "ndre.tif")
    # As the dialog passes an output with "Open output file after running algorithm" ticked.
    parameters = {
        "INPUT": image.id(), "INDEX": 1,
        "OUTPUT": QgsProcessingOutputLayerDefinition(output, QgsProject.instance()),
    }
    task = QgsProcessingAlgRunnerTask(algorithm, parameters, context, feedback)
    outcome = {}
    task.executed.connect(lambda ok, results: outcome.update(ok=ok, results=results))
    QgsApplication.taskManager().addTask(task)
    deadline = time.monotonic() + 60
    while not sip.isdeleted(task) and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert outcome.get("ok")
    assert handleAlgorithmResults(algorithm, context, feedback)
    names = [child.name() for child in group.children()]
    assert names == ["footprint", f"NDRE – {SPEC.name}", SPEC.name]
    assert [lyr.source() for lyr in QgsProject.instance().mapLayers().values()].count(output) == 1


# --- extractspectra ------------------------------------------------------------------------------


def pixel_centre(dataset, column, row):
    origin_x, width, _, origin_y, _, height = dataset.GetGeoTransform()
    return origin_x + (column + 0.5) * width, origin_y + (row + 0.5) * height


def test_spectra_at_points_in_another_crs_are_gdals_values_times_the_scale(spectral, product):
    from qgis import processing

    from pixxel_qgis.core.imagery.sampling import spectral_field_names
    from pixxel_qgis.core.qgis.spectral_source import open_spectral

    dataset = gdal.Open(str(product["image"]))
    names = spectral_field_names(open_spectral(product["image"]).bands)
    # A field of the points' own named like the first band: kept, the band's becomes _2.
    points = QgsVectorLayer(f"Point?crs=EPSG:3857&field=id:integer&field={names[0]}:string",
                            "points", "memory")
    to_mercator = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"), QgsCoordinateReferenceSystem("EPSG:3857"),
        QgsProject.instance(),
    )
    pixels = {1: (60, 40), 2: (0, 0), 3: (119, 95)}  # 2: the nodata corner
    features = []
    for point_id, (column, row) in pixels.items():
        feature = QgsFeature(points.fields())
        x, y = pixel_centre(dataset, column, row)
        feature.setGeometry(QgsGeometry.fromPointXY(to_mercator.transform(QgsPointXY(x, y))))
        feature.setAttributes([point_id, "mine"])
        features.append(feature)
    off = QgsFeature(points.fields())
    off.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(0, 0)))  # off the image
    off.setAttributes([4, "mine"])
    empty = QgsFeature(points.fields())
    empty.setAttributes([5, "mine"])
    assert points.dataProvider().addFeatures(features + [off, empty])[0]

    result = processing.run(
        "pixxel:extractspectra",
        {"INPUT": str(product["image"]), "POINTS": points,
         "OUTPUT": QgsProcessing.TEMPORARY_OUTPUT},
        feedback=QgsProcessingFeedback(),
    )
    output = result["OUTPUT"]
    assert output.crs().authid() == "EPSG:3857"
    field_names = output.fields().names()
    assert field_names == ["id", names[0], f"{names[0]}_2", *names[1:]]
    assert len(names) == SPEC_BANDS
    rows = {feature["id"]: feature for feature in output.getFeatures()}
    assert rows[1][names[0]] == "mine"
    cube = dataset.ReadAsArray()
    for point_id in (1, 3):
        column, row = pixels[point_id]
        expected = cube[:, row, column] * 2e-5
        values = [rows[point_id][name] for name in field_names[2:]]
        np.testing.assert_allclose(values, expected, rtol=1e-9)
        assert rows[point_id].geometry().asPoint().x() == pytest.approx(
            features[point_id - 1].geometry().asPoint().x()
        )
    for point_id in (2, 4, 5):
        assert all(rows[point_id][name] is None or rows[point_id][name] == NULL
                   for name in field_names[2:]), point_id
