"""add_products_to_project() in a real QGIS: group, styling, mask, metadata, no duplicates, zoom."""

import datetime
import shutil
from pathlib import Path

import pytest
from osgeo import gdal
from qgis.core import (
    QgsContrastEnhancement,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsLayerTreeRegistryBridge,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRasterLayer,
    QgsRasterMinMaxOrigin,
    QgsRectangle,
    QgsSettings,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

from pixxel_qgis.core.imagery.products import describe_products
from pixxel_qgis.core.pixxel.models import Aoi
from pixxel_qgis.core.qgis.layers import (
    PROPERTY_AOI,
    PROPERTY_PRODUCT,
    PROPERTY_ROLE,
    add_products_to_project,
    layers_reading,
)
from pixxel_qgis.ui.footprints import AoiFootprints
from sandbox import products

AOI_NAME, AOI_ID = "Bengaluru fields", "aoi-0042"
ACQUIRED = datetime.date(2023, 3, 14)


def make_spec(image_id: int, size=(120, 96), bands=20):
    return products.small_spec(image_id=image_id, size=size, bands=bands, seed=image_id)


@pytest.fixture(scope="module")
def delivery(tmp_path_factory):
    """Two described products of one AOI, each with its six files."""
    folder = tmp_path_factory.mktemp("delivery")
    files = [
        path
        for image_id in (11, 12)
        for path in products.product_files(make_spec(image_id), folder).values()
    ]
    return describe_products(files)


def test_products_go_into_one_aoi_group_at_the_top(project, delivery):
    project.layerTreeRoot().addGroup("Someone else's layers")
    added = add_products_to_project(delivery, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    root = project.layerTreeRoot()
    assert root.children()[0] is added.group
    assert added.group.name() == AOI_NAME
    assert added.group.customProperty(PROPERTY_AOI) == AOI_ID
    assert [layer.name() for layer in added.image_layers] == [p.name for p in delivery]
    first, second = delivery
    assert [node.name() for node in added.group.children()] == [
        f"{first.name} footprint",
        f"{first.name} quality mask",
        first.name,
        f"{second.name} footprint",
        f"{second.name} quality mask",
        second.name,
    ]
    assert len(project.mapLayers()) == 6


def test_image_layer_shows_true_colour_with_the_precomputed_stretch(project, delivery):
    added = add_products_to_project(delivery, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    for product, layer in zip(delivery, added.image_layers):
        renderer = layer.renderer()
        assert renderer.type() == "multibandcolor"
        assert (renderer.redBand(), renderer.greenBand(), renderer.blueBand()) == product.rgb
        enhancements = (
            renderer.redContrastEnhancement(),
            renderer.greenContrastEnhancement(),
            renderer.blueContrastEnhancement(),
        )
        for enhancement, stretch in zip(enhancements, product.stretch):
            assert enhancement.contrastEnhancementAlgorithm() == (
                QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum
            )
            assert enhancement.minimumValue() == pytest.approx(stretch.minimum)
            assert enhancement.maximumValue() == pytest.approx(stretch.maximum)
        # "User defined": QGIS shows these values and computes no statistics of its own.
        assert renderer.minMaxOrigin().limits() == QgsRasterMinMaxOrigin.Limits.None_
        assert layer.resampleFilter().zoomedInResampler().type() == "bilinear"


def test_nodata_is_transparent(project, delivery):
    layer = add_products_to_project(
        delivery[:1], aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project
    ).image_layers[0]
    provider = layer.dataProvider()
    assert all(provider.useSourceNoDataValue(band) for band in range(1, provider.bandCount() + 1))
    assert provider.sourceNoDataValue(1) == 0
    image = render([layer], layer.extent(), QSize(120, 96))
    assert image.pixelColor(1, 1).alpha() == 0, "the ragged nodata corner"
    centre = image.pixelColor(60, 48)
    assert centre.alpha() == 255
    assert centre != QColor(0, 0, 0)


def test_an_image_that_declares_no_nodata_still_hides_zero(project, delivery, tmp_path):
    from osgeo import gdal

    source = delivery[0].image
    image = tmp_path / source.name
    gdal.Translate(str(image), str(source), options="-a_nodata none")
    product = describe_products([image])[0]
    layer = add_products_to_project(
        [product], aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project
    ).image_layers[0]
    provider = layer.dataProvider()
    assert not provider.sourceHasNoDataValue(1)
    assert provider.userNoDataValuesContains(1, 0)
    assert render([layer], layer.extent(), QSize(120, 96)).pixelColor(1, 1).alpha() == 0


def test_mask_is_unchecked_and_names_its_bits(project, delivery):
    added = add_products_to_project(delivery[:1], aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    (mask,) = added.mask_layers
    node = project.layerTreeRoot().findLayer(mask.id())
    assert not node.itemVisibilityChecked()
    assert node.parent() is added.group
    renderer = mask.renderer()
    assert renderer.type() == "paletted"
    classes = {item.value: item for item in renderer.classes()}
    assert 0 not in classes, "clear pixels are transparent"
    assert (classes[1].label, classes[2].label, classes[4].label, classes[8].label) == (
        "cloud",
        "cloud shadow",
        "water",
        "nodata",
    )
    assert classes[5].label == "cloud + water"
    assert len({classes[bit].color.name() for bit in (1, 2, 4, 8)}) == 4
    assert mask.customProperty(PROPERTY_ROLE) == "mask"


def test_footprint_is_an_outline(project, delivery):
    add_products_to_project(delivery[:1], aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    (footprint,) = [
        layer
        for layer in project.mapLayers().values()
        if layer.customProperty(PROPERTY_ROLE) == "product_footprint"
    ]
    assert footprint.featureCount() == 1
    symbol_layer = footprint.renderer().symbol().symbolLayer(0)
    assert symbol_layer.properties()["style"] == "no"


def test_metadata_and_lookup_properties(project, delivery):
    product = delivery[0]
    asset_info = {product.name: {"id": "asset-7", "name": "March pass"}}
    added = add_products_to_project(
        [product], aoi_name=AOI_NAME, aoi_id=AOI_ID, asset_info=asset_info, project=project
    )
    layer = added.image_layers[0]
    assert layer.customProperty(PROPERTY_AOI) == AOI_ID
    assert layer.customProperty(PROPERTY_PRODUCT) == product.name
    metadata = layer.metadata()
    assert metadata.title() == product.name
    assert metadata.identifier() == product.name
    abstract = metadata.abstract()
    for expected in (AOI_NAME, AOI_ID, "asset-7", "March pass", "2023-03-14", "L2A", "TD1"):
        assert expected in abstract
    red = product.bands[product.rgb[0] - 1]
    assert f"{red.name} ({red.wavelength_nm:g} nm)" in abstract
    assert "Pixxel" in metadata.keywords()["Pixxel"]
    assert "bit 2: water" in added.mask_layers[0].metadata().abstract()


def test_adding_again_reuses_the_layers_and_the_group(project, delivery):
    first = add_products_to_project(delivery, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    first.group.setName("renamed by the user")
    ids = set(project.mapLayers())
    again = add_products_to_project(delivery, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    assert set(project.mapLayers()) == ids
    assert again.group is first.group
    assert [layer.id() for layer in again.image_layers] == [
        layer.id() for layer in first.image_layers
    ]
    assert len(project.layerTreeRoot().findGroups()) == 1


def test_a_product_delivered_again_elsewhere_replaces_its_layers(project, delivery, tmp_path):
    product = delivery[0]
    first = add_products_to_project([product], aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    old_id = first.image_layers[0].id()
    folder = shutil.copytree(product.image.parent, tmp_path / product.name)
    moved = describe_products(Path(folder).iterdir())
    again = add_products_to_project(moved, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    assert len(project.mapLayers()) == 3
    assert old_id not in project.mapLayers()
    assert Path(again.image_layers[0].source()) == moved[0].image


def test_another_aoi_gets_its_own_group(project, delivery):
    one = add_products_to_project(delivery[:1], aoi_name="A", aoi_id="a", project=project)
    two = add_products_to_project(delivery[:1], aoi_name="B", aoi_id="b", project=project)
    assert one.group is not two.group
    assert project.layerTreeRoot().children()[0] is two.group
    assert len(project.mapLayers()) == 6


def aoi_outlines(project):
    """The dock's "Pixxel AOIs" layer with the AOI of the delivery."""
    ring = [[77.5, 12.9], [77.53, 12.9], [77.53, 12.93], [77.5, 12.93], [77.5, 12.9]]
    aoi = Aoi.from_json({"aoi_id": AOI_ID, "name": AOI_NAME, "status": "success",
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return AoiFootprints(project).update([aoi])


def drawn_last(project):
    return project.layerTreeRoot().layerOrder()[0].id()


def test_imagery_goes_under_the_aoi_outlines_at_the_top(project, delivery):
    outlines = aoi_outlines(project)
    added = add_products_to_project(delivery, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    root = project.layerTreeRoot()
    assert root.children()[0].layerId() == outlines.id()
    assert root.children()[1] is added.group
    assert drawn_last(project) == outlines.id()
    another = add_products_to_project(delivery[:1], aoi_name="B", aoi_id="b", project=project)
    assert [node.name() for node in root.children()[:3]] == [
        outlines.name(), another.group.name(), AOI_NAME
    ]


def test_aoi_outlines_the_user_moved_down_stay_there(project, delivery):
    outlines = aoi_outlines(project)
    root = project.layerTreeRoot()
    root.addGroup("Basemaps")
    node = root.findLayer(outlines.id())
    root.insertChildNode(-1, node.clone())
    root.removeChildNode(node)
    added = add_products_to_project(delivery, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    assert root.children()[0] is added.group
    assert root.children()[-1].layerId() == outlines.id()


def test_aoi_outlines_made_after_the_imagery_go_on_top(project, delivery):
    added = add_products_to_project(delivery, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    # As in the desktop once the user clicked a layer of the group: new layers would go there.
    bridge = project.layerTreeRegistryBridge()
    bridge.setLayerInsertionPoint(QgsLayerTreeRegistryBridge.InsertionPoint(added.group, 1))
    try:
        outlines = aoi_outlines(project)
    finally:
        root = project.layerTreeRoot()
        bridge.setLayerInsertionPoint(QgsLayerTreeRegistryBridge.InsertionPoint(root, 0))
    assert root.children()[0].layerId() == outlines.id()
    assert drawn_last(project) == outlines.id()


def test_canvas_zooms_to_the_imagery_of_an_empty_project(project, delivery, qgis_canvas):
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    qgis_canvas.setExtent(QgsRectangle(0, 0, 1, 1))
    added = add_products_to_project(
        delivery, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project, canvas=qgis_canvas
    )
    extent = qgis_canvas.extent()
    for layer in added.image_layers:
        assert extent.contains(layer.extent())
    assert extent.width() < 3 * layer.extent().width()


@pytest.fixture(scope="module")
def utm_delivery(tmp_path_factory):
    """One described product in UTM (43N), as Pixxel delivers L2A imagery; the sandbox makes
    EPSG:4326 files, so its image and mask are warped."""
    folder = tmp_path_factory.mktemp("utm")
    files = products.product_files(make_spec(13), folder)
    for role in ("image", "mask"):
        source = Path(files[role])
        warped = source.with_name("warped.tif")
        gdal.Warp(str(warped), str(source), dstSRS="EPSG:32643",
                  resampleAlg="near" if role == "mask" else "bilinear")
        warped.replace(source)
    return describe_products(list(files.values()))


@pytest.fixture
def crs_behaviour():
    """QGIS' "CRS for new projects" option (Settings ▸ Options ▸ CRS), restored afterwards."""
    settings = QgsSettings()
    key, section = "projections/newProjectCrsBehavior", QgsSettings.Section.App
    saved = settings.value(key, None, section=section)

    def choose(value: str) -> None:
        settings.setValue(key, value, section)

    yield choose
    if saved is None:
        settings.remove(key, section)
    else:
        settings.setValue(key, saved, section)


def _only_outlines(project, qgis_canvas):
    """What the dock leaves in a new project: the outlines, which made the project EPSG:4326."""
    aoi_outlines(project)
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    qgis_canvas.setExtent(QgsRectangle(0, 0, 1, 1))


def _shows(qgis_canvas, layers, project) -> bool:
    extent = qgis_canvas.extent()
    crs = qgis_canvas.mapSettings().destinationCrs()
    return all(
        extent.contains(QgsCoordinateTransform(layer.crs(), crs, project)
                        .transformBoundingBox(layer.extent()))
        for layer in layers
    )


def test_imagery_on_a_map_of_outlines_only_sets_the_crs_and_the_view(
    project, utm_delivery, qgis_canvas, crs_behaviour
):
    crs_behaviour("UseCrsOfFirstLayerAdded")  # QGIS' default
    _only_outlines(project, qgis_canvas)
    added = add_products_to_project(
        utm_delivery, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project, canvas=qgis_canvas
    )
    image_crs = added.image_layers[0].crs()
    assert image_crs.authid() == "EPSG:32643"
    assert project.crs() == image_crs
    assert qgis_canvas.mapSettings().destinationCrs() == image_crs
    assert _shows(qgis_canvas, added.image_layers, project)


@pytest.mark.parametrize("chosen", ["preset", "user CRS"])
def test_a_crs_the_user_chose_stays(
    project, utm_delivery, qgis_canvas, crs_behaviour, chosen
):
    crs_behaviour("UsePresetCrs" if chosen == "preset" else "UseCrsOfFirstLayerAdded")
    _only_outlines(project, qgis_canvas)
    if chosen == "user CRS":
        project.setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    before = project.crs()
    added = add_products_to_project(
        utm_delivery, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project, canvas=qgis_canvas
    )
    assert project.crs() == before
    assert _shows(qgis_canvas, added.image_layers, project)  # still zoomed: the map was empty


def test_canvas_stays_put_when_the_project_had_layers(project, delivery, qgis_canvas):
    add_products_to_project(delivery[:1], aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    qgis_canvas.setExtent(QgsRectangle(0, 0, 1, 1))
    before = qgis_canvas.extent()
    add_products_to_project(
        delivery[1:], aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project, canvas=qgis_canvas
    )
    assert qgis_canvas.extent() == before


def test_layers_reading_finds_layers_by_file(project, delivery):
    added = add_products_to_project(delivery, aoi_name=AOI_NAME, aoi_id=AOI_ID, project=project)
    found = layers_reading([delivery[1].image, delivery[0].mask], project)
    assert {layer.id() for layer in found} == {
        added.image_layers[1].id(),
        added.mask_layers[0].id(),
    }
    assert all(isinstance(layer, QgsRasterLayer) for layer in found)


def render(layers, extent, size):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(layers[0].crs())
    settings.setExtent(extent)
    settings.setOutputSize(size)
    settings.setBackgroundColor(QColor(0, 0, 0, 0))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()
