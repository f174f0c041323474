"""qgis_process runs the spectral algorithms of the packaged plugin on a sandbox product, with no
Pixxel key or address at all: NDVI where the scene's covers say vegetation and water are, clear
failures for bad expressions, spectra at points given in another CRS."""

import math

import numpy as np
import pytest

gdal = pytest.importorskip("osgeo.gdal")
ogr = pytest.importorskip("osgeo.ogr")
osr = pytest.importorskip("osgeo.osr")

from sandbox import products  # noqa: E402 - only once GDAL is known

SPEC = products.small_spec(satellite="TD2", bands=67, size=(120, 96), seed=3)


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    return products.product_files(SPEC, tmp_path_factory.mktemp("e2e-spectral"))


def covers():
    """(vegetation, water) masks from the scene's own cover fractions (as the unit tests)."""
    fractions, _ = products._Scene(SPEC.seed, SPEC.width, SPEC.height).block(0, SPEC.height)
    fractions = fractions.reshape(len(fractions), SPEC.height, SPEC.width)
    share = fractions / np.maximum(fractions.sum(axis=0), 1e-9)
    return share[0] + share[1] > 0.9, share[3] > 0.98


def test_the_spectral_algorithms_are_listed(qgis_process):
    listed = qgis_process(["list"])
    assert listed.returncode == 0, listed.output
    assert "pixxel:spectralindex" in listed.stdout


def test_ndvi_is_high_over_vegetation_and_negative_over_water(qgis_process, product, tmp_path):
    output = tmp_path / "ndvi.tif"
    outcome = qgis_process.run(
        "pixxel:spectralindex",
        {"INPUT": str(product["image"]), "INDEX": "0", "OUTPUT": str(output)},
        {},  # no PIXXEL_API_KEY, no PIXXEL_API_URL
    )
    assert outcome.returncode == 0, outcome.output
    assert outcome.json()["results"]["OUTPUT"] == str(output)
    dataset = gdal.Open(str(output))
    assert dataset.GetRasterBand(1).DataType == gdal.GDT_Float32
    ndvi = dataset.ReadAsArray()
    vegetation, water = covers()
    assert vegetation.sum() > 100
    assert water.sum() > 20
    assert np.nanmin(ndvi[vegetation]) > 0.5
    assert np.nanmax(ndvi[water]) < 0
    assert math.isnan(ndvi[0, 0])  # the product's nodata corner


def test_a_custom_expression_outside_the_sensor_fails_with_the_reason(
    qgis_process, product, tmp_path
):
    outcome = qgis_process.run(
        "pixxel:spectralindex",
        {"INPUT": str(product["image"]), "INDEX": "8", "EXPRESSION": "R2200 / R860",
         "OUTPUT": str(tmp_path / "swir.tif")},
        {},
    )
    assert outcome.returncode != 0
    assert "R2200 needs a band near 2200 nm" in outcome.output
    assert list(tmp_path.iterdir()) == []
