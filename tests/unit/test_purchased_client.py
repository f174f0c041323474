"""core/pixxel/purchased.py and purchased_models.py: orders, order items, catalogs and catalog
downloads through PixxelClient against the sandbox (real HTTP on loopback), and the models'
tolerance of the spellings Pixxel's pages disagree on."""

import json

import pytest

from pixxel_qgis.core.pixxel import purchased
from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.errors import BadRequestError, NotFoundError, ServerError
from pixxel_qgis.core.pixxel.purchased_models import (
    Catalog,
    CatalogDownloadStatus,
    OrderItem,
    delivery_status,
    stac_bands,
)
from pixxel_qgis.core.pixxel.retry import RetryPolicy

FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02, deadline=10.0)
MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def client(sb):
    with PixxelClient(sb.api_key, sb.api_url, trust_env=False, retry=FAST) as api:
        yield api


def requests_to(sb, endpoint):
    return [r for r in sb.requests if r.endpoint == endpoint]


# -- catalogs ------------------------------------------------------------------------------------


def test_catalogs_are_every_purchased_catalog_page_by_page(sb, client):
    everything = sb.purchases.catalogs()
    sb.configure(page_cap=3)
    found = purchased.catalogs(client, page_size=5)
    assert sorted(c.catalog_id for c in found) == sorted(c.id for c in everything)
    assert len(requests_to(sb, "catalogs_search")) == -(-len(everything) // 3)


def test_a_catalog_describes_its_stac_item(sb, client):
    found = purchased.catalogs(client)[0]
    seeded = next(c for c in sb.purchases.catalogs() if c.id == found.catalog_id)
    spec = seeded.item.spec
    assert found.item_id == spec.name
    assert found.task_id == seeded.task.id
    assert found.platform == spec.name.split("_")[0]
    assert found.level == "L2A"
    assert found.gsd == spec.parts.resolution_m
    assert found.cloud_cover is not None
    assert found.off_nadir is not None
    assert found.area_km2 > 0
    assert found.acquired.date().isoformat().replace("-", "") == spec.name.split("_")[2]
    assert found.geometry["type"] == "Polygon"
    assert found.wavelengths_nm == pytest.approx(spec.wavelengths_nm, abs=0.01)
    assert found.bands[0].fwhm_nm == pytest.approx(9.1)
    assert found.thumbnail_url.startswith(sb.storage_url)
    assert "thumbnail_url" not in repr(found)
    assert "sig=" not in repr(found)
    assert purchased.catalog(client, found.catalog_id) == found


def test_catalog_filters_reach_the_search_body(sb, client):
    item = next(i for i in purchased.order_items(client, status="fulfilled")
                if len(i.images) > 1)
    by_item = purchased.catalogs(client, order_item_ids=[item.order_item_id])
    assert sorted(c.item_id for c in by_item) == sorted(i.item_id for i in item.images)
    assert [c.catalog_id for c in purchased.catalogs(client, ids=by_item[0].catalog_id)] == \
        [by_item[0].catalog_id]
    assert purchased.catalogs(client, order_ids=[item.order_id])
    assert purchased.catalogs(client, search={"intersects": {
        "type": "Polygon", "coordinates": [[[0, -80], [10, -80], [10, -75], [0, -80]]]}}) == []


def test_delivery_statuses_as_the_schema_and_as_the_examples_write_them(sb, client):
    enum = {c.catalog_id: c.delivery_status for c in purchased.catalogs(client)}
    assert {"SUCCESS", "FAILED", "UNSPECIFIED"} <= set(enum.values())
    sb.configure(delivery_status_style="example")
    examples = {c.catalog_id: c for c in purchased.catalogs(client)}
    for catalog_id, status in enum.items():
        assert examples[catalog_id].is_delivered == (status == "SUCCESS")
    assert delivery_status("successful") == delivery_status("Success") == "SUCCESS"
    assert delivery_status(None) == ""


def test_an_unknown_catalog_is_not_found(client):
    with pytest.raises(NotFoundError):
        purchased.catalog(client, MISSING)


# -- orders and order items ----------------------------------------------------------------------


def test_orders_hold_their_items(sb, client):
    orders = purchased.orders(client)
    assert len(orders) == len(sb.purchases.orders)
    first = orders[0]
    assert first.status in ("PAID", "REFUND", "UNPAID", "PAYMENT_IN_PROGRESS")
    assert first.items
    assert all(i.order_id == first.order_id for i in first.items)
    assert purchased.order(client, first.order_id).order_id == first.order_id


def test_order_items_filter_by_status_type_and_order_in_any_case(sb, client):
    everything = purchased.order_items(client)
    assert {i.type for i in everything} == {"ARCHIVE", "TASKING", "RECURRING"}
    fulfilled = purchased.order_items(client, status="fulfilled")
    assert fulfilled
    assert {i.status for i in fulfilled} == {"FULFILLED"}
    assert purchased.order_items(client, status="Fulfilled, active", type="archive") == \
        [i for i in everything if i.type == "ARCHIVE" and i.status in ("FULFILLED", "ACTIVE")]
    one = everything[3]
    assert [i.order_item_id for i in purchased.order_items(client, order_ids=one.order_id)] == \
        [i.order_item_id for i in everything if i.order_id == one.order_id]
    assert purchased.order_item(client, one.order_item_id) == one
    query = requests_to(sb, "order_items")[2].query
    assert query["status"] in (["FULFILLED,ACTIVE"], "FULFILLED,ACTIVE")


def test_an_order_item_has_images_tasks_and_dates(client):
    items = purchased.order_items(client)
    delivered = next(i for i in items if i.status == "FULFILLED" and i.type == "TASKING")
    assert delivered.has_imagery
    assert all(image.item_id and image.geometry["type"] == "Polygon"
               for image in delivered.images)
    task = delivered.tasks[0]
    assert task.status == "FULFILLED"
    assert task.start_date is not None
    assert task.start_date <= task.end_date
    assert delivered.start_date is not None
    assert delivered.image_type == "VNIR"
    active = next(i for i in items if i.status == "ACTIVE")
    assert not active.has_imagery
    assert active.images == ()


# -- catalog downloads ---------------------------------------------------------------------------


def test_a_catalog_download_is_created_then_polled_until_ready(sb, client):
    sb.configure(ready_after_polls=2)
    found = purchased.catalogs(client)[0]
    created = purchased.create_catalog_download(client, catalog_ids=[found.catalog_id])
    assert isinstance(created, CatalogDownloadStatus)
    assert (created.status, created.is_pending, created.signed_url) == ("created", True, "")
    polled = purchased.catalog_download_status(client, created.download_id)
    assert (polled.status, polled.is_pending) == ("in_progress", True)
    ready = purchased.catalog_download_status(client, created.download_id)
    assert ready.is_ready
    assert ready.signed_url.startswith(sb.storage_url)
    assert "signed_url" not in repr(ready)


def test_a_download_names_catalogs_or_order_items_never_both(sb, client):
    found = purchased.catalogs(client)[0]
    item = next(i for i in purchased.order_items(client) if i.has_imagery)
    with pytest.raises(ValueError, match="exactly one"):
        purchased.create_catalog_download(client, catalog_ids=[found.catalog_id],
                                          order_item_ids=[item.order_item_id])
    with pytest.raises(ValueError, match="exactly one"):
        purchased.create_catalog_download(client, catalog_ids=[" "])
    assert requests_to(sb, "catalog_download_create") == []
    by_item = purchased.create_catalog_download(client, order_item_ids=item.order_item_id)
    assert by_item.download_id


def test_the_status_case_of_catalog_downloads_does_not_matter(sb, client):
    sb.configure(catalog_status_case="upper", ready_after_polls=1)
    found = purchased.catalogs(client)[0]
    created = purchased.create_catalog_download(client, catalog_ids=[found.catalog_id])
    assert created.status == "created"
    assert purchased.catalog_download_status(client, created.download_id).is_ready


def test_refusals_carry_pixxels_message(sb, client):
    active = next(i for i in purchased.order_items(client) if i.status == "ACTIVE")
    with pytest.raises(BadRequestError) as refused:
        purchased.create_catalog_download(client, order_item_ids=[active.order_item_id])
    assert "without delivered catalogs" in refused.value.message
    assert refused.value.details == {"order_item_statuses": {active.order_item_id: "ACTIVE"}}
    with pytest.raises(BadRequestError, match="not found"):
        purchased.create_catalog_download(client, catalog_ids=[MISSING])
    with pytest.raises(NotFoundError):
        purchased.catalog_download_status(client, MISSING)


def test_the_new_endpoints_are_retried_like_the_others(sb, client):
    sb.faults.add("catalogs_search", "status", status=503)
    sb.faults.add("order_items", "rate_limit", retry_after="0")
    assert purchased.catalogs(client)
    assert purchased.order_items(client)
    sb.faults.add("catalog_download_create", "status", status=500)
    found = purchased.catalogs(client)[0]
    with pytest.raises(ServerError):  # a POST's 500 is not repeated (api.py)
        purchased.create_catalog_download(client, catalog_ids=[found.catalog_id])


# -- the models alone ----------------------------------------------------------------------------


def test_stac_bands_from_per_band_assets_with_raster_scale():
    item = {"id": "FF01_000001_20240101_L1C_20240102", "bbox": ["1", "2", "3", "4"],
            "properties": {"datetime": "2024-01-01T10:00:00Z"},
            "assets": {
                "B013": {"roles": ["data"], "eo:bands": [{"name": "B013",
                                                          "center_wavelength": 493}],
                         "raster:bands": [{"scale": 0.00002, "nodata": 0, "offset": 0,
                                           "spatial_resolution": 30}]},
                "B091": {"roles": ["data"], "eo:bands": [{"name": "B091",
                                                          "center_wavelength": 0.65,
                                                          "fwhm": 0.01}]},
                "thumbnail": {"roles": ["thumbnail"], "href": "https://x/t.png"}}}
    bands = stac_bands(item)
    assert [(b.name, b.wavelength_nm, b.scale, b.nodata) for b in bands] == \
        [("B013", 493.0, 0.00002, 0.0), ("B091", 650.0, None, None)]
    assert bands[1].fwhm_nm == pytest.approx(10.0)
    assert bands[0].as_row() == {"name": "B013", "wavelength": 493.0, "scale": 0.00002,
                                 "offset": 0.0, "nodata": 0.0}
    catalog = Catalog.from_json({"id": "c1", "area": 0, "delivery_status": "successful",
                                 "details": item})
    assert catalog.level == "L1C"
    assert catalog.gsd == 30
    assert catalog.area_km2 is None  # Pixxel's zero value
    assert catalog.is_delivered
    assert catalog.geometry["coordinates"][0][0] == [1.0, 2.0]  # from the bbox strings


def test_models_need_only_an_id_and_survive_odd_fields():
    bare = Catalog.from_json({"id": "c2"})
    assert (bare.item_id, bare.bands, bare.geometry, bare.acquired) == ("", (), None, None)
    item = OrderItem.from_json({"id": "i1", "status": "fulfilled", "images": [
        {"item_id": "TD2_1", "geometry": {"type": "Point", "coordinates": [0, 0]}}, "junk", {}],
        "tasks": [{"id": "t1", "start_date": "31-02-2025", "end_date": "01-03-2025"}],
        "start_date": "", "area": "12"})
    assert item.status == "FULFILLED"
    assert item.has_imagery
    assert [i.item_id for i in item.images] == ["TD2_1"]
    assert item.images[0].geometry is None
    assert item.tasks[0].start_date is None
    assert item.tasks[0].end_date.day == 1
    assert item.start_date is None
    assert item.area_km2 == 12
    with pytest.raises(ValueError, match="without id"):
        OrderItem.from_json({"name": "no id"})
    status = CatalogDownloadStatus.from_json(json.loads(
        '{"download_id": "d1", "status": "SUCCESS", "signed_url": " https://s/x?sig=1 "}'))
    assert status.is_ready
    assert status.signed_url == "https://s/x?sig=1"
