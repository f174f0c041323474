"""OverviewTask through QGIS' task manager: builds external .ovr files, cancels cleanly."""

import datetime
import shutil
from pathlib import Path

import pytest
from osgeo import gdal
from qgis.core import QgsApplication, QgsRasterLayer

from pixxel_qgis.core.qgis.overviews import OVERVIEW_LEVELS, OverviewTask
from sandbox import products

TIMEOUT_MS = 60_000


def image_of(folder: Path, size_bytes: int, image_id: int) -> Path:
    bands = 16
    spec = products.small_spec(
        image_id=image_id, bands=bands, size=products.dims_for_bytes(size_bytes, bands), seed=1,
        acquired=datetime.date(2024, 1, 2), produced=datetime.date(2024, 1, 3), origin=(77.0, 12.0),
    )
    return products.product_files(spec, folder)["image"]


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    folder = tmp_path_factory.mktemp("overview-products")
    return {"small": image_of(folder, 8 << 20, 1), "big": image_of(folder, 96 << 20, 2)}


@pytest.fixture
def fresh(images, tmp_path):
    """A private copy of an image, without overviews."""
    return lambda size: Path(shutil.copy(images[size], tmp_path / images[size].name))


def overview_count(path: Path) -> int:
    dataset = gdal.Open(str(path))
    return dataset.GetRasterBand(1).GetOverviewCount()


def test_builds_external_overviews_and_refreshes_open_layers(project, fresh, qtbot):
    image = fresh("small")
    layer = QgsRasterLayer(str(image), "open before", "gdal")
    project.addMapLayer(layer)
    assert not layer.dataProvider().hasPyramids()
    task = OverviewTask([image], "Building overviews")
    progress = []
    task.progressChanged.connect(progress.append)
    with qtbot.waitSignal(task.taskCompleted, timeout=TIMEOUT_MS):
        QgsApplication.taskManager().addTask(task)
    assert task.built == [image]
    assert task.error is None
    assert Path(f"{image}.ovr").is_file()
    assert overview_count(image) == len(OVERVIEW_LEVELS)
    assert progress
    assert max(progress) == pytest.approx(100)
    qtbot.waitUntil(lambda: layer.dataProvider().hasPyramids(), timeout=TIMEOUT_MS)


def test_cancelling_stops_the_build_and_leaves_no_overview_file(project, fresh, qtbot):
    image = fresh("big")
    task = OverviewTask([image, fresh("small")], "Building overviews")
    progress = []

    def cancel_once_started(value: float) -> None:
        progress.append(value)
        if value > 0:
            task.cancel()

    task.progressChanged.connect(cancel_once_started)
    with qtbot.waitSignal(task.taskTerminated, timeout=TIMEOUT_MS):
        QgsApplication.taskManager().addTask(task)
    assert task.built == []
    assert task.error is None, "a cancellation is not an error"
    assert not Path(f"{image}.ovr").exists()
    assert overview_count(image) == 0
    assert max(progress) < 50, "stopped inside the first image"


def test_images_that_have_overviews_are_left_alone(fresh):
    image = fresh("small")
    dataset = gdal.Open(str(image))
    dataset.BuildOverviews("NEAREST", [2])
    dataset = None
    task = OverviewTask([image], "Building overviews")
    assert task.run()
    assert task.built == []
    assert overview_count(image) == 1


def test_a_missing_image_is_reported_not_raised(tmp_path):
    task = OverviewTask([tmp_path / "gone.tif"], "Building overviews")
    assert not task.run()
    assert "gone.tif" in task.error
