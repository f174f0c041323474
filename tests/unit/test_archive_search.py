"""The archive client (core/pixxel/archive.py) against the sandbox: collections, bandsets, STAC
search with its filters, paging by next links, and the limits checked again on what arrives."""

from datetime import date, datetime, timezone

import pytest

from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.archive import ArchiveClient, ArchiveSearch
from pixxel_qgis.core.pixxel.archive_models import ArchiveItem, format_amount
from pixxel_qgis.core.pixxel.errors import UnexpectedResponseError
from pixxel_qgis.core.pixxel.retry import RetryPolicy

FAST = RetryPolicy(base_delay=0.01, max_delay=0.05, deadline=10.0)


def sent(sandbox, endpoint):
    return [request for request in sandbox.requests if request.endpoint == endpoint]


@pytest.fixture
def client(sandbox):
    with PixxelClient(sandbox.api_key, sandbox.api_url, retry=FAST) as pixxel:
        yield pixxel


@pytest.fixture
def archive(client):
    return ArchiveClient(client)


def box_of(aoi):
    ring = aoi["geometry"]["coordinates"][0]
    return (min(p[0] for p in ring), min(p[1] for p in ring), max(p[0] for p in ring),
            max(p[1] for p in ring))


def test_collections_and_bandsets(archive, sandbox):
    collections = archive.collections()
    assert [c.id for c in collections] == ["pixxel-td1", "pixxel-td2", "pixxel-firefly"]
    firefly = collections[2]
    assert firefly.display_name == "Pixxel-Firefly"
    assert "FF01" in firefly.platforms
    assert firefly.bbox is not None
    assert firefly.bbox[0] < firefly.bbox[2]
    bandsets = archive.bandsets()
    assert [b.id for b in bandsets] == [b["id"] for b in sandbox.purchases.bandsets]
    assert len(bandsets[0].bands) == len(sandbox.purchases.bandsets[0]["bands"])
    assert bandsets[0].bands[0].wavelength > 400


def test_search_reads_every_item_field(archive, sandbox):
    aoi = sandbox.catalog.aoi_at(0)
    found = archive.search(ArchiveSearch(bbox=box_of(aoi)))
    assert not found.truncated
    ids = {item.id for item in found.items}
    near = sandbox.archive.items_of_aoi(0)
    assert {item.id for item in near} <= ids
    item = next(i for i in found.items if i.id == near[0].id)
    truth = near[0]
    assert item.collection == truth.collection
    assert item.platform == truth.code
    assert item.acquired == truth.acquired
    assert item.cloud_cover == truth.cloud_cover
    assert item.off_nadir == truth.off_nadir
    assert item.sun_elevation == truth.sun_elevation
    assert item.gsd == truth.spec.parts.resolution_m
    assert item.product_level == "L2A"
    assert item.band_count == len(truth.spec.wavelengths_nm)
    assert item.bbox == pytest.approx(truth.box, abs=1e-6)  # the spec's strings, read as numbers
    assert item.geometry["type"] == "Polygon"
    assert item.thumbnail_url.startswith(sandbox.storage_url)
    assert item.thumbnail_type == "image/png"
    assert "sig=" not in repr(item)  # a signed link stays out of logs


def test_numbers_for_bbox_are_read_too(archive, sandbox):
    sandbox.configure(stac_bbox="number")
    item = archive.search(ArchiveSearch(), max_pages=1, page_size=1).items[0]
    assert item.bbox == pytest.approx(sandbox.archive.item(item.id).box, abs=1e-6)


@pytest.mark.parametrize(("search", "wanted"), [
    (ArchiveSearch(max_cloud=5), lambda i: i.cloud_cover <= 5),
    (ArchiveSearch(max_off_nadir=8), lambda i: i.off_nadir <= 8),
    (ArchiveSearch(collections=("pixxel-td1", "pixxel-td2")),
     lambda i: i.collection in ("pixxel-td1", "pixxel-td2")),
    (ArchiveSearch(start=date(2024, 6, 1), end=date(2024, 12, 31)),
     lambda i: date(2024, 6, 1) <= i.acquired.date() <= date(2024, 12, 31)),
    (ArchiveSearch(end=date(2023, 12, 31)), lambda i: i.acquired.date() <= date(2023, 12, 31)),
    (ArchiveSearch(max_cloud=20, max_off_nadir=15, start=date(2024, 1, 1)),
     lambda i: i.cloud_cover <= 20 and i.off_nadir <= 15 and i.acquired.year >= 2024),
])
def test_filters_match_the_archive(archive, sandbox, search, wanted):
    found = [i.id for i in archive.search(search).items]
    expected = [i.id for i in sandbox.archive.items if wanted(i)]
    assert found == expected
    assert 0 < len(found) < len(sandbox.archive.items)


def test_the_body_uses_the_spec_fields():
    search = ArchiveSearch(bbox=(75.1, 30.2, 75.9, 31.0), start=date(2024, 1, 1),
                           end=datetime(2024, 3, 1, 12, 30, tzinfo=timezone.utc), max_cloud=20,
                           max_off_nadir=10, collections=("pixxel-td2",))
    assert search.body() == {
        "bbox": [75.1, 30.2, 75.9, 31.0],
        "datetime": "2024-01-01T00:00:00Z/2024-03-01T12:30:00Z",
        "collections": ["pixxel-td2"],
        "query": {"eo:cloud_cover": {"lte": 20}, "view:off_nadir": {"lte": 10}},
    }
    assert ArchiveSearch(start=date(2024, 5, 2)).body() == {"datetime": "2024-05-02T00:00:00Z/.."}
    polygon = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    assert ArchiveSearch(bbox=(0, 0, 1, 1), intersects=polygon).body() == {"intersects": polygon}


@pytest.mark.parametrize("options", [
    {"bbox": (10, 50, 11, 40)}, {"bbox": (200, 0, 201, 1)}, {"max_cloud": 120},
    {"max_off_nadir": -1}, {"start": date(2024, 2, 1), "end": date(2024, 1, 1)},
])
def test_impossible_searches_are_refused_before_sending(options):
    with pytest.raises(ValueError, match="search area|maximum|start date"):
        ArchiveSearch(**options)


def test_paging_follows_next_links_through_a_page_cap(archive, sandbox):
    sandbox.configure(page_cap=4)
    found = archive.search(ArchiveSearch(collections=("pixxel-firefly",)))
    expected = [i.id for i in sandbox.archive.items if i.collection == "pixxel-firefly"]
    assert [i.id for i in found.items] == expected
    # The offset travels in the body (the request log has no bodies): one request per page.
    assert len(sent(sandbox, "archive_search")) == -(-len(expected) // 4)


def test_a_page_limit_stops_early_and_says_so(archive, sandbox):
    found = archive.search(ArchiveSearch(), page_size=5, max_pages=2)
    assert found.truncated
    assert [i.id for i in found.items] == [i.id for i in sandbox.archive.items[:10]]
    assert len(sent(sandbox, "archive_search")) == 2
    pages = list(archive.iter_pages(ArchiveSearch(), page_size=5, max_pages=2))
    assert [len(page) for page in pages] == [5, 5]


def test_limits_hold_even_when_the_server_ignores_the_query(archive, client, sandbox):
    original = client.post_json

    def without_query(path, body):
        return original(path, {k: v for k, v in body.items() if k != "query"})

    client.post_json = without_query
    found = archive.search(ArchiveSearch(max_cloud=10, max_off_nadir=12))
    assert found.items
    assert all(i.cloud_cover <= 10 and i.off_nadir <= 12 for i in found.items)
    assert len(found.items) < len(sandbox.archive.items)


def test_a_failing_gateway_is_retried_for_a_search(archive, sandbox):
    sandbox.faults.add("archive_search", "status", status=502, times=2)
    assert archive.search(ArchiveSearch(), max_pages=1).items
    assert len(sent(sandbox, "archive_search")) == 3


def test_items_by_id(archive, sandbox):
    wanted = [i.id for i in sandbox.archive.items[3:6]]
    found = archive.items([*wanted, "no-such-item", wanted[0]])
    assert sorted(found) == sorted(wanted)


def test_a_wrong_shape_is_an_unexpected_response(archive, sandbox):
    sandbox.faults.add("archive_collections", "invalid_json")
    with pytest.raises(UnexpectedResponseError):
        archive.collections()


class _Client:
    base_url = "https://api.pixxel.space"


@pytest.mark.parametrize(("link", "expected"), [
    ({"rel": "next", "href": "https://api.pixxel.space/v0/archives/search?offset=20&limit=10"},
     ({"limit": 10, "offset": 20}, {})),
    ({"rel": "next", "href": "https://elsewhere.example/search?offset=20&token=abc"},
     ({"limit": 10, "offset": 20}, {})),  # another host: only the offset is taken, no token
    ({"rel": "next", "href": "https://api.pixxel.space/v0/archives/search?token=abc"},
     ({"limit": 10, "offset": 0}, {"token": "abc"})),
    ({"rel": "next", "href": "https://elsewhere.example/search?token=abc"}, None),
    ({"rel": "next", "href": "x", "method": "POST", "body": {"token": "t2"}, "merge": True},
     ({"limit": 10, "offset": 0, "token": "t2"}, {})),
    ({"rel": "next", "href": "x", "method": "POST", "body": {"token": "t2"}},
     ({"token": "t2"}, {})),
])
def test_next_links_never_lead_the_key_elsewhere(link, expected):
    answer = {"type": "FeatureCollection", "features": [], "links": [link]}
    assert ArchiveClient(_Client())._next_request(answer, {"limit": 10, "offset": 0}) == expected


def test_items_tolerate_missing_fields():
    item = ArchiveItem.from_json({"id": "x", "properties": {"cloudcover": "12.5"}, "bbox": [1]})
    assert (item.cloud_cover, item.bbox, item.acquired, item.thumbnail_url) == \
        (12.5, None, None, None)
    with pytest.raises(ValueError, match="without id"):
        ArchiveItem.from_json({"properties": {}})


def test_amounts_never_invent_a_currency():
    assert format_amount(1234.5, None) == "1,234.50"
    assert format_amount(12, "USD") == "12.00 USD"
    assert format_amount(None, "USD") == "?"
