"""Every sandbox API answer the plugin relies on, validated against Pixxel's own openapi.json.

Statuses the spec declares for an operation are validated with openapi-core (status, content
type and body schema). Some errors the API really sends are not declared (403 on GET /v0/aois,
/v0/satellites and /v0/projects, 400 on the download POST, 405 anywhere): for those the test
checks Pixxel's documented error envelope ``{"error": {"code", "message", "details"}}`` itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from sandbox import Sandbox
from sandbox.client import TimedSession

HTTP = TimedSession()

SPEC_HOST = "https://api.pixxel.space"  # the spec's server; openapi-core matches paths against it
MISSING = "00000000-0000-4000-8000-000000000000"


REPO_ROOT = Path(__file__).resolve().parents[2]
# The contract travels with the sandbox so a clone alone can run this test; the published original
# lives in the shared folder beside the repository, and the copy must stay byte-identical to it.
VENDORED_SPEC = REPO_ROOT / "sandbox" / "openapi.json"
PUBLISHED_SPEC = REPO_ROOT.parent / "shared" / "pixxel" / "openapi.json"
PUBLISHED_SHA256 = (  # the digest API.md records for Pixxel's document
    "b501e2ca5a9d0511a92c60c856d72bfae6c5db6815e94fbf319ebe8d90df6e66"  # pragma: allowlist secret
)


def test_vendored_spec_is_pixxels_published_document():
    vendored = VENDORED_SPEC.read_bytes()
    assert hashlib.sha256(vendored).hexdigest() == PUBLISHED_SHA256
    if PUBLISHED_SPEC.is_file():
        assert vendored == PUBLISHED_SPEC.read_bytes(), "copy ../shared/pixxel/openapi.json again"


@pytest.fixture(scope="module")
def spec() -> dict:
    path = Path(os.environ.get("PIXXEL_OPENAPI") or VENDORED_SPEC)
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def openapi(spec: dict):
    from openapi_core import OpenAPI

    return OpenAPI.from_dict(spec)


@pytest.fixture(scope="module")
def sandbox(start_sandbox) -> Sandbox:
    return start_sandbox()


@pytest.fixture
def sb(sandbox: Sandbox) -> Sandbox:
    sandbox.reset()
    return sandbox


@pytest.fixture
def schema_problems(openapi):
    """What Pixxel's spec finds wrong with a response (or with ``content`` in its place): a
    short description, or None when it validates."""
    from openapi_core.testing import MockRequest, MockResponse

    def problems(response: requests.Response, content: Any = None) -> Any:
        url = urlsplit(response.request.url)
        request = MockRequest(SPEC_HOST, response.request.method, url.path,
                              args=dict(parse_qsl(url.query)),
                              headers=dict(response.request.headers))
        body = response.content if content is None else json.dumps(content).encode()
        content_type = response.headers.get("Content-Type", "")
        try:
            openapi.validate_response(request, MockResponse(body, response.status_code,
                                                            dict(response.headers), content_type))
        except Exception as exc:  # keep the report short: the body can be huge
            errors = getattr(exc, "schema_errors", None) or getattr(exc.__cause__, "schema_errors",
                                                                    None)
            return "; ".join(e.message[:300] for e in errors) if errors else str(exc)[:500]
        return None

    return problems


@pytest.fixture
def conforms(spec: dict, schema_problems):
    """Assert that a response is what Pixxel's spec allows; returns "spec" or "envelope"."""

    def check(response: requests.Response) -> str:
        url = urlsplit(response.request.url)
        operation = _operation(spec, response.request.method, url.path)
        assert operation is not None, f"{response.request.method} {url.path} is not in the spec"
        if str(response.status_code) not in operation["responses"]:
            _assert_error_envelope(response)
            return "envelope"
        detail = schema_problems(response)
        if detail:
            pytest.fail(f"{response.request.method} {url.path} -> {response.status_code}: {detail}")
        return "spec"

    return check


def _operation(spec: dict, method: str, path: str):
    for template, item in spec["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return item.get(method.lower())
    return None


def _assert_error_envelope(response: requests.Response) -> None:
    assert response.status_code >= 400
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert isinstance(error["code"], str)
    assert error["code"]
    assert isinstance(error["message"], str)
    assert error["message"]
    assert "details" in error


def _first(sb: Sandbox) -> tuple:
    aoi = sb.catalog.aoi_at(0)
    assets = [a for a in sb.catalog.assets(aoi["aoi_id"]) if a["status"] == "success"]
    return aoi, assets


# -- success paths ---------------------------------------------------------------------------------


def test_ping_needs_no_key_and_answers_a_json_string(sb, conforms):
    response = HTTP.get(f"{sb.api_url}/ping")
    assert response.status_code == 200
    assert response.json() == "pong"
    assert conforms(response) == "spec"


def test_projects_have_the_spec_shape(sb, api, conforms):
    response = api.get(f"{sb.api_url}/v0/projects")
    assert conforms(response) == "spec"
    body = response.json()
    assert body["count"] == len(body["projects"]) >= 3
    assert set(body["projects"][0]) == {"id", "name", "title", "org_id", "members_count",
                                        "created_at", "updated_at", "metadata"}


def test_projects_page_by_page_num_and_page_size(sb, api, conforms):
    everything = [p["id"] for p in sb.catalog.projects]
    response = api.get(f"{sb.api_url}/v0/projects", params={"page_num": 2, "page_size": 2})
    conforms(response)
    assert [p["id"] for p in response.json()["projects"]] == everything[2:4]
    assert response.json()["count"] == len(everything)


def test_aois_default_page(sb, api, conforms):
    response = api.get(f"{sb.api_url}/v0/aois")
    assert conforms(response) == "spec"
    body = response.json()
    assert body["pagination"] == {"limit": 10, "offset": 0, "total": 30}
    assert len(body["aois"]) == 10
    first = body["aois"][0]
    assert first["aoi_id"] == sb.catalog.aoi_at(0)["aoi_id"]
    assert first["status"] == "success"
    ring = first["geometry"]["coordinates"][0]
    assert first["geometry"]["type"] == "Polygon"
    assert ring[0] == ring[-1]
    assert 6 <= len(ring) <= 10  # 5-9 vertices, closed


def test_aois_offset_limit_walk_every_aoi_once(sb, api, conforms):
    seen = []
    for offset in range(0, 30, 8):
        response = api.get(f"{sb.api_url}/v0/aois", params={"offset": offset, "limit": 8})
        conforms(response)
        seen += [a["aoi_id"] for a in response.json()["aois"]]
    assert seen == [a["aoi_id"] for a in sb.catalog.aois]


@pytest.mark.parametrize("param", ["project_ids", "project_id"])
def test_aois_filter_by_project(sb, api, conforms, param):
    wanted = {p["id"] for p in sb.catalog.projects[:2]}
    response = api.get(f"{sb.api_url}/v0/aois",
                       params={param: ",".join(sorted(wanted)), "limit": 100})
    conforms(response)
    aois = response.json()["aois"]
    expected = [a["aoi_id"] for a in sb.catalog.aois if a["project_id"] in wanted]
    assert [a["aoi_id"] for a in aois] == expected
    assert response.json()["pagination"]["total"] == len(expected) > 0


def test_aois_filter_by_name_is_a_case_insensitive_substring(sb, api, conforms):
    response = api.get(f"{sb.api_url}/v0/aois", params={"aoi_name": "PUNJAB WHEAT"})
    conforms(response)
    names = [a["name"] for a in response.json()["aois"]]
    assert names
    assert all("punjab wheat" in n.lower() for n in names)


def test_aois_filter_by_id_and_date(sb, api, conforms):
    aoi = sb.catalog.aoi_at(3)
    by_id = api.get(f"{sb.api_url}/v0/aois", params={"aoi_id": aoi["aoi_id"]})
    conforms(by_id)
    assert [a["aoi_id"] for a in by_id.json()["aois"]] == [aoi["aoi_id"]]
    by_day = api.get(f"{sb.api_url}/v0/aois", params={"created_at": aoi["created_at"][:10]})
    conforms(by_day)
    assert aoi["aoi_id"] in [a["aoi_id"] for a in by_day.json()["aois"]]


def test_one_aoi_by_its_singular_path(sb, api, conforms):
    aoi = sb.catalog.aoi_at(0)
    response = api.get(f"{sb.api_url}/v0/aoi/{aoi['aoi_id']}")
    assert conforms(response) == "spec"
    assert response.json() == aoi


def test_assets_of_an_aoi(sb, api, conforms):
    aoi, downloadable = _first(sb)
    response = api.get(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/assets")
    assert conforms(response) == "spec"
    body = response.json()
    assert body["pagination"]["total"] == len(body["assets"]) >= 2
    assert len(downloadable) >= 2
    assert not body["assets"][0]["path"].startswith("http")  # internal address, not a link
    paged = api.get(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/assets",
                    params={"offset": 1, "limit": 1})
    conforms(paged)
    assert [a["id"] for a in paged.json()["assets"]] == [body["assets"][1]["id"]]


def test_download_request_then_status(sb, api, conforms):
    aoi, assets = _first(sb)
    created = api.post(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads",
                       json={"asset_ids": [assets[0]["id"]]})
    assert created.status_code == 201
    assert conforms(created) == "spec"
    assert created.json()["status"] == "PENDING"
    assert created.json()["signed_url"] == ""
    status = api.get(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads/"
                     f"{created.json()['download_id']}")
    assert conforms(status) == "spec"
    assert status.json()["status"] == "SUCCESS"
    assert status.json()["signed_url"].startswith(f"{sb.storage_url}/deliveries/")


def test_download_is_ready_at_once_without_required_polls(sb, api, conforms):
    sb.configure(ready_after_polls=0)
    aoi, assets = _first(sb)
    created = api.post(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads",
                       json={"asset_ids": [a["id"] for a in assets]})
    conforms(created)
    assert created.json()["status"] == "SUCCESS"
    assert created.json()["signed_url"]


def test_satellites(sb, api, conforms):
    response = api.get(f"{sb.api_url}/v0/satellites")
    assert conforms(response) == "spec"
    satellites = {s["name"]: s for s in response.json()["satellites"]}
    assert satellites["Pixxel-TD1"]["id"] == "0004ab8d-0ad1-4d62-8a3f-fe18a7000e70"
    assert set(satellites["Pixxel-TD2"]["rgb_composite"]) == {"red", "green", "blue"}


@pytest.mark.parametrize(("option", "value"), [
    ("status_case", "lower"), ("satellite_field", "lens_satellite_id"),
    ("timestamp_style", "space"), ("timestamp_style", "z"),
])
def test_data_variants_stay_schema_valid(sb, api, conforms, option, value):
    sb.configure(**{option: value, "ready_after_polls": 0})
    aoi, assets = _first(sb)
    for response in (
        api.get(f"{sb.api_url}/v0/aois"),
        api.get(f"{sb.api_url}/v0/aoi/{aoi['aoi_id']}"),
        api.get(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/assets"),
        api.get(f"{sb.api_url}/v0/projects"),
        api.post(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads",
                 json={"asset_ids": [assets[0]["id"]]}),
    ):
        assert conforms(response) == "spec"


# -- error paths -----------------------------------------------------------------------------------


def _calls(sb: Sandbox) -> list:
    aoi, assets = _first(sb)
    base, aoi_id = sb.api_url, aoi["aoi_id"]
    return [
        ("GET", f"{base}/v0/projects", None),
        ("GET", f"{base}/v0/aois", None),
        ("GET", f"{base}/v0/aoi/{aoi_id}", None),
        ("GET", f"{base}/v0/aois/{aoi_id}/assets", None),
        ("POST", f"{base}/v0/aois/{aoi_id}/downloads", {"asset_ids": [assets[0]["id"]]}),
        ("GET", f"{base}/v0/aois/{aoi_id}/downloads/{MISSING}", None),
        ("GET", f"{base}/v0/satellites", None),
        *((method, f"{base}{path}", body) for method, path, body in _new_calls(sb).values()),
    ]


@pytest.mark.parametrize("key", [None, "not-a-key", "Bearer not-a-key"])
def test_every_endpoint_refuses_a_missing_or_wrong_key_with_403(sb, conforms, key):
    headers = {} if key is None else {"Authorization": key}
    for method, url, body in _calls(sb):
        response = HTTP.request(method, url, json=body, headers=headers)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "FORBIDDEN"
        conforms(response)


def test_bearer_prefixed_key_is_accepted(sb, conforms):
    response = HTTP.get(f"{sb.api_url}/v0/aois", headers={"Authorization": f"Bearer {sb.api_key}"})
    assert response.status_code == 200
    conforms(response)


def test_unknown_aoi_is_404_everywhere(sb, api, conforms):
    base = sb.api_url
    for response in (
        api.get(f"{base}/v0/aoi/{MISSING}"),
        api.get(f"{base}/v0/aois/{MISSING}/assets"),
        api.post(f"{base}/v0/aois/{MISSING}/downloads", json={"asset_ids": ["x"]}),
        api.get(f"{base}/v0/aois/{MISSING}/downloads/{MISSING}"),
    ):
        assert response.status_code == 404, response.request.url
        assert conforms(response) == "spec"
        assert response.json()["error"]["code"] == "NOT_FOUND"


def test_unknown_download_is_404(sb, api, conforms):
    aoi, _ = _first(sb)
    response = api.get(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads/{MISSING}")
    assert response.status_code == 404
    assert conforms(response) == "spec"


@pytest.mark.parametrize("body", [
    b"{not json", b"[]", b'{"asset_ids": []}', b'{"asset_ids": "one"}', b'{"asset_ids": [1]}',
    b'{"other": 1}',
])
def test_bad_download_body_is_400(sb, api, conforms, body):
    aoi, _ = _first(sb)
    response = api.post(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads", data=body,
                        headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert conforms(response) == "envelope"  # 400 is not declared for this operation


def test_assets_of_another_aoi_or_not_ready_are_400(sb, api, conforms):
    aoi, _ = _first(sb)
    other = sb.catalog.assets(sb.catalog.aoi_at(1)["aoi_id"])[0]["id"]
    not_ready = [a["id"] for a in sb.catalog.assets(aoi["aoi_id"]) if a["status"] != "success"]
    assert not_ready  # the first AOI has one asset still "creating"
    for ids, detail in ((["nope", other], "asset_ids"), (not_ready, "asset_statuses")):
        response = api.post(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads",
                            json={"asset_ids": ids})
        assert response.status_code == 400
        conforms(response)
        assert detail in response.json()["error"]["details"]


@pytest.mark.parametrize("params", [{"offset": -1}, {"limit": 0}, {"limit": "ten"}])
def test_bad_paging_is_400(sb, api, params):
    response = api.get(f"{sb.api_url}/v0/aois", params=params)
    assert response.status_code == 400
    _assert_error_envelope(response)


def test_unknown_path_and_wrong_method(sb, api):
    unknown = api.get(f"{sb.api_url}/v0/nothing-here")
    assert unknown.status_code == 404
    _assert_error_envelope(unknown)
    wrong = api.delete(f"{sb.api_url}/v0/aois")
    assert wrong.status_code == 405
    _assert_error_envelope(wrong)


# -- purchased imagery, archive and ordering, indices and visualizations ---------------------------


def _new_calls(sb: Sandbox) -> dict:
    """A normal request to every purchased-imagery, archive and visualization endpoint."""
    order = sb.purchases.orders[0]
    item = next(i for i in sb.purchases.order_items() if i.status == "FULFILLED")
    catalog = sb.purchases.catalogs()[0]
    feature = sb.archive.items[0]
    aoi, visualization = sb.atlas.visualized()
    vis_path = f"/v0/aois/{aoi['aoi_id']}/visualizations"
    return {
        "orders": ("GET", "/v0/orders", None),
        "order": ("GET", f"/v0/orders/{order.id}", None),
        "order_items": ("GET", "/v0/order-items?limit=100", None),
        "order_item": ("GET", f"/v0/order-items/{item.id}", None),
        "bandsets": ("GET", "/v0/bandsets", None),
        "catalogs_search": ("POST", "/v0/catalogs/search", {"limit": 100}),
        "catalog": ("GET", f"/v0/catalogs/{catalog.id}", None),
        "catalog_download_create": ("POST", "/v0/catalogs/download",
                                    {"catalog_ids": [catalog.id]}),
        "catalog_download_create_by_item": ("POST", "/v0/catalogs/download",
                                            {"catalog_ids": [], "order_item_ids": [item.id]}),
        "archive_collections": ("GET", "/v0/archives/collections", None),
        "archive_collection": ("GET", f"/v0/archives/collections/{feature.collection}", None),
        "archive_collection_items": ("GET", f"/v0/archives/collections/{feature.collection}/"
                                            f"items?limit=3", None),
        "archive_item": ("GET", f"/v0/archives/collections/{feature.collection}/items/"
                                f"{feature.id}", None),
        "archive_search": ("POST", "/v0/archives/search", {
            "intersects": aoi["geometry"], "datetime": "2020-01-01T00:00:00Z/..",
            "query": {"eo:cloud_cover": {"lt": 60}}, "sortby": [{"field": "datetime",
                                                                  "direction": "desc"}]}),
        "indices": ("GET", "/v0/indices?limit=100", None),
        "visualizations": ("GET", vis_path, None),
        "visualization_sld": ("POST", f"{vis_path}/{visualization['visualization_id']}/sld",
                              {"dates": [visualization["date"]],
                               "visualization_modes": ["dynamic", "theoretical"]}),
        "order_create_dry_run": ("POST", "/v0/orders", sb.order_body(dry_run=True, tasking=True)),
        "order_create": ("POST", "/v0/orders", sb.order_body()),
    }


NEW_CALLS = ("orders", "order", "order_items", "order_item", "bandsets", "catalogs_search",
             "catalog", "catalog_download_create", "catalog_download_create_by_item",
             "archive_collections", "archive_collection", "archive_collection_items",
             "archive_item", "archive_search", "indices", "visualizations", "visualization_sld",
             "order_create_dry_run", "order_create")


@pytest.mark.parametrize("name", NEW_CALLS)
def test_new_endpoints_answer_what_the_spec_allows(sb, api, conforms, name):
    method, path, body = _new_calls(sb)[name]
    response = api.request(method, f"{sb.api_url}{path}", json=body)
    assert response.status_code in (200, 201), response.text[:500]
    assert conforms(response) == "spec"


def test_the_calls_above_reach_every_new_route_and_are_logged(sb, api):
    from sandbox.api import MODULE_ROUTES

    calls = _new_calls(sb)
    assert set(calls) == set(NEW_CALLS)
    for method, path, body in calls.values():
        api.request(method, f"{sb.api_url}{path}", json=body)
    download = api.post(f"{sb.api_url}/v0/catalogs/download",
                        json={"catalog_ids": [sb.purchases.catalogs()[0].id]}).json()
    api.get(f"{sb.api_url}/v0/catalogs/download/{download['id']}")
    logged = {r.endpoint for r in sb.requests}
    assert logged == {name for _, _, name, _ in MODULE_ROUTES}


def test_catalog_download_statuses_conform_from_created_to_success(sb, api, conforms):
    sb.configure(ready_after_polls=2)
    catalog = sb.purchases.catalogs()[0]
    created = api.post(f"{sb.api_url}/v0/catalogs/download", json={"catalog_ids": [catalog.id]})
    assert conforms(created) == "spec"
    url = f"{sb.api_url}/v0/catalogs/download/{created.json()['id']}"
    polls = [api.get(url) for _ in range(2)]
    for poll in polls:
        assert conforms(poll) == "spec"
    assert [created.json()["status"]] + [p.json()["status"] for p in polls] == \
        ["created", "in_progress", "success"]
    assert polls[-1].json()["signed_url"].startswith(f"{sb.storage_url}/deliveries/")


def test_every_live_order_answer_conforms_while_it_is_fulfilled(sb, api, conforms):
    sb.configure(order_ready_after_polls=1)
    for body in (sb.order_body(), sb.order_body(tasking=True)):
        placed = api.post(f"{sb.api_url}/v0/orders", json=body)
        assert conforms(placed) == "spec"
        for _ in range(2):
            for response in (api.get(f"{sb.api_url}/v0/orders/{placed.json()['id']}"),
                             api.get(f"{sb.api_url}/v0/order-items",
                                     params={"order_ids": placed.json()["id"]}),
                             api.post(f"{sb.api_url}/v0/catalogs/search",
                                      json={"order_ids": [placed.json()["id"]]})):
                assert conforms(response) == "spec"
        assert response.json()["pagination"]["total"] >= 1


def _replace(data: Any, key: str, change: Any) -> Any:
    """``data`` with every ``key`` changed by ``change(value)`` (removed when it gives None)."""
    if isinstance(data, list):
        return [_replace(v, key, change) for v in data]
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            v = change(v) if k == key else _replace(v, key, change)
            if v is not None:
                out[k] = v
        return out
    return data


@pytest.mark.parametrize(("option", "value", "call", "key", "repair"), [
    ("delivery_status_style", "example", "catalogs_search", "delivery_status",
     lambda v: {"SUCCESSFUL": "SUCCESS", "NOT_APPLICABLE": "UNSPECIFIED"}.get(v, v)),
    ("delivery_status_style", "example", "order_items", "delivery_status",
     lambda v: v if v == "FAILED" else None),
    ("stac_bbox", "number", "archive_search", "bbox", lambda v: [str(n) for n in v]),
    ("catalog_status_case", "upper", "catalog_download_create", "status", str.lower),
])
def test_documented_variants_differ_from_the_schema_only_where_the_docs_disagree(
        sb, api, schema_problems, option, value, call, key, repair):
    method, path, body = _new_calls(sb)[call]
    url = f"{sb.api_url}{path}"
    assert schema_problems(api.request(method, url, json=body)) is None
    sb.configure(**{option: value})
    response = api.request(method, url, json=body)
    assert schema_problems(response) is not None  # the variant is off-spec ...
    assert schema_problems(response, _replace(response.json(), key, repair)) is None  # ... there


def test_new_endpoints_errors_use_pixxels_envelope(sb, api, conforms):
    base = sb.api_url
    aoi, visualization = sb.atlas.visualized()
    vis = f"{base}/v0/aois/{aoi['aoi_id']}/visualizations/{visualization['visualization_id']}/sld"
    for response, status in (
        (api.get(f"{base}/v0/orders/{MISSING}"), 404),
        (api.get(f"{base}/v0/order-items/{MISSING}"), 404),
        (api.get(f"{base}/v0/catalogs/{MISSING}"), 404),
        (api.get(f"{base}/v0/catalogs/download/{MISSING}"), 404),
        (api.get(f"{base}/v0/archives/collections/nope"), 404),
        (api.get(f"{base}/v0/archives/collections/pixxel-td1/items/nope"), 404),
        (api.get(f"{base}/v0/aois/{MISSING}/visualizations"), 404),
        (api.post(f"{base}/v0/aois/{aoi['aoi_id']}/visualizations/{MISSING}/sld",
                  json={"dates": [], "visualization_modes": []}), 404),
        (api.post(f"{base}/v0/catalogs/search", json={"limit": "ten"}), 400),
        (api.post(f"{base}/v0/catalogs/search", data=b"{"), 400),
        (api.post(f"{base}/v0/catalogs/download", json={"catalog_ids": ["x"],
                                                         "order_item_ids": ["y"]}), 400),
        (api.post(f"{base}/v0/catalogs/download", json={}), 400),
        (api.post(f"{base}/v0/catalogs/download", json={"catalog_ids": [MISSING]}), 400),
        (api.post(f"{base}/v0/archives/search", json={"bbox": [1, 2, 3]}), 400),
        (api.post(f"{base}/v0/archives/search", json={"datetime": "yesterday"}), 400),
        (api.post(f"{base}/v0/archives/search",
                  json={"query": {"eo:cloud_cover": {"about": 3}}}), 400),
        (api.post(f"{base}/v0/orders", json={"order_items": "none"}), 400),
        (api.post(f"{base}/v0/orders", json=sb.order_body(project_id=MISSING)), 400),
        (api.post(f"{base}/v0/orders", json=sb.order_body(item_ids=["nope"])), 400),
        (api.post(vis, json={"dates": ["1999-01-01"], "visualization_modes": ["dynamic"]}), 400),
        (api.post(vis, json={"dates": [visualization["date"]], "visualization_modes": ["raw"]}),
         400),
        (api.post(f"{base}/v0/orders", json=sb.order_body(),
                  headers={"Authorization": sb.viewer_key}), 403),
    ):
        assert response.status_code == status, (response.request.url, response.text[:300])
        conforms(response)
        assert response.json()["error"]["message"]
