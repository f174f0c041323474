"""Sandbox faults, runtime data variants, reset, the HTTP admin surface and the CLI."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

import pytest
import requests

from sandbox import Sandbox, SandboxConfig
from sandbox.client import TimedSession
from sandbox.faults import NESTED_JSON_DEPTH, parse_cli_fault

HTTP = TimedSession()

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sandbox(start_sandbox) -> Sandbox:
    return start_sandbox()


@pytest.fixture
def sb(sandbox: Sandbox) -> Sandbox:
    sandbox.reset()
    return sandbox


def _aois(sb: Sandbox, api: requests.Session, **params) -> requests.Response:
    return api.get(f"{sb.api_url}/v0/aois", params=params)


def _signed_url(sb: Sandbox, api: requests.Session) -> str:
    sb.configure(ready_after_polls=0)
    aoi = sb.catalog.aoi_at(0)
    asset = next(a for a in sb.catalog.assets(aoi["aoi_id"]) if a["status"] == "success")
    response = api.post(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads",
                        json={"asset_ids": [asset["id"]]})
    return response.json()["signed_url"]


def _raw_get(
    url: str, headers: Optional[dict] = None, timeout: float = 5.0, read_delay: float = 0.0,
    read_for: Optional[float] = None,
) -> tuple:
    """(status, headers, body, error) read off the socket: sees truncation that clients hide.
    `read_for`: stop reading after that many seconds (an answer that never ends)."""
    parts = urlsplit(url)
    lines = [f"GET {parts.path}{'?' + parts.query if parts.query else ''} HTTP/1.1",
             f"Host: {parts.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    data, error = b"", None
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        time.sleep(read_delay)
        until = None if read_for is None else time.monotonic() + read_for
        try:
            for chunk in iter(lambda: sock.recv(1 << 16), b""):
                data += chunk
                if until is not None and time.monotonic() >= until:
                    break
        except OSError as exc:
            error = exc
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), found, body, error


# -- when faults fire ------------------------------------------------------------------------------


def test_fault_fires_on_the_nth_request_for_times(sb, api):
    sb.faults.add("aois", "status", nth=2, times=2, status=503)
    statuses = [_aois(sb, api).status_code for _ in range(4)]
    assert statuses == [200, 503, 503, 200]
    assert [r.fault for r in sb.requests] == [None, "status", "status", None]
    assert all(r.endpoint == "aois" for r in sb.requests)


def test_fault_without_nth_fires_on_the_next_request(sb, api):
    _aois(sb, api)
    _aois(sb, api)
    sb.faults.add("aois", "status", status=502)
    assert [_aois(sb, api).status_code for _ in range(2)] == [502, 200]


def test_fault_with_times_none_fires_forever(sb, api):
    sb.faults.add("satellites", "status", nth=1, times=None)
    assert {api.get(f"{sb.api_url}/v0/satellites").status_code for _ in range(5)} == {500}


def test_requests_are_counted_per_endpoint(sb, api):
    aoi_id = sb.catalog.aoi_at(0)["aoi_id"]
    sb.faults.add("aoi", "status", nth=2, status=504)
    assert _aois(sb, api).status_code == 200
    assert api.get(f"{sb.api_url}/v0/aoi/{aoi_id}").status_code == 200
    assert _aois(sb, api).status_code == 200
    assert api.get(f"{sb.api_url}/v0/aoi/{aoi_id}").status_code == 504
    assert sb.faults.counts == {"aois": 2, "aoi": 2, "*": 4}


def test_any_endpoint_counts_every_request(sb, api):
    sb.faults.add("*", "status", nth=2, status=500)
    assert HTTP.get(f"{sb.api_url}/ping").status_code == 200
    assert api.get(f"{sb.api_url}/v0/projects").status_code == 500
    assert _aois(sb, api).status_code == 200


@pytest.mark.parametrize(("body", "content_type"), [
    ("pixxel", "application/json"), ("html", "text/html; charset=utf-8"), ("empty", "text/plain"),
])
def test_status_fault_bodies(sb, api, body, content_type):
    sb.faults.add("aois", "status", status=500, body=body)
    response = _aois(sb, api)
    assert response.status_code == 500
    assert response.headers["Content-Type"] == content_type
    if body == "pixxel":
        assert response.json()["error"]["code"] == "INTERNAL_SERVER_ERROR"
    elif body == "empty":
        assert response.content == b""
    else:
        assert b"<html>" in response.content


def test_status_fault_on_storage_answers_azure_xml(sb, api):
    url = _signed_url(sb, api)
    sb.faults.add("storage", "status", status=503)
    response = HTTP.get(url)
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/xml"
    assert b"<Code>ServerBusy</Code>" in response.content
    assert HTTP.get(url).status_code == 200


@pytest.mark.parametrize("retry_after", ["1", "Wed, 21 Oct 2015 07:28:00 GMT"])
def test_rate_limit(sb, api, retry_after):
    sb.faults.add("download_status", "rate_limit", retry_after=retry_after)
    aoi_id = sb.catalog.aoi_at(0)["aoi_id"]
    response = api.get(f"{sb.api_url}/v0/aois/{aoi_id}/downloads/whatever")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == retry_after
    assert response.json()["error"]["code"] == "TOO_MANY_REQUESTS"


def test_slow_delays_the_answer(sb, api):
    sb.faults.add("aois", "slow", delay=0.3)
    started = time.monotonic()
    assert _aois(sb, api).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_stall_trips_a_read_timeout_mid_body(sb, api):
    sb.faults.add("aois", "stall", seconds=3)
    started = time.monotonic()
    with pytest.raises((requests.ConnectionError, requests.Timeout)):
        api.get(f"{sb.api_url}/v0/aois", timeout=(2, 0.3))
    assert time.monotonic() - started < 2
    assert _aois(sb, api).status_code == 200  # other connections are unaffected


def test_stall_with_a_long_timeout_gets_headers_and_part_of_the_body(sb):
    sb.faults.add("ping", "stall", seconds=0.3, after_bytes=3)
    status, headers, body, _ = _raw_get(f"{sb.api_url}/ping")
    assert status == 200
    assert body == b'"po'
    assert headers["Content-Length"] == "6"


def test_drop_resets_the_connection_mid_file(sb, api):
    url = _signed_url(sb, api)
    size = int(HTTP.head(url).headers["Content-Length"])
    sb.faults.add("storage", "drop", at=0.5)
    status, headers, body, error = _raw_get(url)
    assert status == 200
    assert headers["Content-Length"] == str(size)
    assert isinstance(error, ConnectionResetError)
    assert len(body) <= size // 2


def test_drop_delivers_every_byte_before_the_cut(sb, api):
    """A reset discards what the client has not read yet; the sandbox waits for delivery first, so
    a resume test really starts from the cut and not from zero."""
    url = _signed_url(sb, api)
    size = int(HTTP.head(url).headers["Content-Length"])
    for _ in range(3):
        sb.faults.add("storage", "drop", at=0.5)
        # A client busy elsewhere (writing to disk) reads late: the bytes must still be there.
        _status, _headers, body, error = _raw_get(url, read_delay=0.3)
        assert isinstance(error, ConnectionResetError)
        assert len(body) == int(size * 0.5)


def test_drop_on_an_api_endpoint(sb, api):
    sb.faults.add("aois", "drop", after_bytes=10)
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        _aois(sb, api)


def test_short_closes_cleanly_before_the_declared_length(sb, api):
    url = _signed_url(sb, api)
    sb.faults.add("storage", "short", after_bytes=100)
    status, headers, body, error = _raw_get(url)
    assert error is None  # a clean end of stream: only counting bytes reveals the truncation
    assert status == 200
    assert len(body) == 100 < int(headers["Content-Length"])


def test_html_fault_looks_like_a_proxy_page(sb, api):
    sb.faults.add("projects", "html")
    response = api.get(f"{sb.api_url}/v0/projects")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert b"Sign in" in response.content


def test_invalid_json_fault(sb, api):
    sb.faults.add("aois", "invalid_json")
    response = _aois(sb, api)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    with pytest.raises(ValueError, match="Expecting|Unterminated|Invalid"):
        response.json()


def test_expired_url_fault_on_storage(sb, api):
    url = _signed_url(sb, api)
    sb.faults.add("storage", "expired_url")
    response = HTTP.get(url)
    assert response.status_code == 403
    assert b"Signature not valid in the specified time frame" in response.content
    assert HTTP.get(url).status_code == 200


# -- storage misbehaving (issue #13) -------------------------------------------------------------


def test_storage_error_documents_served_with_200(sb, api):
    url = _signed_url(sb, api)
    sb.faults.add("storage", "xml_error_200")
    sb.faults.add("storage", "json_error_200", nth=2, code=401, message="Login Required")
    xml, as_json, normal = HTTP.get(url), HTTP.get(url), HTTP.get(url)
    assert (xml.status_code, xml.headers["Content-Type"]) == (200, "application/xml")
    assert xml.content.startswith(b"<?xml")
    assert b"<Error><Code>AuthenticationFailed</Code><Message>Server failed" in xml.content
    assert (as_json.status_code, as_json.headers["Content-Type"]) == (200, "application/json")
    assert as_json.json()["error"]["code"] == 401
    assert as_json.json()["error"]["message"] == "Login Required"
    assert normal.content[:4] == b"PK\x03\x04"


@pytest.mark.parametrize(("dressing", "start"), [
    ("bom", b"\xef\xbb\xbf<!DOCTYPE html>"),
    ("comment", b"<!-- "),
    ("bom+comment", b"\xef\xbb\xbf<!-- "),
])
def test_html_page_in_dressing_labelled_as_a_file(sb, api, dressing, start):
    url = _signed_url(sb, api)
    sb.faults.add("storage", "html_bom_200", dressing=dressing)
    response = HTTP.get(url)
    assert (response.status_code, response.headers["Content-Type"]) == (
        200, "application/octet-stream")
    assert response.content.startswith(start)
    assert b"<title>Access Denied - Web Gateway</title>" in response.content


def test_trickle_on_storage_sends_a_fast_start_then_a_few_bytes_at_a_time(sb, api):
    url = _signed_url(sb, api)
    sb.faults.add("storage", "trickle", after_bytes=100, bytes=4, interval=0.1)
    started = time.monotonic()
    # No piece waits 0.3 s; the answer would take hours: read for 0.5 s only.
    status, headers, body, error = _raw_get(url, timeout=0.3, read_for=0.5)
    assert (status, error) == (200, None)
    assert 0.5 <= time.monotonic() - started < 1.5
    assert 100 + 8 <= len(body) <= 100 + 28  # ~5 pieces of 4 bytes after the first 100
    assert int(headers["Content-Length"]) > len(body)
    assert [r.fault for r in sb.requests if r.endpoint == "storage"] == ["trickle"]


def test_corrupt_flips_one_byte_at_the_cut(sb, api):
    url = _signed_url(sb, api)
    clean = HTTP.get(url).content
    sb.faults.add("storage", "corrupt", after_bytes=1000)
    corrupt = HTTP.get(url)
    assert corrupt.headers["Content-Length"] == str(len(clean)) == str(len(corrupt.content))
    assert [i for i, (a, b) in enumerate(zip(clean, corrupt.content)) if a != b] == [1000]
    assert corrupt.content[1000] == clean[1000] ^ 0xFF


def test_redirect_http_points_at_the_same_path_over_plain_http(sb, api):
    url = _signed_url(sb, api)
    sb.faults.add("storage", "redirect_http", times=2)
    sb.faults.add("storage", "redirect_http", nth=4, host="localhost", port=9, status=307)
    own = HTTP.get(url, allow_redirects=False)
    assert own.status_code == 302
    assert own.headers["Location"] == "http://127.0.0.1:" + url.split(":", 2)[2]
    assert HTTP.get(url).content[:4] == b"PK\x03\x04"  # followed to itself: the file
    elsewhere = HTTP.get(url, allow_redirects=False)
    assert elsewhere.status_code == 307
    assert elsewhere.headers["Location"] == "http://localhost:9" + urlsplit(url).path + "?" + \
        urlsplit(url).query


def test_http_signed_url_on_the_api_keeps_path_and_signature(sb, api):
    sb.configure(ready_after_polls=0)
    aoi = sb.catalog.aoi_at(0)
    asset = next(a for a in sb.catalog.assets(aoi["aoi_id"]) if a["status"] == "success")
    sb.faults.add("download_create", "http_signed_url")
    created = api.post(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads",
                       json={"asset_ids": [asset["id"]]}).json()
    normal = api.get(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads/{created['download_id']}")
    rewritten, signed = urlsplit(created["signed_url"]), urlsplit(normal.json()["signed_url"])
    assert (rewritten.scheme, rewritten.netloc) == ("http", "storage.pixxel-sandbox.invalid")
    assert rewritten.path == signed.path
    assert "sig=" in rewritten.query
    assert signed.netloc == urlsplit(sb.storage_url).netloc


def test_no_validators_withholds_etag_last_modified_and_md5(sb, api):
    url = _signed_url(sb, api)
    with_validators = HTTP.get(url, headers={"Range": "bytes=0-9"})
    sb.faults.add("storage", "no_validators", times=2)
    full, ranged = HTTP.get(url), HTTP.get(url, headers={"Range": "bytes=0-9"})
    assert {"ETag", "Last-Modified", "x-ms-blob-content-md5"} <= set(with_validators.headers)
    for response in (full, ranged):
        assert not {"etag", "last-modified", "content-md5", "x-ms-blob-content-md5"} & {
            name.lower() for name in response.headers}
    assert ranged.status_code == 206
    assert ranged.content == full.content[:10]


# -- the API's own misbehaviours (sandbox/misbehaviour.py) -----------------------------------------


def test_trickle_sends_the_normal_answer_a_few_bytes_at_a_time(sb):
    """Each piece arrives well within any read timeout; only the whole answer is slow."""
    sb.faults.add("ping", "trickle", bytes=2, interval=0.15)
    started = time.monotonic()
    status, headers, body, error = _raw_get(f"{sb.api_url}/ping")
    assert (status, body, error) == (200, b'"pong"', None)
    assert headers["Content-Length"] == "6"
    assert time.monotonic() - started >= 0.3  # three pieces, two pauses
    assert [r.fault for r in sb.requests] == ["trickle"]


def test_trickle_gaps_stay_under_a_short_read_timeout(sb, api):
    sb.faults.add("aois", "trickle", bytes=200, interval=0.05)
    response = api.get(f"{sb.api_url}/v0/aois", timeout=(2, 0.5))  # no piece waits 0.5 s
    assert len(response.json()["aois"]) == 10


def test_endless_pages_invent_new_ids_on_every_page_and_a_growing_total(sb, api):
    sb.faults.add("aois", "endless_pages", times=None)
    pages = [_aois(sb, api, offset=offset, limit=10).json() for offset in (0, 10, 0)]
    ids = [[aoi["aoi_id"] for aoi in page["aois"]] for page in pages]
    assert [len(page) for page in ids] == [10, 10, 10]
    assert len({aoi_id for page in ids for aoi_id in page}) == 30  # even the same offset again
    assert [page["pagination"]["total"] for page in pages] == [20, 30, 20]
    real = {aoi["aoi_id"] for aoi in sb.catalog.aois}
    assert not real & set(ids[0])
    assert pages[0]["aois"][0]["geometry"] == sb.catalog.aoi_at(0)["geometry"]


def test_endless_pages_without_a_total(sb, api):
    sb.faults.add("assets", "endless_pages", total="none")
    aoi_id = sb.catalog.aoi_at(0)["aoi_id"]
    body = api.get(f"{sb.api_url}/v0/aois/{aoi_id}/assets").json()
    assert "total" not in body["pagination"]
    assert body["assets"]
    known = {asset["id"] for asset in sb.catalog.assets(aoi_id)}
    assert not known & {asset["id"] for asset in body["assets"]}


def test_ignore_offset_serves_the_first_page_whatever_is_asked(sb, api):
    sb.faults.add("aois", "ignore_offset", times=None)
    first, later = (_aois(sb, api, offset=offset).json() for offset in (0, 20))
    assert [a["aoi_id"] for a in later["aois"]] == [a["aoi_id"] for a in first["aois"]]
    assert later["pagination"]["total"] == sb.catalog.aoi_count
    sb.faults.add("projects", "ignore_offset", times=None)
    one, two = (api.get(f"{sb.api_url}/v0/projects", params={"page_num": n, "page_size": 1})
                .json()["projects"] for n in (1, 2))
    assert one == two


@pytest.mark.parametrize(("state", "status"), [
    ("error", "ERROR"), ("cancelled", "CANCELLED"), ("expired", "EXPIRED"),
    ("success_without_url", "SUCCESS"),
])
def test_download_state_answers_a_status_without_a_url(sb, api, state, status):
    aoi = sb.catalog.aoi_at(0)
    asset = next(a for a in sb.catalog.assets(aoi["aoi_id"]) if a["status"] == "success")
    sb.configure(ready_after_polls=0)
    sb.faults.add("download_status", "download_state", state=state)
    created = api.post(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads",
                       json={"asset_ids": [asset["id"]]}).json()
    assert created["status"] == "SUCCESS"  # the POST is unaffected
    assert created["signed_url"]
    url = f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads/{created['download_id']}"
    assert api.get(url).json() == {"download_id": created["download_id"], "signed_url": "",
                                   "status": status}
    assert api.get(url).json()["status"] == "SUCCESS"  # one answer only (times=1)


def test_gzip_bomb_is_small_on_the_wire_and_huge_decoded(sb):
    decoded = 8 * 1024 * 1024
    sb.faults.add("aois", "gzip_bomb", decoded_bytes=decoded)
    status, headers, body, _ = _raw_get(f"{sb.api_url}/v0/aois",
                                        headers={"Authorization": sb.api_key})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert len(body) == int(headers["Content-Length"]) < decoded // 500
    inflated = zlib.decompress(body, 31)
    assert len(inflated) == decoded
    assert json.loads(inflated)["aois"] == []  # valid JSON: only its size gives it away


def test_nested_json_is_deeper_than_the_parser_can_go(sb, api):
    sb.faults.add("aois", "nested_json", status=400)
    response = _aois(sb, api)
    assert response.status_code == 400
    assert response.content == b"[" * NESTED_JSON_DEPTH + b"]" * NESTED_JSON_DEPTH
    with pytest.raises(RecursionError):
        json.loads(response.content)


@pytest.mark.parametrize(("args", "kwargs"), [
    (("download_status", "download_state"), {"state": "lost"}),
    (("aois", "endless_pages"), {"total": "sometimes"}),
    (("nowhere", "status"), {}),
    (("aois", "explode"), {}),
    (("aois", "slow"), {"dealy": 1}),
    (("aois", "status"), {"nth": 0}),
    (("aois", "status"), {"times": 0}),
    (("aois", "status"), {"body": "xml"}),
    (("storage", "html_bom_200"), {"dressing": "utf16"}),
    (("storage", "trickle"), {"rate": 1}),
])
def test_bad_fault_specs_are_refused(sb, args, kwargs):
    with pytest.raises(ValueError, match="unknown|takes|nth|times|body|state|total|dressing"):
        sb.faults.add(*args, **kwargs)


def test_reset_clears_faults_counters_requests_downloads_and_config(sb, api):
    url = _signed_url(sb, api)
    sb.configure(page_cap=3)
    sb.faults.add("aois", "status", nth=1, times=None)
    assert _aois(sb, api).status_code == 500
    sb.reset()
    assert (sb.requests, sb.faults.counts, sb.faults.armed) == ([], {}, [])
    assert sb.config == sb.initial_config
    assert len(_aois(sb, api).json()["aois"]) == 10
    assert HTTP.get(url).status_code == 404  # the download is gone


# -- runtime data variants -------------------------------------------------------------------------


def test_page_cap_serves_fewer_rows_and_echoes_the_requested_limit(sb, api):
    sb.configure(page_cap=7)
    body = _aois(sb, api, limit=10).json()
    assert len(body["aois"]) == 7
    assert body["pagination"] == {"limit": 10, "offset": 0, "total": 30}
    seen, offset = [], 0
    while offset < body["pagination"]["total"]:
        page = _aois(sb, api, offset=offset, limit=50).json()["aois"]
        seen += [a["aoi_id"] for a in page]
        offset += len(page)
    assert seen == [a["aoi_id"] for a in sb.catalog.aois]


def test_default_page_cap_is_100(sb, api):
    sb.catalog.aoi_at(0)
    big = Sandbox(SandboxConfig(product_size="tiny", aoi_count=150, data_dir=sb.config.data_dir))
    with big:
        response = HTTP.get(f"{big.api_url}/v0/aois", params={"limit": 1000},
                                headers={"Authorization": big.api_key})
        assert len(response.json()["aois"]) == 100
        assert response.json()["pagination"]["total"] == 150


def test_status_case_lower(sb, api):
    sb.configure(status_case="lower")
    aoi = sb.catalog.aoi_at(0)
    asset = next(a for a in sb.catalog.assets(aoi["aoi_id"]) if a["status"] == "success")
    created = api.post(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads",
                       json={"asset_ids": [asset["id"]]}).json()
    assert created["status"] == "pending"
    status = api.get(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads/"
                     f"{created['download_id']}").json()
    assert status["status"] == "success"


def test_ready_after_polls_and_seconds(sb, api):
    aoi = sb.catalog.aoi_at(0)
    asset = next(a for a in sb.catalog.assets(aoi["aoi_id"]) if a["status"] == "success")

    def poll_statuses(count: int) -> list:
        created = api.post(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads",
                           json={"asset_ids": [asset["id"]]}).json()
        url = f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/downloads/{created['download_id']}"
        return [created["status"]] + [api.get(url).json()["status"] for _ in range(count)]

    sb.configure(ready_after_polls=3)
    assert poll_statuses(4) == ["PENDING", "PENDING", "PENDING", "SUCCESS", "SUCCESS"]
    sb.configure(ready_after_polls=0, ready_after_seconds=0.3)
    assert poll_statuses(1) == ["PENDING", "PENDING"]
    time.sleep(0.3)
    assert poll_statuses(0) == ["PENDING"]


def test_satellite_field_variant(sb, api):
    sb.configure(satellite_field="lens_satellite_id")
    aoi = _aois(sb, api).json()["aois"][0]
    assert "satellite_id" not in aoi
    assert aoi["lens_satellite_id"] == sb.catalog.aoi_at(0)["satellite_id"]


@pytest.mark.parametrize(("style", "pattern"), [
    ("iso", r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00"),
    ("space", r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00:00"),
    ("z", r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"),
])
def test_timestamp_styles(sb, api, style, pattern):
    sb.configure(timestamp_style=style)
    aoi = _aois(sb, api).json()["aois"][0]
    assets = api.get(f"{sb.api_url}/v0/aois/{aoi['aoi_id']}/assets").json()["assets"]
    project = api.get(f"{sb.api_url}/v0/projects").json()["projects"][0]
    for record in (aoi, assets[0], project):
        assert re.fullmatch(pattern, record["created_at"])
        assert re.fullmatch(pattern, record["updated_at"])


def test_configure_refuses_unknown_or_invalid_options(sb):
    with pytest.raises(ValueError, match="not runtime options"):
        sb.configure(seed=7)
    with pytest.raises(ValueError, match="status_case"):
        sb.configure(status_case="mixed")


# -- admin surface and CLI -------------------------------------------------------------------------


def test_admin_http_surface(sb, api):
    admin = f"{sb.api_url}/__sandbox__"
    armed = HTTP.post(f"{admin}/faults", json={"endpoint": "aois", "kind": "status",
                                                   "nth": 1, "times": 1,
                                                   "params": {"status": 503}})
    assert armed.status_code == 201
    assert _aois(sb, api).status_code == 503
    assert HTTP.get(f"{admin}/faults").json()["counts"]["aois"] == 1
    assert HTTP.post(f"{admin}/config", json={"page_cap": 4}).status_code == 200
    assert len(_aois(sb, api).json()["aois"]) == 4
    recorded = HTTP.get(f"{admin}/requests").json()
    assert [(r["endpoint"], r["fault"]) for r in recorded] == [("aois", "status"), ("aois", None)]
    assert recorded[0]["headers"]["Authorization"] == sb.api_key
    info = HTTP.get(f"{admin}/info").json()
    assert info["api_key"] == sb.api_key
    assert info["storage_url"] == sb.storage_url
    assert HTTP.post(f"{admin}/reset").status_code == 200
    assert sb.requests == []
    assert len(_aois(sb, api).json()["aois"]) == 10


def test_admin_refuses_bad_input(sb):
    admin = f"{sb.api_url}/__sandbox__"
    assert HTTP.post(f"{admin}/faults", json={"endpoint": "aois", "kind": "nope"}) \
        .status_code == 400
    assert HTTP.post(f"{admin}/config", json={"seed": 1}).status_code == 400
    assert HTTP.post(f"{admin}/config", data=b"{").status_code == 400
    assert HTTP.get(f"{admin}/nothing").status_code == 404


def test_parse_cli_fault():
    assert parse_cli_fault("storage:drop:nth=2,times=none,at=0.25") == {
        "endpoint": "storage", "kind": "drop", "nth": 2, "times": None, "params": {"at": 0.25}}
    assert parse_cli_fault("aois:status") == {"endpoint": "aois", "kind": "status", "params": {}}
    with pytest.raises(ValueError, match="key=value"):
        parse_cli_fault("aois:status:oops")


def test_cli_runs_prints_its_addresses_and_stops_on_sigterm(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox", "--port", "0", "--storage-port", "0", "--size", "tiny",
         "--data-dir", str(tmp_path), "--key", "cli-key", "--fault", "aois:status:status=503"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = {}
        for line in process.stdout:
            name, _, value = line.strip().partition(":")
            banner[name] = value.strip()
            if name == "Press Ctrl-C to stop.":
                break
        api_url = banner["Pixxel sandbox API"]
        assert banner["Demo API key"] == "cli-key"
        headers = {"Authorization": "cli-key"}
        assert HTTP.get(f"{api_url}/v0/aois", headers=headers).status_code == 503
        assert HTTP.get(f"{api_url}/v0/aois", headers=headers).status_code == 200
        info = HTTP.get(f"{api_url}/__sandbox__/info").json()
        assert json.dumps(info["config"]["product_size"]) == '"tiny"'
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "stopped" in out
