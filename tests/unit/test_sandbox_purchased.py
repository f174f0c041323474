"""Purchased imagery and ordering in the sandbox: orders, order items, catalogs, catalog downloads
(pending -> ready -> a zip of real GeoTIFFs from storage), dry-run prices, live orders, the
viewer key, and the faults on the new endpoints. Real HTTP on loopback; answers' schemas are
checked in test_sandbox_conformance.py."""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path
from typing import Any

import pytest
import requests
from osgeo import gdal

from sandbox import Sandbox
from sandbox.client import TimedSession

HTTP = TimedSession()
MISSING = "00000000-0000-4000-8000-000000000000"


def _all(api: requests.Session, url: str, key: str, limit: int = 5, **params: Any) -> list:
    """Every row of a GET listing, page by page, following total and the rows received."""
    rows: list = []
    while True:
        body = api.get(url, params={**params, "offset": len(rows), "limit": limit}).json()
        rows += body[key]
        if len(rows) >= body["pagination"]["total"] or not body[key]:
            return rows


def _search(sb: Sandbox, api: requests.Session, **body: Any) -> dict:
    response = api.post(f"{sb.api_url}/v0/catalogs/search", json={"limit": 100, **body})
    assert response.status_code == 200, response.text
    return response.json()


def _items(sb: Sandbox, api: requests.Session, **params: Any) -> list:
    return _all(api, f"{sb.api_url}/v0/order-items", "order_items", limit=100, **params)


def _geotiffs(content: bytes, folder: Path) -> dict:
    """{product name: (band count, EPSG-4326 bbox)} of the image GeoTIFFs in a zip."""
    archive = folder / "delivery.zip"
    archive.write_bytes(content)
    found = {}
    for name in zipfile.ZipFile(archive).namelist():
        if name.endswith(".tif") and not name.endswith(".mask.tif"):
            dataset = gdal.Open(f"/vsizip/{archive}/{name}")
            west, dx, _, north, _, dy = dataset.GetGeoTransform()
            box = (west, north + dy * dataset.RasterYSize, west + dx * dataset.RasterXSize, north)
            assert "4326" in dataset.GetSpatialRef().GetAuthorityCode(None)
            found[Path(name).stem] = (dataset.RasterCount, box)
    return found


def _ready(sb: Sandbox, api: requests.Session, body: dict) -> dict:
    created = api.post(f"{sb.api_url}/v0/catalogs/download", json=body)
    assert created.status_code == 201, created.text
    status = api.get(f"{sb.api_url}/v0/catalogs/download/{created.json()['id']}").json()
    assert status["status"] == "success"
    return status


# -- the seeded purchases ------------------------------------------------------------------------


def test_seeded_order_items_cover_every_type_and_status(sb, api):
    items = _items(sb, api)
    assert {i["type"] for i in items} == {"ARCHIVE", "TASKING", "RECURRING"}
    assert {"FULFILLED", "PARTIALLY_FULFILLED", "ACTIVE", "FAILED", "CANCELLED", "DRAFT"} <= \
        {i["status"] for i in items}
    for item in items:
        tasks = {t["status"] for t in item["tasks"]}
        assert all(t["order_item_id"] == item["id"] for t in item["tasks"])
        if item["status"] == "FULFILLED":
            assert tasks == {"FULFILLED"}
        if item["status"] == "ACTIVE":
            assert tasks == {"IN_PROGRESS"}
            assert item["images"] == []
        for image in item["images"]:
            assert sb.archive.item(image["item_id"]) is not None
            assert image["geometry"]["type"] == "Polygon"


def test_catalogs_are_the_aoi_assets_products(sb, api):
    names = {sb.catalog.product_spec(a["id"]).name: sb.catalog.product_spec(a["id"])
             for aoi in sb.catalog.aois for a in sb.catalog.assets(aoi["aoi_id"])}
    tasks = {t["id"]: i for i in _items(sb, api) for t in i["tasks"]}
    catalogs = _search(sb, api)["catalogs"]
    assert len(catalogs) >= 10
    for catalog in catalogs:
        details = catalog["details"]
        spec = names[details["id"]]
        assert details["bbox"] == [round(v, 6) for v in spec.bbox]
        assert details["properties"]["proj:shape"] == [spec.height, spec.width]
        assert len(details["assets"]["data"]["eo:bands"]) == len(spec.wavelengths_nm)
        assert details["id"] in [image["item_id"] for image in tasks[catalog["task_id"]]["images"]]
        assert catalog["area"] > 0


def test_first_catalogs_are_the_first_aois_delivered_with_cloud_delivery(sb, api):
    first = {sb.catalog.product_spec(a["id"]).name
             for a in sb.catalog.assets(sb.catalog.aoi_at(0)["aoi_id"])}
    delivered = [c for c in _search(sb, api)["catalogs"] if c["details"]["id"] in first]
    assert len(delivered) == len(first)
    assert {c["delivery_status"] for c in delivered} == {"SUCCESS"}


# -- listings: paging and filters ----------------------------------------------------------------


@pytest.mark.parametrize(("path", "key"), [("/v0/orders", "orders"),
                                           ("/v0/order-items", "order_items")])
def test_orders_and_items_page_by_offset_and_limit(sb, api, path, key):
    everything = api.get(f"{sb.api_url}{path}", params={"limit": 100}).json()
    total = everything["pagination"]["total"]
    assert total == len(everything[key]) > 10
    sb.configure(page_cap=3)
    page = api.get(f"{sb.api_url}{path}", params={"limit": 5}).json()
    assert len(page[key]) == 3
    assert page["pagination"] == {"limit": 5, "offset": 0, "total": total}
    walked = _all(api, f"{sb.api_url}{path}", key)
    assert [r["id"] for r in walked] == [r["id"] for r in everything[key]]


def test_orders_are_newest_first_and_filter_by_user(sb, api):
    orders = api.get(f"{sb.api_url}/v0/orders", params={"limit": 100}).json()["orders"]
    created = [o["created_at"] for o in orders]
    assert created == sorted(created, reverse=True)
    user = orders[0]["user_id"]
    mine = api.get(f"{sb.api_url}/v0/orders", params={"user_id": user, "limit": 100}).json()
    assert {o["user_id"] for o in mine["orders"]} == {user}
    assert mine["pagination"]["total"] == sum(o["user_id"] == user for o in orders)


def test_order_item_filters(sb, api):
    items = _items(sb, api)
    some = items[3]
    cases = {
        (("type", "archive"),): lambda i: i["type"] == "ARCHIVE",
        (("status", "fulfilled,ACTIVE"),): lambda i: i["status"] in ("FULFILLED", "ACTIVE"),
        (("order_ids", some["order_id"]),): lambda i: i["order_id"] == some["order_id"],
        (("ids", f"{some['id']},{items[0]['id']}"),): lambda i: i["id"] in (some["id"],
                                                                           items[0]["id"]),
        (("project_ids", some["project_id"]),): lambda i: i["project_id"] == some["project_id"],
        (("area", "0,30"),): lambda i: i["area"] <= 30,
        (("area", "30/.."),): lambda i: i["area"] >= 30,
        (("created_at", f"../{some['created_at']}"),): lambda i: i["created_at"] <=
        some["created_at"],
        (("created_at", f"{some['created_at']},"),): lambda i: i["created_at"] >=
        some["created_at"],
    }
    for params, wanted in cases.items():
        found = [i["id"] for i in _items(sb, api, **dict(params))]
        assert found == [i["id"] for i in items if wanted(i)], params
        assert found, params
    bad = api.get(f"{sb.api_url}/v0/order-items", params={"area": "big"})
    assert bad.status_code == 400


def test_catalog_search_defaults_to_two_rows_and_pages(sb, api):
    everything = _search(sb, api)["catalogs"]
    first = api.post(f"{sb.api_url}/v0/catalogs/search", json={}).json()
    assert [c["id"] for c in first["catalogs"]] == [c["id"] for c in everything[:2]]
    assert first["pagination"] == {"limit": 2, "offset": 0, "total": len(everything)}
    seen: list = []
    while len(seen) < len(everything):
        seen += _search(sb, api, offset=len(seen), limit=4)["catalogs"]
    assert [c["id"] for c in seen] == [c["id"] for c in everything]


def test_catalog_search_filters(sb, api):
    everything = _search(sb, api)["catalogs"]
    aoi = sb.catalog.aoi_at(0)
    item = next(i for i in _items(sb, api) if len(i["images"]) >= 2 and i["status"] ==
                "FULFILLED")
    lons = [p[0] for p in aoi["geometry"]["coordinates"][0]]
    lats = [p[1] for p in aoi["geometry"]["coordinates"][0]]
    antarctic = {"type": "Polygon", "coordinates": [[[0, -80], [10, -80], [10, -75], [0, -80]]]}
    cases = [
        ({"order_ids": [item["order_id"]]}, lambda c: c["details"]["id"] in
         {i["item_id"] for i in item["images"]}),
        ({"order_item_ids": [item["id"]]}, lambda c: c["details"]["id"] in
         {i["item_id"] for i in item["images"]}),
        ({"ids": [everything[1]["id"]]}, lambda c: c["id"] == everything[1]["id"]),
        ({"item_ids": [everything[2]["details"]["id"]]},
         lambda c: c["details"]["id"] == everything[2]["details"]["id"]),
        ({"collections": ["pixxel-firefly"]}, lambda c: c["details"]["collection"] ==
         "pixxel-firefly"),
        ({"bbox": [min(lons), min(lats), max(lons), max(lats)]},
         lambda c: c["details"]["bbox"][0] <= max(lons) and c["details"]["bbox"][2] >= min(lons)
         and c["details"]["bbox"][1] <= max(lats) and c["details"]["bbox"][3] >= min(lats)),
        ({"intersects": antarctic}, lambda c: False),
        ({"datetime": "2025-01-01T00:00:00Z/.."},
         lambda c: c["details"]["properties"]["datetime"] >= "2025-01-01"),
        ({"query": {"eo:cloud_cover": {"lt": 10}}},
         lambda c: c["details"]["properties"]["eo:cloud_cover"] < 10),
    ]
    for body, wanted in cases:
        found = _search(sb, api, **body)
        assert [c["id"] for c in found["catalogs"]] == \
            [c["id"] for c in everything if wanted(c)], body
        assert found["pagination"]["total"] == len(found["catalogs"])
        assert bool(found["catalogs"]) == ("intersects" not in body), body
        assert len(found["catalogs"]) < len(everything) or "bbox" in body, body
    by_area = [c["area"] for c in _search(sb, api, sort_by=[{"area": "ASC"}])["catalogs"]]
    assert by_area == sorted(by_area)
    refused = api.post(f"{sb.api_url}/v0/catalogs/search", json={"sort_by": [{"area": "up"}]})
    assert refused.status_code == 400


# -- catalog downloads ---------------------------------------------------------------------------


def test_catalog_download_pending_then_ready_then_a_zip_of_geotiffs(sb, api, tmp_path):
    sb.configure(ready_after_polls=3)
    catalog = _search(sb, api)["catalogs"][-1]
    created = api.post(f"{sb.api_url}/v0/catalogs/download", json={"catalog_ids": [catalog["id"]]})
    assert created.status_code == 201
    assert created.json()["signed_url"] == ""
    url = f"{sb.api_url}/v0/catalogs/download/{created.json()['id']}"
    polls = [api.get(url).json() for _ in range(3)]
    assert [created.json()["status"]] + [p["status"] for p in polls] == \
        ["created", "in_progress", "in_progress", "success"]
    delivery = HTTP.get(polls[-1]["signed_url"])  # storage: no API key
    assert delivery.status_code == 200
    assert delivery.headers["Content-Type"] == "application/zip"
    spec = sb.archive.item(catalog["details"]["id"]).spec
    tiffs = _geotiffs(delivery.content, tmp_path)
    assert list(tiffs) == [spec.name]
    bands, box = tiffs[spec.name]
    assert bands == len(spec.wavelengths_nm) == spec.parts.band_count
    assert box == pytest.approx(spec.bbox)
    names = zipfile.ZipFile(io.BytesIO(delivery.content)).namelist()
    assert {Path(n).name.split(".", 1)[1] for n in names} == \
        {"tif", "mask.tif", "geojson", "jpeg", "hdr", "xml"}


def test_order_item_download_bundles_every_catalog_of_the_item(sb, api, tmp_path):
    item = next(i for i in _items(sb, api) if i["status"] == "FULFILLED" and len(i["images"]) > 1)
    status = _ready(sb, api, {"order_item_ids": [item["id"]]})
    tiffs = _geotiffs(HTTP.get(status["signed_url"]).content, tmp_path)
    assert sorted(tiffs) == sorted(image["item_id"] for image in item["images"])


def test_catalog_download_refusals(sb, api):
    catalog = _search(sb, api)["catalogs"][0]
    active = next(i for i in _items(sb, api) if i["status"] == "ACTIVE")
    cases = [
        ({"catalog_ids": [catalog["id"]], "order_item_ids": [active["id"]]}, "not both"),
        ({"catalog_ids": [], "order_item_ids": []}, "must be non-empty"),
        ({}, "must be non-empty"),
        ({"catalog_ids": None}, "does not match the API schema"),
        ({"catalog_ids": [catalog["id"], MISSING]}, "not found"),
        ({"order_item_ids": [active["id"]]}, "without delivered catalogs"),
    ]
    for body, message in cases:
        response = api.post(f"{sb.api_url}/v0/catalogs/download", json=body)
        assert response.status_code == 400, body
        assert message in response.json()["error"]["message"], body
    details = api.post(f"{sb.api_url}/v0/catalogs/download",
                       json={"order_item_ids": [active["id"]]}).json()["error"]["details"]
    assert details == {"order_item_statuses": {active["id"]: "ACTIVE"}}


def test_catalog_download_status_upper_case_variant(sb, api):
    sb.configure(catalog_status_case="upper")
    catalog = _search(sb, api)["catalogs"][0]
    created = api.post(f"{sb.api_url}/v0/catalogs/download", json={"catalog_ids": [catalog["id"]]})
    assert created.json()["status"] == "CREATED"
    polled = api.get(f"{sb.api_url}/v0/catalogs/download/{created.json()['id']}").json()
    assert polled["status"] == "SUCCESS"


def test_an_expired_catalog_url_is_replaced_by_the_next_poll(sb, api):
    sb.configure(url_ttl_seconds=0, ready_after_polls=0)
    catalog = _search(sb, api)["catalogs"][0]
    created = api.post(f"{sb.api_url}/v0/catalogs/download",
                       json={"catalog_ids": [catalog["id"]]}).json()
    expired = HTTP.get(created["signed_url"])
    assert expired.status_code == 403
    assert b"AuthenticationFailed" in expired.content
    sb.configure(url_ttl_seconds=3600)
    fresh = api.get(f"{sb.api_url}/v0/catalogs/download/{created['id']}").json()["signed_url"]
    assert fresh != created["signed_url"]
    assert HTTP.get(fresh).status_code == 200


def test_catalog_downloads_are_not_aoi_downloads(sb, api):
    aoi = sb.catalog.aoi_at(0)
    catalog = _search(sb, api)["catalogs"][0]
    download = api.post(f"{sb.api_url}/v0/catalogs/download",
                        json={"catalog_ids": [catalog["id"]]}).json()
    assert api.get(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads/{download['id']}") \
        .status_code == 404


# -- faults on the new endpoints -----------------------------------------------------------------


def test_faults_on_catalog_download_polls_and_storage(sb, api):
    catalog = _search(sb, api)["catalogs"][0]
    created = api.post(f"{sb.api_url}/v0/catalogs/download",
                       json={"catalog_ids": [catalog["id"]]}).json()
    url = f"{sb.api_url}/v0/catalogs/download/{created['id']}"
    sb.faults.add("catalog_download_status", "rate_limit", retry_after="2")
    limited = api.get(url)
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "2"
    assert limited.json()["error"]["code"] == "TOO_MANY_REQUESTS"
    signed = api.get(url).json()["signed_url"]
    size = int(HTTP.head(signed).headers["Content-Length"])
    sb.faults.add("storage", "drop", at=0.5)
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        HTTP.get(signed)
    sb.faults.add("storage", "expired_url")
    assert HTTP.get(signed).status_code == 403
    assert len(HTTP.get(signed).content) == size
    assert [r.fault for r in sb.requests if r.endpoint in ("catalog_download_status",
                                                            "storage")] == \
        ["rate_limit", None, None, "drop", "expired_url", None]


@pytest.mark.parametrize(("endpoint", "call"), [
    ("catalogs_search", lambda sb, api: api.post(f"{sb.api_url}/v0/catalogs/search", json={})),
    ("catalog_download_create", lambda sb, api: api.post(
        f"{sb.api_url}/v0/catalogs/download",
        json={"catalog_ids": [sb.purchases.catalogs()[0].id]})),
    ("orders", lambda sb, api: api.get(f"{sb.api_url}/v0/orders")),
    ("order_items", lambda sb, api: api.get(f"{sb.api_url}/v0/order-items")),
    ("order_create", lambda sb, api: api.post(f"{sb.api_url}/v0/orders",
                                              json=sb.order_body(dry_run=True))),
    ("bandsets", lambda sb, api: api.get(f"{sb.api_url}/v0/bandsets")),
])
def test_5xx_and_429_faults_fire_on_the_new_endpoints(sb, api, endpoint, call):
    sb.faults.add(endpoint, "status", status=503)
    sb.faults.add(endpoint, "rate_limit", nth=2)
    first, second, third = call(sb, api), call(sb, api), call(sb, api)
    assert (first.status_code, second.status_code) == (503, 429)
    assert first.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert third.status_code in (200, 201)
    assert [r.fault for r in sb.requests if r.endpoint == endpoint] == \
        ["status", "rate_limit", None]


def test_a_faulted_order_post_places_nothing(sb, api):
    before = len(sb.purchases.orders)
    sb.faults.add("order_create", "status", status=500)
    assert api.post(f"{sb.api_url}/v0/orders", json=sb.order_body()).status_code == 500
    assert len(sb.purchases.orders) == before


# -- ordering ------------------------------------------------------------------------------------


def test_dry_run_prices_are_deterministic_from_area_and_bands(sb, api):
    aoi_km2 = sb.catalog.aoi_at(0)["area_in_sq_m"] / 1e6
    area = math.ceil(aoi_km2)
    image = sb.archive.items_of_aoi(0)[0]
    archive = [api.post(f"{sb.api_url}/v0/orders", json=sb.order_body(dry_run=True)).json()
               for _ in range(2)]
    assert archive[0]["order_items"][0]["created_at"] != ""
    for answer in archive:
        answer.pop("created_at"), answer.pop("updated_at")
        for item in answer["order_items"]:
            for key in ("created_at", "updated_at", "last_feasibility_check"):
                item.pop(key)
    assert archive[0] == archive[1]
    item = archive[0]["order_items"][0]
    assert item["area"] == area
    bands = len(image.spec.wavelengths_nm)
    assert item["base_amount"] == pytest.approx(max(area, 25) * bands * 0.4)
    assert item["final_amount"] == item["base_amount"] + sum(u["amount"] for u in item["uplifts"])
    assert archive[0]["total_amount"] == item["final_amount"]
    assert (archive[0]["id"], archive[0]["status"], item["status"]) == ("", "UNPAID", "DRAFT")
    prices = {}
    for bandset in sb.purchases.bandsets[:3]:
        body = sb.order_body(dry_run=True, tasking=True, bandset={"bandset_id": bandset["id"]})
        prices[len(bandset["bands"])] = api.post(f"{sb.api_url}/v0/orders", json=body) \
            .json()["order_items"][0]["base_amount"]
    assert prices == {n: max(area, 100) * n * 1.0 for n in prices}


def test_dry_runs_store_nothing(sb, api):
    before = api.get(f"{sb.api_url}/v0/orders").json()["pagination"]["total"]
    for tasking in (False, True):
        body = sb.order_body(dry_run=True, tasking=tasking)
        assert api.post(f"{sb.api_url}/v0/orders", json=body).status_code == 201
    assert api.get(f"{sb.api_url}/v0/orders").json()["pagination"]["total"] == before


@pytest.mark.parametrize(("fields", "feasibility", "uplifts"), [
    ({}, "SUCCESS", []),
    ({"cloud_cover": 8}, "WEAK_SUCCESS", [("Low cloud cover", 25)]),
    ({"off_nadir": 10, "cloud_cover": 10}, "WEAK_SUCCESS", [("Low cloud cover", 25),
                                                            ("Low off-nadir", 20)]),
    ({"cloud_cover": 3}, "FAILED", [("Low cloud cover", 25)]),
])
def test_tasking_feasibility_and_uplifts(sb, api, fields, feasibility, uplifts):
    dry = api.post(f"{sb.api_url}/v0/orders",
                   json=sb.order_body(dry_run=True, tasking=True, **fields)).json()
    item = dry["order_items"][0]
    assert item["feasibility_status"] == feasibility
    assert [(u["title"], u["percentage"]) for u in item["uplifts"]] == uplifts
    for uplift in item["uplifts"]:
        assert uplift["amount"] == round(item["base_amount"] * uplift["percentage"] / 100)
    real = api.post(f"{sb.api_url}/v0/orders", json=sb.order_body(tasking=True, **fields))
    assert real.status_code == (400 if feasibility == "FAILED" else 201)


def test_recurring_order_occurrences_fulfil_one_by_one(sb, api):
    sb.configure(order_ready_after_polls=1)
    body = sb.order_body(tasking=True, recurrence="MONTHLY", no_of_occurrences=3)
    del body["order_items"][0]["end_date"]
    placed = api.post(f"{sb.api_url}/v0/orders", json=body)
    assert placed.status_code == 201, placed.text
    item = placed.json()["order_items"][0]
    assert (item["type"], item["no_of_occurrences"], len(item["occurrences"])) == \
        ("RECURRING", 3, 3)
    assert ("Recurring discount", -10) in [(u["title"], u["percentage"]) for u in item["uplifts"]]
    seen = []
    for _ in range(3):
        item = _items(sb, api, ids=item["id"])[0]
        seen.append([t["status"] for t in item["tasks"]])
    assert seen == [["FULFILLED", "IN_PROGRESS", "IN_PROGRESS"],
                    ["FULFILLED", "FULFILLED", "IN_PROGRESS"],
                    ["FULFILLED", "FULFILLED", "FULFILLED"]]
    assert item["status"] == "FULFILLED"
    assert len(item["images"]) == 3


def test_a_real_archive_order_is_listed_then_fulfilled_then_downloadable(sb, api, tmp_path):
    sb.configure(order_ready_after_polls=2)
    body = sb.order_body()
    placed = api.post(f"{sb.api_url}/v0/orders", json=body)
    assert placed.status_code == 201
    order = placed.json()
    assert (order["status"], order["order_items"][0]["status"]) == ("PAID", "ACTIVE")
    listed = api.get(f"{sb.api_url}/v0/orders").json()["orders"][0]  # poll 1 (any listing)
    assert (listed["id"], listed["order_items"][0]["status"]) == (order["id"], "ACTIVE")
    assert _items(sb, api, order_ids=order["id"])[0]["status"] == "FULFILLED"  # poll 2
    catalogs = _search(sb, api, order_ids=[order["id"]])["catalogs"]
    assert [c["details"]["id"] for c in catalogs] == body["order_items"][0]["item_ids"]
    status = _ready(sb, api, {"catalog_ids": [catalogs[0]["id"]]})
    assert list(_geotiffs(HTTP.get(status["signed_url"]).content, tmp_path)) == \
        body["order_items"][0]["item_ids"]


def test_a_real_tasking_order_delivers_a_new_capture_with_the_bandsets_bands(sb, api, tmp_path):
    sb.configure(order_ready_after_polls=0)
    bandset = sb.purchases.bandsets[1]
    body = sb.order_body(tasking=True, bandset={"bandset_id": bandset["id"]})
    order = api.post(f"{sb.api_url}/v0/orders", json=body).json()
    item = _items(sb, api, order_ids=order["id"])[0]
    assert item["status"] == "FULFILLED"
    capture = item["images"][0]["item_id"]
    assert capture.startswith("FF0")
    assert sb.archive.item(capture) is None  # a new product, not an archive one
    status = _ready(sb, api, {"order_item_ids": [item["id"]]})
    bands, box = _geotiffs(HTTP.get(status["signed_url"]).content, tmp_path)[capture]
    assert bands == len(bandset["bands"])
    ring = sb.catalog.aoi_at(0)["geometry"]["coordinates"][0]
    assert box[0] < min(p[0] for p in ring) < max(p[0] for p in ring) < box[2]
    thumbnail = _search(sb, api, item_ids=[capture])["catalogs"][0]["details"]["assets"]
    assert HTTP.get(thumbnail["thumbnail"]["href"]).content[:4] == b"\x89PNG"


def test_the_viewer_key_reads_but_may_not_order(sb, api):
    viewer = TimedSession()
    viewer.headers["Authorization"] = sb.viewer_key
    for dry_run in (True, False):
        refused = viewer.post(f"{sb.api_url}/v0/orders", json=sb.order_body(dry_run=dry_run))
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "FORBIDDEN"
        assert refused.json()["error"]["details"] == {"permission": "orders:create"}
    assert viewer.get(f"{sb.api_url}/v0/orders").status_code == 200
    assert viewer.post(f"{sb.api_url}/v0/catalogs/search", json={}).status_code == 200
    assert viewer.get(f"{sb.api_url}/v0/aois").status_code == 200
    assert sb.info()["viewer_key"] == "pixxel-viewer-key-0002"


@pytest.mark.parametrize(("change", "message"), [
    (lambda b: b.pop("order_items"), "order_items is required"),
    (lambda b: b["order_items"].clear(), "at least one order item"),
    (lambda b: b["order_items"][0].pop("usecase"), "usecase is required"),
    (lambda b: b["order_items"][0]["geometry"]["features"][0].update(
        geometry={"type": "Point", "coordinates": [1, 2]}), "must be one of"),
    (lambda b: b["order_items"][0].pop("recurrence"), "recurrence is required"),
    (lambda b: b["order_items"][0].update(start_date="2001-01-01T00:00:00Z"), "in the past"),
    (lambda b: b["order_items"][0].update(end_date=b["order_items"][0]["start_date"]),
     "after start_date"),
    (lambda b: b["order_items"][0].update(bandset={"bandset_id": MISSING}), "bandset_id"),
    (lambda b: b["order_items"][0].update(off_nadir=60), "off_nadir"),
])
def test_invalid_order_bodies_are_400_with_the_reason(sb, api, change, message):
    body = sb.order_body(tasking=True)
    change(body)
    response = api.post(f"{sb.api_url}/v0/orders", json=body)
    assert response.status_code == 400
    assert message in str(response.json()["error"]), response.json()


def test_archive_items_outside_the_geometry_are_refused(sb, api):
    far = next(i for i in sb.archive.items if abs(i.box[0] - sb.catalog.aoi_at(0)["centroid"][0])
               > 10)
    response = api.post(f"{sb.api_url}/v0/orders", json=sb.order_body(item_ids=[far.id]))
    assert response.status_code == 400
    assert "does not intersect" in str(response.json()["error"]["details"])


def test_multipolygon_geometries_are_accepted_and_measured(sb, api):
    first, second = (sb.catalog.aoi_at(i)["geometry"]["coordinates"] for i in (0, 1))
    body = sb.order_body(dry_run=True, tasking=True)
    body["order_items"][0]["geometry"]["features"][0]["geometry"] = {
        "type": "MultiPolygon", "coordinates": [first, second]}
    response = api.post(f"{sb.api_url}/v0/orders", json=body)
    assert response.status_code == 201, response.text
    km2 = sum(sb.catalog.aoi_at(i)["area_in_sq_m"] for i in (0, 1)) / 1e6
    assert response.json()["order_items"][0]["area"] == math.ceil(km2)


def test_reset_forgets_placed_orders(sb, api):
    before = len(sb.purchases.orders)
    api.post(f"{sb.api_url}/v0/orders", json=sb.order_body())
    assert len(sb.purchases.orders) == before + 1
    sb.reset()
    assert len(sb.purchases.orders) == before
