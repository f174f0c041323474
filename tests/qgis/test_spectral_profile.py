"""The spectral profile tool in a real QGIS: the spectrum of the clicked pixel of the topmost
spectral raster equals GDAL's values times the scale plus the offset, pinned profiles in distinct
colours, clear, CSV export in long format, the map tool's click, the Web menu entry."""

import csv
import time

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt

from pixxel_qgis.core.qgis.profiles import ProfileReader
from pixxel_qgis.ui.notices import Notices
from pixxel_qgis.ui.spectral_profile import SpectralProfile, SpectralProfilePanel
from sandbox import products

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")
BIG = products.small_spec(satellite="TD2", bands=67, size=(120, 96), seed=3)
# A smaller TD-1 image inside BIG's north-east quarter, on top of it.
SMALL = products.small_spec(satellite="TD1", bands=30, size=(40, 30), seed=5, image_id=7,
                            origin=(77.5 + 70 * 0.0003, 12.9 + 50 * 0.0003))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("profile-products")
    return {spec.name: products.product_files(spec, folder) for spec in (BIG, SMALL)}


@pytest.fixture
def layers(project, files):
    loaded = {}
    for spec in (BIG, SMALL):
        layer = QgsRasterLayer(str(files[spec.name]["image"]), spec.name, "gdal")
        assert layer.isValid()
        project.addMapLayer(layer)
        loaded[spec.name] = layer
    return [loaded[SMALL.name], loaded[BIG.name]]  # topmost first, as canvas.layers()


def centre(spec, column, row, crs=MERCATOR):
    """Map coordinates of a pixel's centre of `spec` in `crs`."""
    west, _, _, north = spec.bbox
    point = QgsPointXY(west + (column + 0.5) * products.PIXEL_DEGREES,
                       north - (row + 0.5) * products.PIXEL_DEGREES)
    return QgsCoordinateTransform(WGS84, crs, QgsProject.instance()).transform(point)


def expected(files, spec, column, row):
    dataset = gdal.Open(str(files[spec.name]["image"]))
    band = dataset.GetRasterBand(1)
    scale = float(dataset.GetMetadataItem("scale_factor"))
    assert band.GetScale() in (None, 1.0)  # the dataset says the scale, not the band
    values = dataset.ReadAsArray(column, row, 1, 1)[:, 0, 0] * scale + 0.0
    return np.where(values == 0, np.nan, values)


def test_the_profile_is_gdals_values_times_the_scale_at_the_topmost_spectral_raster(
    layers, files
):
    reader = ProfileReader()
    profile = reader.profile_at(layers, centre(BIG, 10, 80), MERCATOR)
    assert profile.layer_name == BIG.name
    assert (profile.column, profile.row) == (10, 80)
    np.testing.assert_allclose(profile.values, expected(files, BIG, 10, 80), rtol=1e-12)
    np.testing.assert_array_equal(profile.wavelengths_nm, BIG.wavelengths_nm)
    assert profile.crs == "EPSG:4326"
    assert profile.x == pytest.approx(77.5 + 10.5 * products.PIXEL_DEGREES)

    on_top = reader.profile_at(layers, centre(SMALL, 5, 6), MERCATOR)
    assert on_top.layer_name == SMALL.name
    assert (on_top.column, on_top.row) == (5, 6)
    np.testing.assert_allclose(on_top.values, expected(files, SMALL, 5, 6), rtol=1e-12)
    assert reader.profile_at(layers, QgsPointXY(0, 0), MERCATOR) is None


def test_a_click_reads_in_a_few_milliseconds(layers):
    reader = ProfileReader()
    point = centre(BIG, 60, 40)
    reader.profile_at(layers, point, MERCATOR)  # opens and describes the files once
    started = time.perf_counter()
    for _ in range(20):
        reader.profile_at(layers, point, MERCATOR)
    assert (time.perf_counter() - started) / 20 < 0.02


def test_pinned_profiles_have_distinct_colours_and_export_in_long_format(layers, tmp_path):
    reader = ProfileReader()
    panel = SpectralProfilePanel()
    assert not panel.pin_button.isEnabled()
    panel.show_profile(reader.profile_at(layers, centre(BIG, 10, 80), MERCATOR))
    assert [curve.dashed for curve in panel.chart.curves] == [True]
    panel.pin()
    panel.show_profile(reader.profile_at(layers, centre(SMALL, 5, 6), MERCATOR))
    panel.pin()
    panel.show_profile(reader.profile_at(layers, centre(BIG, 100, 10), MERCATOR))
    curves = panel.chart.curves
    assert [curve.label.split(" · ")[0] for curve in curves] == ["P1", "P2", "Current"]
    assert len({curve.colour.name() for curve in curves}) == 3
    panel.grab()  # paints the chart
    panel.export_to_path = str(tmp_path / "profiles")
    panel.ask_export()
    with (tmp_path / "profiles.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == ["point", "x", "y", "crs", "wavelength_nm", "reflectance"]
    assert len(rows) == 67 + 30  # pinned only
    assert {row["point"] for row in rows} == {"P1", "P2"}
    first = [row for row in rows if row["point"] == "P1"]
    assert float(first[0]["wavelength_nm"]) == BIG.wavelengths_nm[0]
    assert first[0]["crs"] == "EPSG:4326"
    panel.clear()
    assert panel.chart.curves == ()
    assert not panel.export_button.isEnabled()
    panel.deleteLater()


def test_nodata_pixels_say_so_and_cannot_be_pinned(layers):
    panel = SpectralProfilePanel()
    panel.show_profile(ProfileReader().profile_at(layers, centre(BIG, 0, 0), MERCATOR))
    assert "holds no data" in panel.status.text()
    assert not panel.pin_button.isEnabled()
    panel.deleteLater()


def test_the_map_tool_reads_the_clicked_pixel(desktop_iface, layers, files, qgis_canvas):
    tool = SpectralProfile(Notices(iface=desktop_iface), iface=desktop_iface)
    try:
        qgis_canvas.setDestinationCrs(MERCATOR)
        qgis_canvas.setLayers(layers)
        target = centre(BIG, 20, 30)
        qgis_canvas.setExtent(QgsRectangle(target.x() - 500, target.y() - 500,
                                           target.x() + 500, target.y() + 500))
        tool.action.trigger()
        assert qgis_canvas.mapTool() is tool.tool
        assert tool.action.isChecked()
        pixel = qgis_canvas.getCoordinateTransform().transform(target)
        event = QgsMapMouseEvent(qgis_canvas, QEvent.Type.MouseButtonPress,
                                 QPoint(round(pixel.x()), round(pixel.y())),
                                 Qt.MouseButton.LeftButton)
        tool.tool.canvasPressEvent(event)
        profile = tool.panel.current
        assert (profile.layer_name, profile.column, profile.row) == (BIG.name, 20, 30)
        np.testing.assert_allclose(profile.values, expected(files, BIG, 20, 30), rtol=1e-12)
    finally:
        tool.dispose()
    assert qgis_canvas.mapTool() is None
