"""Archive thumbnails as GeoTIFFs (core/imagery/previews.py) from the sandbox's storage: placed
on the item's box in EPSG:4326, fetched without the key, and the failures named."""

import pytest

gdal = pytest.importorskip("osgeo.gdal")

from pixxel_qgis.core.imagery.previews import PreviewError, fetch_preview  # noqa: E402
from pixxel_qgis.core.pixxel.api import PixxelClient  # noqa: E402
from pixxel_qgis.core.pixxel.archive import ArchiveClient, ArchiveSearch  # noqa: E402
from pixxel_qgis.core.pixxel.archive_models import ArchiveItem  # noqa: E402
from pixxel_qgis.core.pixxel.errors import (  # noqa: E402
    IncompleteTransferError,
    SignedUrlExpiredError,
)


@pytest.fixture
def client(sandbox):
    with PixxelClient(sandbox.api_key, sandbox.api_url) as pixxel:
        yield pixxel


@pytest.fixture
def item(client):
    return ArchiveClient(client).search(ArchiveSearch(), max_pages=1, page_size=1).items[0]


def test_the_thumbnail_lands_on_the_items_box(client, sandbox, item, tmp_path):
    path = fetch_preview(client.gateway, item, tmp_path)
    assert path.parent == tmp_path
    assert path.name == f"{item.id}.preview.tif"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no leftovers
    dataset = gdal.Open(str(path))
    assert dataset.RasterCount == 4  # RGB and transparency
    west, dx, _, north, _, dy = dataset.GetGeoTransform()
    east, south = west + dx * dataset.RasterXSize, north + dy * dataset.RasterYSize
    assert (west, south, east, north) == pytest.approx(item.bbox, abs=1e-6)
    assert "4326" in dataset.GetSpatialRef().GetAuthorityCode(None)
    storage = [r for r in sandbox.requests if r.server == "storage"]
    assert len(storage) == 1
    assert "Authorization" not in storage[0].headers
    fetch_preview(client.gateway, item, tmp_path)  # again: replaced, not duplicated
    assert len(list(tmp_path.iterdir())) == 1


def test_an_expired_link_says_to_search_again(client, sandbox, item, tmp_path):
    sandbox.faults.add("storage", "expired_url")
    with pytest.raises(SignedUrlExpiredError, match="search again"):
        fetch_preview(client.gateway, item, tmp_path)


def test_a_cut_transfer_is_noticed(client, sandbox, item, tmp_path):
    sandbox.faults.add("storage", "short", at=0.5)
    with pytest.raises(IncompleteTransferError):
        fetch_preview(client.gateway, item, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_item_without_a_thumbnail(client, tmp_path):
    with pytest.raises(PreviewError, match="no preview"):
        fetch_preview(client.gateway, ArchiveItem.from_json({"id": "bare"}), tmp_path)
