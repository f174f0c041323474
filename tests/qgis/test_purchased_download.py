"""Purchased imagery through the dock's DownloadTask and THE download pipeline
(core/qgis/pipeline.py) in real QGIS against the sandbox: an order item's catalogs on the map in
a group named after the item, styled from wavelengths; the catalogs' STAC bands for products
whose files carry none."""

from pathlib import Path

import pytest

from pixxel_qgis.core.download import kinds
from pixxel_qgis.core.download.job import DownloadResult
from pixxel_qgis.core.download.purchased_job import purchased_job
from pixxel_qgis.core.pixxel import purchased
from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.qgis.connection import Connection
from pixxel_qgis.core.qgis.pipeline import Imagery, band_tables
from pixxel_qgis.core.qgis.registry import TaskRegistry
from pixxel_qgis.core.qgis.tasks import DownloadTask

TIMEOUT_MS = 60_000


@pytest.fixture
def registry(qgis_app):
    registry = TaskRegistry()
    yield registry
    registry.cancel_all(wait_seconds=30)
    assert registry.running() == []


@pytest.fixture
def client(sandbox):
    with PixxelClient(sandbox.api_key, sandbox.api_url, trust_env=False) as api:
        yield api


def test_an_order_item_downloaded_by_the_task_is_mapped_in_its_own_group(
    sandbox, client, registry, project, tmp_path, qtbot
):
    item = next(i for i in purchased.order_items(client, status="FULFILLED") if len(i.images) > 1)
    job = purchased_job(kinds.ORDER_ITEMS, [item.order_item_id], tmp_path, name=item.name)
    task = DownloadTask(Connection(api_key=sandbox.api_key, base_url=sandbox.api_url), job)
    with qtbot.waitSignal(task.completed, timeout=TIMEOUT_MS):
        assert registry.start(task)
    assert task.error is None
    assert task.result.folder == tmp_path / item.name
    assert {p.name for p in task.products} == {image.item_id for image in item.images}
    group = project.layerTreeRoot().findGroup(item.name)
    assert group is task.layers.group
    assert {layer.name() for layer in task.layers.image_layers} == \
        {image.item_id for image in item.images}
    for product in task.products:
        assert all(band.wavelength_nm for band in product.bands)
        assert product.image.with_suffix(".qml").is_file()


def test_catalog_bands_are_the_pipelines_band_tables(sandbox, client, tmp_path):
    found = purchased.catalogs(client)[:2]
    job = purchased_job(kinds.CATALOGS, [c.catalog_id for c in found], tmp_path, name="n")
    facts = [kinds.catalog_facts(c) for c in found]
    result = DownloadResult(job, "d", tmp_path, (), (), (), metadata={"assets": facts})
    tables = band_tables(result)
    assert set(tables) == {c.item_id for c in found}
    assert [row["wavelength"] for row in tables[found[0].item_id]] == \
        list(found[0].wavelengths_nm)
    assert Imagery(job, result, ()).asset_info[found[0].item_id] == \
        {"id": found[0].catalog_id, "name": found[0].item_id}
    order_item = {"id": "i", "name": "Item", "products": facts}
    nested = DownloadResult(job, "d", Path(tmp_path), (), (), (), metadata={"assets": [order_item]})
    assert set(band_tables(nested)) == set(tables)
