"""The sandbox's archive (STAC collections, items, search, thumbnails from storage), indices,
visualizations and their SLD styles. Real HTTP on loopback; answers' schemas are checked in
test_sandbox_conformance.py."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest
import requests

from sandbox import Sandbox
from sandbox.api import MODULE_ROUTES
from sandbox.client import TimedSession
from sandbox.faults import ENDPOINTS

HTTP = TimedSession()
SLD_NS = {"sld": "http://www.opengis.net/sld"}


def _search(sb: Sandbox, api: requests.Session, **body: Any) -> list:
    """Every feature of a search, following the next links."""
    features: list = []
    url = f"{sb.api_url}/v0/archives/search"
    while url:
        response = api.post(url, json={"limit": 25, **body})
        assert response.status_code == 200, response.text
        page = response.json()
        features += page["features"]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    return features


def test_every_new_route_can_be_faulted():
    assert {name for _, _, name, _ in MODULE_ROUTES} <= set(ENDPOINTS)


# -- archive -------------------------------------------------------------------------------------


def test_collections_list_get_and_filter(sb, api):
    listed = api.get(f"{sb.api_url}/v0/archives/collections").json()["collections"]
    assert [c["id"] for c in listed] == ["pixxel-td1", "pixxel-td2", "pixxel-firefly"]
    one = api.get(f"{sb.api_url}/v0/archives/collections", params={"ids": "pixxel-td2"}).json()
    assert [c["id"] for c in one["collections"]] == ["pixxel-td2"]
    td2 = api.get(f"{sb.api_url}/v0/archives/collections/pixxel-td2").json()
    assert td2 == one["collections"][0]
    west, south, east, north = td2["extent"]["spatial"]["bbox"][0]
    for item in (i for i in sb.archive.items if i.collection == "pixxel-td2"):
        assert west <= item.box[0] < item.box[2] <= east
        assert south <= item.box[1] < item.box[3] <= north
    assert api.get(f"{sb.api_url}/v0/archives/collections/nope").status_code == 404


def test_archive_items_are_the_aoi_assets_products(sb, api):
    specs = {}
    for aoi in sb.catalog.aois:
        for asset in sb.catalog.assets(aoi["aoi_id"]):
            if asset["asset_type"] != "visualization":
                spec = sb.catalog.product_spec(asset["id"])
                specs[spec.name] = spec
    features = _search(sb, api)
    assert sorted(f["id"] for f in features) == sorted(specs)
    for feature in features:
        spec = specs[feature["id"]]
        assert [float(v) for v in feature["bbox"]] == [round(v, 6) for v in spec.bbox]
        assert feature["properties"]["proj:shape"] == [spec.height, spec.width]
        bands = feature["assets"]["data"]["eo:bands"]
        assert [b["center_wavelength"] * 1000 for b in bands] == \
            pytest.approx(list(spec.wavelengths_nm))
        assert {b.get("common_name") for b in bands} >= {"red", "green", "blue"}
        assert feature["properties"]["datetime"][:10] == spec.parts.acquired.isoformat()
        assert 0 <= feature["properties"]["view:sun_azimuth"] < 360
        assert 0 < feature["properties"]["view:sun_elevation"] < 90


def test_search_pages_by_limit_and_offset_with_next_links(sb, api):
    everything = _search(sb, api)
    first = api.post(f"{sb.api_url}/v0/archives/search", json={}).json()
    assert [f["id"] for f in first["features"]] == [f["id"] for f in everything[:10]]
    datetimes = [f["properties"]["datetime"] for f in everything]
    assert datetimes == sorted(datetimes, reverse=True)  # newest first
    offset = api.post(f"{sb.api_url}/v0/archives/search", json={"offset": 5, "limit": 3}).json()
    assert [f["id"] for f in offset["features"]] == [f["id"] for f in everything[5:8]]
    sb.configure(page_cap=4)
    capped = _search(sb, api)
    assert [f["id"] for f in capped] == [f["id"] for f in everything]
    last = api.post(f"{sb.api_url}/v0/archives/search",
                    json={"offset": len(everything) - 1}).json()
    assert [link["rel"] for link in last["links"]] == ["self"]


def test_collection_items_page(sb, api):
    url = f"{sb.api_url}/v0/archives/collections/pixxel-firefly/items"
    page = api.get(url, params={"limit": 2, "offset": 1}).json()
    everything = _search(sb, api, collections=["pixxel-firefly"])
    assert [f["id"] for f in page["features"]] == [f["id"] for f in everything[1:3]]
    item = everything[0]
    one = api.get(f"{url}/{item['id']}").json()
    assert one["id"] == item["id"]
    assert api.get(f"{sb.api_url}/v0/archives/collections/pixxel-td1/items/{item['id']}") \
        .status_code == 404


def test_search_filters(sb, api):
    everything = _search(sb, api)
    aoi = sb.catalog.aoi_at(0)
    near = [i.id for i in sb.archive.items_of_aoi(0)]
    cases = [
        ({"ids": near[:2]}, lambda f: f["id"] in near[:2]),
        ({"collections": ["pixxel-td1", "pixxel-td2"]},
         lambda f: f["collection"] in ("pixxel-td1", "pixxel-td2")),
        ({"datetime": "2024-06-01T00:00:00Z/2024-12-31T23:59:59Z"},
         lambda f: "2024-06-01" <= f["properties"]["datetime"][:10] <= "2024-12-31"),
        ({"datetime": "../2024-01-01T00:00:00Z"},
         lambda f: f["properties"]["datetime"] < "2024-01-01"),
        ({"query": {"eo:cloud_cover": {"lt": 5}}}, lambda f: f["properties"]["eo:cloud_cover"] < 5),
        ({"query": {"cloudcover": {"gte": 5, "lte": 20}}},
         lambda f: 5 <= f["properties"]["eo:cloud_cover"] <= 20),
        ({"query": {"view:off_nadir": {"lt": 10}, "platform": {"in": ["TD2", "FF03"]}}},
         lambda f: f["properties"]["view:off_nadir"] < 10
         and f["properties"]["platform"] in ("TD2", "FF03")),
        ({"query": {"bands": {"eq": ["B001", "B067"]}}},
         lambda f: {"B001", "B067"} <= {b["name"] for b in f["assets"]["data"]["eo:bands"]}),
    ]
    for body, wanted in cases:
        found = [f["id"] for f in _search(sb, api, **body)]
        assert found == [f["id"] for f in everything if wanted(f)], body
        assert 0 < len(found) < len(everything), body
    by_aoi = {f["id"] for f in _search(sb, api, intersects=aoi["geometry"])}
    assert set(near) <= by_aoi
    ring = aoi["geometry"]["coordinates"][0]
    box = [min(p[0] for p in ring), min(p[1] for p in ring), max(p[0] for p in ring),
           max(p[1] for p in ring)]
    assert {f["id"] for f in _search(sb, api, bbox=box)} == by_aoi
    pacific = [179.0, -20.0, -179.0, -10.0]  # crosses the antimeridian: nothing there
    assert _search(sb, api, bbox=pacific) == []
    point = {"type": "Point", "coordinates": aoi["centroid"]}
    assert set(near) <= {f["id"] for f in _search(sb, api, intersects=point)}


def test_search_sorts(sb, api):
    for sortby, key, descending in (
        ([{"field": "properties.eo:cloud_cover", "direction": "asc"}], "eo:cloud_cover", False),
        ([{"field": "properties->>'view:off_nadir'", "direction": "desc"}], "view:off_nadir",
         True),
        ([{"datetime": "asc"}], "datetime", False),
    ):
        values = [f["properties"][key] for f in _search(sb, api, sortby=sortby)]
        assert values == sorted(values, reverse=descending), sortby


@pytest.mark.parametrize("body", [
    {"bbox": [1, 2, 3]}, {"bbox": [0, 10, 1, 5]}, {"datetime": "2024-13-01"},
    {"datetime": "2025-01-01T00:00:00Z/2024-01-01T00:00:00Z"},
    {"query": {"eo:cloud_cover": {"near": 3}}}, {"query": {"eo:cloud_cover": {"lt": "ten"}}},
    {"sortby": [{"field": "datetime", "direction": "sideways"}]}, {"limit": "ten"},
    {"intersects": {"type": "Blob", "coordinates": []}}, {"offset": -1},
])
def test_bad_searches_are_400(sb, api, body):
    response = api.post(f"{sb.api_url}/v0/archives/search", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_stac_bbox_number_variant(sb, api):
    sb.configure(stac_bbox="number")
    feature = api.post(f"{sb.api_url}/v0/archives/search", json={"limit": 1}).json()["features"][0]
    assert all(isinstance(v, float) for v in feature["bbox"])


def test_thumbnails_are_signed_range_capable_pngs(sb, api):
    feature = api.post(f"{sb.api_url}/v0/archives/search", json={"limit": 1}).json()["features"][0]
    href = feature["assets"]["thumbnail"]["href"]
    assert href.startswith(f"{sb.storage_url}/previews/{feature['id']}/")
    whole = HTTP.get(href)
    assert whole.status_code == 200
    assert whole.headers["Content-Type"] == "image/png"
    assert whole.content[:8] == b"\x89PNG\r\n\x1a\n"
    part = HTTP.get(href, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part.content == whole.content[:100]
    assert HTTP.get(href.split("?")[0]).status_code == 403  # unsigned
    sb.faults.add("storage", "expired_url")
    assert HTTP.get(href).status_code == 403
    assert HTTP.get(f"{sb.storage_url}/previews/nope/nope.png?"
                    f"{href.split('?')[1]}").status_code == 403  # signature is per path


def test_thumbnail_shows_the_products_scene(sb, api):
    from osgeo import gdal

    feature = api.post(f"{sb.api_url}/v0/archives/search", json={"limit": 1}).json()["features"][0]
    path = f"/vsimem/{feature['id']}.png"
    gdal.FileFromMemBuffer(path, HTTP.get(feature["assets"]["thumbnail"]["href"]).content)
    try:
        png = gdal.Open(path)
        assert png.RasterCount == 4  # RGB + alpha (nodata transparent)
        assert max(png.RasterXSize, png.RasterYSize) == 256
        assert png.GetRasterBand(1).ComputeRasterMinMax() != (0, 0)
    finally:
        gdal.Unlink(path)


def test_archive_faults(sb, api):
    sb.faults.add("archive_search", "status", status=502, times=2)
    statuses = [api.post(f"{sb.api_url}/v0/archives/search", json={}).status_code
                for _ in range(3)]
    assert statuses == [502, 502, 200]
    sb.faults.add("archive_collections", "invalid_json")
    with pytest.raises(ValueError, match="Expecting|Unterminated|Invalid"):
        api.get(f"{sb.api_url}/v0/archives/collections").json()


# -- indices, visualizations, SLD ----------------------------------------------------------------


def test_indices_filter_and_page(sb, api):
    everything = api.get(f"{sb.api_url}/v0/indices", params={"limit": 100}).json()
    total = everything["pagination"]["total"]
    assert total == len(everything["indices"]) == 6 * 8 + 2
    td2 = sb.catalog.aoi_at(0)["satellite_id"]
    for params, wanted in (
        ({"satellite_id": td2}, lambda i: i["satellite_id"] == td2),
        ({"type": "custom"}, lambda i: i["type"] == "custom"),
        ({"expression_type": "composite"}, lambda i: i["expression_type"] == "composite"),
        ({"index_id": everything["indices"][3]["id"]},
         lambda i: i["id"] == everything["indices"][3]["id"]),
    ):
        found = api.get(f"{sb.api_url}/v0/indices", params={**params, "limit": 100}).json()
        assert found["indices"] == [i for i in everything["indices"] if wanted(i)], params
        assert found["indices"]
    page = api.get(f"{sb.api_url}/v0/indices", params={"offset": 10, "limit": 5}).json()
    assert page["indices"] == everything["indices"][10:15]


def test_ndvi_uses_the_satellites_bands_nearest_nir_and_red(sb, api):
    satellite = next(s for s in sb.catalog.satellites if s["name"] == "Pixxel-TD1")
    ndvi = next(i for i in api.get(f"{sb.api_url}/v0/indices",
                                   params={"satellite_id": satellite["id"]}).json()["indices"]
                if i["name"] == "NDVI")
    nearest = {nm: min(satellite["bands"], key=lambda b, nm=nm: abs(b["wavelength"] - nm))["name"]
               for nm in (860, 650)}
    assert ndvi["expression"] == f"({nearest[860]} - {nearest[650]}) / " \
                                 f"({nearest[860]} + {nearest[650]})"
    assert (ndvi["rescale"], ndvi["colormap"], ndvi["expression_type"]) == \
        ([-1, 1], "RdYlGn", "index")


def test_visualizations_are_the_aois_visualization_assets(sb, api):
    aoi, asset = sb.atlas.visualized()
    url = f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/visualizations"
    listed = api.get(url).json()["visualization"]
    expected = [a for a in sb.catalog.assets(aoi["aoi_id"]) if a["asset_type"] == "visualization"]
    assert [v["id"] for v in listed] == [a["visualization_id"] for a in expected]
    assert listed[0]["status"] == "success"
    index = next(i for i in sb.atlas.indices if i["id"] == listed[0]["index_id"])
    assert (index["satellite_id"], index["expression_type"]) == (aoi["satellite_id"], "index")
    for params in ({"visualization_id": asset["visualization_id"]},
                   {"index_id": index["id"]}, {"type": "preset"}, {"expression_type": "index"}):
        assert asset["visualization_id"] in [v["id"] for v in api.get(url, params=params)
                                             .json()["visualization"]], params
    assert api.get(url, params={"type": "custom"}).json()["visualization"] == []
    first = api.get(f"{sb.api_url}/v0/aois/{sb.catalog.aoi_at(0)['aoi_id']}/visualizations")
    assert first.json() == {"visualization": [],
                            "pagination": {"limit": 10, "offset": 0, "total": 0}}


def _entries(xml: str) -> list:
    root = ElementTree.fromstring(xml.encode())  # noqa: S314 - the sandbox's own answer
    assert root.tag == "{http://www.opengis.net/sld}StyledLayerDescriptor"
    assert root.get("version") == "1.0.0"
    colour_map = root.find("sld:NamedLayer/sld:UserStyle/sld:FeatureTypeStyle/sld:Rule/"
                           "sld:RasterSymbolizer/sld:ColorMap", SLD_NS)
    return [(e.get("color"), float(e.get("quantity")), e.get("label"))
            for e in colour_map.findall("sld:ColorMapEntry", SLD_NS)]


def test_sld_ramps_the_index_for_each_mode_and_date(sb, api):
    aoi, asset = sb.atlas.visualized()
    url = f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/visualizations/{asset['visualization_id']}/sld"
    underscored = asset["date"].replace("-", "_")
    body = {"dates": [asset["date"], underscored], "visualization_modes": ["theoretical",
                                                                           "dynamic"]}
    answer = api.post(url, json=body)
    assert answer.status_code == 200
    sld = answer.json()["sld"]
    assert set(sld) == {"theoretical", "dynamic"}
    assert set(sld["dynamic"]) == {asset["date"], underscored}
    index = sb.atlas.index(api.get(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/visualizations")
                           .json()["visualization"][0]["index_id"])
    low, high = index["rescale"]
    theoretical = _entries(sld["theoretical"][asset["date"]])
    assert len(theoretical) == 7
    assert (theoretical[0][1], theoretical[-1][1]) == (low, high)
    dynamic = _entries(sld["dynamic"][asset["date"]])
    quantities = [q for _, q, _ in dynamic]
    assert quantities == sorted(quantities)
    assert low < quantities[0] < quantities[-1] < high
    assert [c for c, _, _ in dynamic] == [c for c, _, _ in theoretical]
    assert all(c.startswith("#") and len(c) == 7 for c, _, _ in dynamic)
    assert sld["dynamic"][asset["date"]] == sld["dynamic"][underscored]
    assert api.post(url, json=body).json() == answer.json()  # deterministic


def test_sld_refusals(sb, api):
    aoi, asset = sb.atlas.visualized()
    base = f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/visualizations"
    url = f"{base}/{asset['visualization_id']}/sld"
    unknown = api.post(url, json={"dates": ["1999-01-01"], "visualization_modes": ["dynamic"]})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["details"] == {"unknown_dates": ["1999-01-01"],
                                                  "available_dates": [asset["date"]]}
    assert api.post(url, json={"dates": [asset["date"]]}).status_code == 400
    failed_aoi, failed = sb.atlas.visualized("failed")
    refused = api.post(f"{sb.api_url}/v0/aois/{failed_aoi['aoi_id']}/visualizations/"
                       f"{failed['visualization_id']}/sld",
                       json={"dates": [failed["date"]], "visualization_modes": ["dynamic"]})
    assert refused.status_code == 400
    assert "not ready" in refused.json()["error"]["message"]
    other = sb.catalog.aoi_at(0)["aoi_id"]
    assert api.post(f"{sb.api_url}/v0/aois/{other}/visualizations/{asset['visualization_id']}"
                    f"/sld", json={"dates": [], "visualization_modes": []}).status_code == 404
