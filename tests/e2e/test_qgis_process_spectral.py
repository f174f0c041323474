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
    assert "pixxel:extractspectra" in listed.stdout


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


def write_points(path, product, pixels):
    """A GeoPackage of points in EPSG:3857 at the centres of `pixels` (column, row), plus one
    off the image; field `name`."""
    image = gdal.Open(str(product["image"]))
    origin_x, width, _, origin_y, _, height = image.GetGeoTransform()
    wgs84, mercator = osr.SpatialReference(), osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)
    mercator.ImportFromEPSG(3857)
    for reference in (wgs84, mercator):
        reference.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_mercator = osr.CoordinateTransformation(wgs84, mercator)
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = source.CreateLayer("points", mercator, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    places = {f"pixel {c},{r}": (origin_x + (c + 0.5) * width, origin_y + (r + 0.5) * height)
              for c, r in pixels}
    places["off"] = (0.0, 0.0)
    for name, (lon, lat) in places.items():
        x, y, _ = to_mercator.TransformPoint(lon, lat)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("name", name)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
        layer.CreateFeature(feature)
    source = None
    return image.ReadAsArray()


def test_extract_spectra_at_points_in_another_crs(qgis_process, product, tmp_path):
    pixels = [(60, 40), (5, 90), (0, 0)]  # (0, 0): the nodata corner
    cube = write_points(tmp_path / "points.gpkg", product, pixels)
    output = tmp_path / "spectra.gpkg"
    outcome = qgis_process.run(
        "pixxel:extractspectra",
        {"INPUT": str(product["image"]), "POINTS": str(tmp_path / "points.gpkg"),
         "OUTPUT": str(output)},
        {},
    )
    assert outcome.returncode == 0, outcome.output
    written = ogr.Open(str(output))  # kept: its layer dies with it
    layer = written.GetLayer(0)
    assert layer.GetSpatialRef().GetAuthorityCode(None) == "3857"
    definition = layer.GetLayerDefn()
    fields = [definition.GetFieldDefn(i) for i in range(definition.GetFieldCount())]
    bands = [field.GetName() for field in fields[1:]]
    assert len(bands) == 67
    assert bands[0] == "r450"
    assert bands[-1] == "r950"
    assert {field.GetType() for field in fields[1:]} == {ogr.OFTReal}
    rows = {feature.GetField("name"): feature for feature in layer}
    for column, row in pixels[:2]:
        feature = rows[f"pixel {column},{row}"]
        values = [feature.GetField(name) for name in bands]
        np.testing.assert_allclose(values, cube[:, row, column] * 2e-5, rtol=1e-9)
    for name in ("pixel 0,0", "off"):
        assert all(not rows[name].IsFieldSet(band) or rows[name].IsFieldNull(band)
                   for band in bands), name
