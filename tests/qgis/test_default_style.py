"""The `.qml` default style written beside each image in the worker: QGIS opens the image with our
true-colour stretch and computes no statistics of its own on the main thread."""

import datetime
from math import nan
from pathlib import Path

import pytest
from qgis.core import QgsRasterLayer, QgsRasterMinMaxOrigin, QgsRectangle

from pixxel_qgis.core.imagery.default_style import default_style_path, write_default_styles
from pixxel_qgis.core.imagery.products import describe_products
from pixxel_qgis.core.qgis.layers import add_products_to_project
from sandbox import products

ACQUIRED = datetime.date(2023, 3, 14)
# The sample QGIS reads for a default stretch; its histograms are cached under this size.
SAMPLE_SIZE = int(QgsRasterLayer.SAMPLE_SIZE)


def _delivery(folder: Path, image_id: int):
    spec = products.small_spec(image_id=image_id, size=(100, 100), bands=20, seed=image_id)
    return describe_products(list(products.product_files(spec, folder).values()))


def _open(image: Path):
    """What QGIS made of `image`: renderer type, bands, (min, max) per channel, min/max origin,
    and whether the provider holds a histogram of each band (what a computed stretch leaves)."""
    layer = QgsRasterLayer(image.as_posix(), "probe", "gdal")
    provider = layer.dataProvider()
    renderer = layer.renderer()
    enhancements = (
        renderer.redContrastEnhancement(),
        renderer.greenContrastEnhancement(),
        renderer.blueContrastEnhancement(),
    )
    return (
        renderer.type(),
        (renderer.redBand(), renderer.greenBand(), renderer.blueBand()),
        [(e.minimumValue(), e.maximumValue()) for e in enhancements],
        renderer.minMaxOrigin().limits(),
        [
            provider.hasHistogram(band, 0, nan, nan, QgsRectangle(), SAMPLE_SIZE)
            for band in (renderer.redBand(), renderer.greenBand(), renderer.blueBand())
        ],
    )


def test_qgis_opens_the_image_with_our_stretch_and_computes_nothing(tmp_path, qgis_app):
    [product] = _delivery(tmp_path, 21)
    assert write_default_styles([product]) == [default_style_path(product.image)]

    kind, bands, stretches, limits, histograms = _open(product.image)

    assert kind == "multibandcolor"
    assert bands == product.rgb
    assert stretches == [pytest.approx((s.minimum, s.maximum)) for s in product.stretch]
    assert limits == QgsRasterMinMaxOrigin.Limits.None_
    assert histograms == [False, False, False]


def test_without_the_style_qgis_computes_statistics(tmp_path, qgis_app):
    """The control for the test above: the same image, no style, and QGIS computes a stretch."""
    [product] = _delivery(tmp_path, 22)

    kind, _bands, _stretches, limits, histograms = _open(product.image)

    assert (kind, limits) == ("multibandcolor", QgsRasterMinMaxOrigin.Limits.CumulativeCut)
    assert histograms == [True, True, True]


def test_a_style_already_there_is_left_alone(tmp_path, qgis_app):
    [product] = _delivery(tmp_path, 23)
    users_own = default_style_path(product.image)
    users_own.write_text("<qgis/>\n", encoding="utf-8")

    assert write_default_styles([product]) == []
    assert users_own.read_text(encoding="utf-8") == "<qgis/>\n"


def test_an_unwritable_folder_only_skips_the_style(tmp_path, qgis_app):
    [product] = _delivery(tmp_path, 24)
    default_style_path(product.image).mkdir()  # a directory in the way: the write fails

    assert write_default_styles([product]) == []
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]


def test_the_layer_added_to_the_project_keeps_the_same_look(tmp_path, project):
    [product] = _delivery(tmp_path, 25)
    write_default_styles([product])

    added = add_products_to_project([product], aoi_name="AOI", aoi_id="aoi-1", project=project)

    [image] = added.image_layers
    renderer = image.renderer()
    assert renderer.redContrastEnhancement().minimumValue() == pytest.approx(
        product.stretch[0].minimum
    )
    red = renderer.redBand()
    assert not image.dataProvider().hasHistogram(red, 0, nan, nan, QgsRectangle(), SAMPLE_SIZE)
