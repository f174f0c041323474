"""Band combinations by wavelength in a real QGIS: the presets a VNIR image can show (SWIR
disabled with the reason), the stretch sampled in a task and the renderer set on the main thread,
the Layers panel's "Band combination" submenu of spectral rasters only, Custom…."""

import time

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsMultiBandColorRenderer, QgsRasterLayer
from qgis.PyQt.QtCore import QCoreApplication, QEventLoop
from qgis.PyQt.QtWidgets import QDialogButtonBox

from pixxel_qgis.core.imagery.products import sample_stretch
from pixxel_qgis.core.qgis.band_combinations import (
    BandCombinationTask,
    preset_choices,
    spectral_file_of,
)
from pixxel_qgis.core.qgis.registry import TaskRegistry
from pixxel_qgis.ui.band_combination_dialog import CustomCombinationDialog
from pixxel_qgis.ui.band_combination_menu import BandCombinationMenu
from pixxel_qgis.ui.notices import Notices
from sandbox import products

SPEC = products.small_spec(satellite="TD2", bands=67, size=(120, 96), seed=3)


@pytest.fixture(scope="module")
def product(tmp_path_factory):
    return products.product_files(SPEC, tmp_path_factory.mktemp("combination-product"))


@pytest.fixture
def image(project, product):
    layer = QgsRasterLayer(str(product["image"]), SPEC.name, "gdal")
    assert layer.isValid()
    project.addMapLayer(layer)
    return layer


@pytest.fixture
def registry(qgis_app):
    registry = TaskRegistry(download_limit=lambda: 2)
    yield registry
    registry.cancel_all(wait_seconds=5)


def wait_for(registry, seconds=30):
    deadline = time.monotonic() + seconds
    while registry.running() and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    QCoreApplication.processEvents()
    assert not registry.running()


def plain_raster(folder) -> str:
    """A three-band GeoTIFF without a wavelength anywhere."""
    path = str(folder / "plain.tif")
    dataset = gdal.GetDriverByName("GTiff").Create(path, 4, 4, 3, gdal.GDT_Byte)
    dataset.SetGeoTransform((0, 1, 0, 4, 0, -1))
    dataset.FlushCache()
    return path  # the dataset closes as it goes out of scope


def by_key(choices):
    return {choice.preset.key: choice for choice in choices}


def test_a_vnir_image_shows_every_preset_but_swir(image):
    source = spectral_file_of(image)
    choices = by_key(preset_choices(source.bands))
    assert not choices["short_wave_infrared"].available
    assert "needs a band near 2200 nm" in choices["short_wave_infrared"].reason
    nearest = np.asarray(SPEC.wavelengths_nm)
    for key in ("true_colour", "colour_infrared", "red_edge", "agriculture",
                "vegetation_analysis"):
        choice = choices[key]
        assert choice.available, key
        expected = tuple(int(np.argmin(np.abs(nearest - nm))) + 1 for nm in choice.preset.rgb_nm)
        assert choice.bands == expected, key


def test_the_task_samples_off_the_main_thread_and_sets_the_renderer(image, registry, product):
    source = spectral_file_of(image)
    choice = by_key(preset_choices(source.bands))["colour_infrared"]
    reports = []
    task = BandCombinationTask(image.id(), source, choice, lambda *r: reports.append(r))
    assert registry.start(task)
    wait_for(registry)
    renderer = image.renderer()
    assert isinstance(renderer, QgsMultiBandColorRenderer)
    assert (renderer.redBand(), renderer.greenBand(), renderer.blueBand()) == choice.bands
    dataset = gdal.Open(str(product["image"]))
    expected = sample_stretch(dataset, choice.bands, 0.0, mask_path=product["mask"])
    enhancement = renderer.redContrastEnhancement()
    assert (enhancement.minimumValue(), enhancement.maximumValue()) == pytest.approx(
        (expected[0].minimum, expected[0].maximum)
    )
    [(level, text, layer_id)] = reports
    assert (level, layer_id) == ("success", image.id())
    assert "Colour infrared" in text
    assert "red band 55 B055 (859.1 nm)" in text


def test_a_layer_removed_meanwhile_is_left_alone(image, registry, project):
    source = spectral_file_of(image)
    choice = by_key(preset_choices(source.bands))["red_edge"]
    reports = []
    task = BandCombinationTask(image.id(), source, choice, lambda *r: reports.append(r))
    project.removeMapLayer(image.id())
    assert registry.start(task)
    wait_for(registry)
    assert reports == []


@pytest.fixture
def menu(desktop_iface, registry, project):
    menu = BandCombinationMenu(registry, Notices(iface=desktop_iface), iface=desktop_iface)
    yield menu
    menu.dispose()
    assert desktop_iface.custom_layer_actions == []


def test_only_spectral_rasters_get_the_submenu(menu, desktop_iface, project, image, tmp_path):
    plain = QgsRasterLayer(plain_raster(tmp_path), "plain", "gdal")
    project.addMapLayer(plain)
    assert desktop_iface.layer_context_actions(image) == [menu.action]
    assert desktop_iface.layer_context_actions(plain) == []


def test_the_submenu_applies_a_preset_and_says_which_bands(menu, desktop_iface, image, registry):
    desktop_iface.layer_tree_view.setCurrentLayer(image)
    menu.fill()
    actions = {action.text(): action for action in menu.menu.actions() if action.text()}
    assert list(actions) == [
        "True colour", "Colour infrared", "Short-wave infrared", "Red edge", "Agriculture",
        "Vegetation analysis", "Custom…",
    ]
    swir = actions["Short-wave infrared"]
    assert not swir.isEnabled()
    assert swir.toolTip().startswith("Not available on this image: Short-wave infrared needs")
    assert menu.menu.toolTipsVisible()
    assert "band 55 B055 (859.1 nm)" in actions["Colour infrared"].toolTip()
    actions["Colour infrared"].trigger()
    wait_for(registry)
    assert image.renderer().redBand() == 55
    message = desktop_iface.message_bar.currentItem()
    assert message.text().startswith(f"{SPEC.name}: Colour infrared — red band 55 B055")
    menu.fill()
    checked = [action.text() for action in menu.menu.actions() if action.isChecked()]
    assert checked == ["Colour infrared"]


def test_a_raster_without_wavelengths_shows_why(menu, desktop_iface, project, tmp_path):
    plain = QgsRasterLayer(plain_raster(tmp_path), "plain", "gdal")
    project.addMapLayer(plain)
    desktop_iface.layer_tree_view.setCurrentLayer(plain)
    menu.fill()
    [only] = menu.menu.actions()
    assert not only.isEnabled()
    assert only.text() == "No band wavelengths in this raster"


def test_custom_shows_the_nearest_band_and_refuses_what_the_sensor_lacks(image):
    source = spectral_file_of(image)
    dialog = CustomCombinationDialog(source.bands, (55, 27, 15))
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.wavelengths() == tuple(SPEC.wavelengths_nm[i - 1] for i in (55, 27, 15))
    assert ok.isEnabled()
    dialog.spin_boxes[0].setValue(800)
    assert dialog.band_labels[0].text().startswith("→ band ")
    assert "nm)" in dialog.band_labels[0].text()
    dialog.spin_boxes[2].setValue(2200)
    assert not ok.isEnabled()
    assert "needs a band near 2200 nm" in dialog.band_labels[2].text()
    dialog.deleteLater()
