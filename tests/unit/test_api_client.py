"""PixxelClient against the sandbox over loopback: every call, paging, filters, variants, security.

Faults, error mapping and retries are in test_api_faults.py."""

import logging
import re
from datetime import datetime, timezone

import pytest

from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.errors import BadRequestError, KeyRejectedError
from pixxel_qgis.core.pixxel.plugin_info import version
from pixxel_qgis.core.pixxel.redaction import pixxel_logger, redactor
from pixxel_qgis.core.pixxel.retry import RetryPolicy

FAST = RetryPolicy(base_delay=0.01, max_delay=0.05, deadline=10.0)


def sent(sandbox, endpoint):
    return [request for request in sandbox.requests if request.endpoint == endpoint]


@pytest.fixture
def client(sandbox):
    with PixxelClient(
        sandbox.api_key, sandbox.api_url, retry=FAST, qgis_version="3.22.16"
    ) as pixxel:
        yield pixxel


@pytest.fixture(scope="module")
def big_sandbox(tmp_path_factory):
    from sandbox import Sandbox, SandboxConfig

    config = SandboxConfig(
        data_dir=tmp_path_factory.mktemp("big-sandbox"), product_size="tiny", aoi_count=250
    )
    with Sandbox(config) as running:
        yield running


# -- calls ---------------------------------------------------------------------------------------


def test_ping_is_true_and_sends_no_key(client, sandbox):
    assert client.ping() is True
    (request,) = sent(sandbox, "ping")
    assert "Authorization" not in request.headers


def test_ping_is_false_on_an_error_status_without_retrying(client, sandbox):
    sandbox.faults.add("ping", "status", status=503, times=None)
    assert client.ping() is False
    assert len(sent(sandbox, "ping")) == 1


def test_projects_reads_the_spec_shape(client, sandbox):
    projects = client.projects()
    expected = sandbox.catalog.projects
    assert [p.id for p in projects] == [p["id"] for p in expected]
    first = projects[0]
    assert first.title == expected[0]["title"]
    assert first.display_name == expected[0]["title"]
    assert first.members_count == expected[0]["members_count"]
    assert first.metadata == expected[0]["metadata"]
    assert first.created_at == datetime.fromisoformat(expected[0]["created_at"])


@pytest.mark.parametrize("cap", [1, 3])
def test_projects_survive_a_silent_page_cap(client, sandbox, cap):
    sandbox.configure(page_cap=cap)
    projects = client.projects()
    assert [p.id for p in projects] == [p["id"] for p in sandbox.catalog.projects]
    pages = [(r.query["page_num"], r.query["page_size"]) for r in sent(sandbox, "projects")]
    # The first page reveals the cap; later pages are numbered in units of what was served.
    assert pages[0] == ("1", "100")
    assert all(size == str(cap) for _, size in pages[1:])
    assert [num for num, _ in pages] == [str(n) for n in range(1, len(pages) + 1)]


def test_aoi_page_gives_rows_total_and_offset(client, sandbox):
    page = client.aoi_page(5, 10)
    assert page.total == sandbox.catalog.aoi_count
    assert page.offset == 5
    assert [a.aoi_id for a in page.items] == [
        sandbox.catalog.aoi_at(i)["aoi_id"] for i in range(5, 15)
    ]


def test_iter_aois_reads_every_page(client, sandbox):
    aois = list(client.iter_aois(page_size=8))
    assert [a.aoi_id for a in aois] == [a["aoi_id"] for a in sandbox.catalog.aois]
    assert [r.query["offset"] for r in sent(sandbox, "aois")] == ["0", "8", "16", "24"]


def test_iter_aois_follows_total_when_the_server_caps_pages(big_sandbox):
    big_sandbox.reset()
    big_sandbox.configure(page_cap=7)
    with PixxelClient(big_sandbox.api_key, big_sandbox.api_url, retry=FAST) as client:
        first = client.aoi_page(0, 100)
        aois = client.aois()
    assert (len(first.items), first.total) == (7, 250)
    ids = [a.aoi_id for a in aois]
    assert len(ids) == len(set(ids)) == first.total
    assert ids == [a["aoi_id"] for a in big_sandbox.catalog.aois]
    listing = sent(big_sandbox, "aois")[1:]
    assert [int(r.query["offset"]) for r in listing] == list(range(0, 250, 7))
    assert {r.query["limit"] for r in listing} == {"100"}
    big_sandbox.reset()


def test_name_filter(client, sandbox):
    aois = client.aois(name="SOLAR")
    expected = [a["aoi_id"] for a in sandbox.catalog.aois if "solar" in a["name"].lower()]
    assert expected
    assert [a.aoi_id for a in aois] == expected
    assert {r.query["aoi_name"] for r in sent(sandbox, "aois")} == {"SOLAR"}


def test_aoi_id_filter(client, sandbox):
    wanted = sandbox.catalog.aoi_at(7)["aoi_id"]
    assert [a.aoi_id for a in client.aois(aoi_id=wanted)] == [wanted]


def test_one_project_is_sent_under_both_parameter_names(client, sandbox):
    project = sandbox.catalog.projects[1]["id"]
    aois = client.aois(project_ids=[project])
    expected = [a["aoi_id"] for a in sandbox.catalog.aois if a["project_id"] == project]
    assert expected
    assert [a.aoi_id for a in aois] == expected
    (request,) = sent(sandbox, "aois")
    assert (request.query["project_ids"], request.query["project_id"]) == (project, project)


def test_several_projects_are_sent_as_project_ids_only(client, sandbox):
    projects = [p["id"] for p in sandbox.catalog.projects[:2]]
    aois = client.aois(project_ids=projects)
    expected = [a["aoi_id"] for a in sandbox.catalog.aois if a["project_id"] in projects]
    assert [a.aoi_id for a in aois] == expected
    (request,) = sent(sandbox, "aois")
    assert request.query["project_ids"] == ",".join(projects)
    assert "project_id" not in request.query


def test_aoi_uses_the_singular_path(client, sandbox):
    record = sandbox.catalog.aoi_at(3)
    aoi = client.aoi(record["aoi_id"])
    assert aoi.name == record["name"]
    assert aoi.geometry == record["geometry"]
    assert aoi.centroid == tuple(record["centroid"])
    assert [r.path for r in sent(sandbox, "aoi")] == [f"/v0/aoi/{record['aoi_id']}"]


def test_assets_across_pages(client, sandbox):
    sandbox.configure(page_cap=1)
    aoi_id = sandbox.catalog.aoi_at(0)["aoi_id"]
    assets = client.assets(aoi_id)
    records = sandbox.catalog.assets(aoi_id)
    assert [a.id for a in assets] == [r["id"] for r in records]
    assert [a.is_downloadable for a in assets] == [r["status"] == "success" for r in records]
    assert len(sent(sandbox, "assets")) == len(records)


@pytest.mark.parametrize("case", ["upper", "lower"])
def test_create_download_then_poll_until_ready(client, sandbox, case):
    sandbox.configure(status_case=case)
    aoi_id = sandbox.catalog.aoi_at(0)["aoi_id"]
    ready = [a["id"] for a in sandbox.catalog.assets(aoi_id) if a["status"] == "success"]
    created = client.create_download(aoi_id, ready)
    assert created.is_pending
    assert not created.is_ready
    status = client.download_status(aoi_id, created.download_id)
    assert status.status == "success"
    assert status.is_ready
    assert not status.is_pending
    assert status.signed_url.startswith(sandbox.storage_url)
    assert status.signed_url not in repr(status)
    (post,) = sent(sandbox, "download_create")
    assert post.method == "POST"


def test_create_download_refuses_assets_that_are_not_ready(client, sandbox):
    aoi_id = sandbox.catalog.aoi_at(0)["aoi_id"]
    creating = [a["id"] for a in sandbox.catalog.assets(aoi_id) if a["status"] == "creating"]
    with pytest.raises(BadRequestError) as caught:
        client.create_download(aoi_id, creating)
    assert caught.value.status == 400
    assert caught.value.details == {"asset_statuses": {creating[0]: "creating"}}


def test_satellites_name_their_true_colour_bands(client, sandbox):
    satellites = {s.name: s for s in client.satellites()}
    assert set(satellites) == {s["name"] for s in sandbox.catalog.satellites}
    td1 = satellites["Pixxel-TD1"]
    assert td1.id == "0004ab8d-0ad1-4d62-8a3f-fe18a7000e70"
    names = {band.name for band in td1.bands}
    assert td1.rgb_band_names is not None
    assert set(td1.rgb_band_names) <= names
    assert td1.bands[0].wavelength == 450.0


# -- variants ------------------------------------------------------------------------------------


def test_lens_satellite_id_is_read_as_satellite_id(client, sandbox):
    sandbox.configure(satellite_field="lens_satellite_id")
    aoi = client.aoi_page(0, 1).items[0]
    assert aoi.satellite_id == sandbox.catalog.aoi_at(0)["satellite_id"]
    assert "lens_satellite_id" in aoi.raw
    assert "lens_satellite_id" not in aoi.extra


@pytest.mark.parametrize("style", ["iso", "space", "z"])
def test_every_timestamp_style_reads_the_same_instant(client, sandbox, style):
    sandbox.configure(timestamp_style=style)
    aoi = client.aoi_page(0, 1).items[0]
    expected = datetime.fromisoformat(sandbox.catalog.aoi_at(0)["created_at"])
    assert aoi.created_at == expected
    assert aoi.created_at.tzinfo is not None
    assert aoi.created_at.utcoffset() == timezone.utc.utcoffset(None)


# -- security ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pasted", "header"),
    [
        ("{key}", "{key}"),
        ("  {key}\n", "{key}"),
        ("{key_head}\n{key_tail}", "{key}"),  # a key wrapped over two lines when pasted
        ("Bearer {key}", "Bearer {key}"),
        ("bearer   {key}\r\n", "bearer {key}"),
    ],
)
def test_authorization_header_is_the_key_as_pixxel_wants_it(sandbox, pasted, header):
    key = sandbox.api_key
    values = {"key": key, "key_head": key[:8], "key_tail": key[8:]}
    with PixxelClient(pasted.format(**values), sandbox.api_url, retry=FAST) as client:
        client.projects()
    (request,) = sent(sandbox, "projects")
    assert request.headers["Authorization"] == header.format(**values)


@pytest.mark.parametrize("key", ["", "   \n", "Bearer   "])
def test_an_empty_key_is_rejected_before_any_request(sandbox, key):
    client = PixxelClient(key, sandbox.api_url, retry=FAST)
    with client, pytest.raises(KeyRejectedError, match="No Pixxel API key"):
        client.projects()
    assert sandbox.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://api.pixxel.space",
        "http://10.0.0.8:8080",
        "http://127.0.0.1.example.com",
        "ftp://api.pixxel.space",
        "api.pixxel.space",
        "https://api.pixxel.space/?token=x",
    ],
)
def test_unsafe_or_unusable_base_urls_are_refused(url):
    with pytest.raises(ValueError, match="Pixxel API"):
        PixxelClient("a-key-for-nothing", url)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://127.3.4.5", "http://localhost:9/", "http://[::1]:8000"],
)
def test_plain_http_is_allowed_on_loopback(url):
    with PixxelClient("a-key-for-nothing", url) as client:
        assert client.base_url == url.rstrip("/")


@pytest.mark.parametrize(
    ("qgis", "shown"),
    # Qgis.QGIS_VERSION carries the release name, which is not Latin-1 and cannot go in a header.
    [("3.22.16", "3.22.16"), ("3.22.16-Białowieża", "3.22.16"), (None, "none")],
)
def test_user_agent_names_plugin_and_qgis(sandbox, qgis, shown):
    with PixxelClient(sandbox.api_key, sandbox.api_url, qgis_version=qgis) as client:
        client.ping()
    agent = sent(sandbox, "ping")[0].headers["User-Agent"]
    assert re.fullmatch(
        rf"pixxel-qgis/{re.escape(version())} QGIS/{re.escape(shown)} python-requests/\S+", agent
    )


def test_a_key_no_header_can_carry_is_refused_before_any_request(sandbox):
    client = PixxelClient("pk-ключ", sandbox.api_url, retry=FAST)
    with client, pytest.raises(KeyRejectedError, match="characters an API key cannot have"):
        client.projects()
    assert sent(sandbox, "projects") == []


def test_the_key_never_reaches_storage_through_the_shared_gateway(client, sandbox):
    aoi_id = sandbox.catalog.aoi_at(0)["aoi_id"]
    asset = sandbox.catalog.assets(aoi_id)[0]["id"]
    download = client.create_download(aoi_id, [asset])
    url = client.download_status(aoi_id, download.download_id).signed_url
    response = client.gateway.send("GET", url)
    assert response.status_code == 200
    (storage,) = sent(sandbox, "storage")
    assert "Authorization" not in storage.headers
    assert all(sandbox.api_key not in value for value in storage.headers.values())


def test_the_key_and_signed_urls_stay_out_of_logs_and_errors(sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    key = sandbox.api_key
    with PixxelClient(f"  {key}\n", sandbox.api_url, retry=FAST) as client:
        aoi_id = sandbox.catalog.aoi_at(0)["aoi_id"]
        asset = sandbox.catalog.assets(aoi_id)[0]["id"]
        download = client.create_download(aoi_id, [asset])
        status = client.download_status(aoi_id, download.download_id)
        sandbox.faults.add("aois", "status", status=503, times=2)
        client.aois()
        # Anything that does log the key (a future debug line, a library) is scrubbed too.
        pixxel_logger().debug("headers: %s", {"Authorization": key})
        pixxel_logger().debug("fetched %s", status.signed_url)
    wrong = "pixxel-wrong-key-" + key[::-1]
    client = PixxelClient(wrong, sandbox.api_url, retry=FAST)
    with client, pytest.raises(KeyRejectedError) as caught:
        client.projects()
    signature = status.signed_url.split("sig=", 1)[1]
    assert "retry 1 of" in caplog.text  # the retries above were logged, so logs were captured
    for secret in (key, wrong, signature):
        assert secret not in caplog.text
        assert secret not in str(caught.value)
    assert redactor.redact(f"x {key} y") == "x *** y"
