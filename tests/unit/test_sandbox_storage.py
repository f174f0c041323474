"""The sandbox storage server: signed URLs, byte-exact streaming, ranges, checksums, expiry."""

from __future__ import annotations

import base64
import calendar
import hashlib
import time
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from sandbox import Sandbox
from sandbox.client import TimedSession

HTTP = TimedSession()


@pytest.fixture(scope="module")
def sandbox(start_sandbox) -> Sandbox:
    return start_sandbox()


@pytest.fixture
def sb(sandbox: Sandbox) -> Sandbox:
    sandbox.reset()
    sandbox.configure(ready_after_polls=0)
    return sandbox


def _request_download(sb: Sandbox, assets: list) -> dict:
    aoi_id = assets[0]["aoi_id"]
    response = HTTP.post(f"{sb.api_url}/v0/aois/{aoi_id}/downloads",
                             json={"asset_ids": [a["id"] for a in assets]},
                             headers={"Authorization": sb.api_key})
    response.raise_for_status()
    return response.json()


def _status(sb: Sandbox, aoi_id: str, download_id: str) -> dict:
    response = HTTP.get(f"{sb.api_url}/v0/aois/{aoi_id}/downloads/{download_id}",
                            headers={"Authorization": sb.api_key})
    response.raise_for_status()
    return response.json()


def _assets(sb: Sandbox) -> dict:
    """The first AOI's downloadable assets by delivery kind: {"zip": asset, "tif": asset}."""
    aoi = sb.catalog.aoi_at(0)
    ready = [a for a in sb.catalog.assets(aoi["aoi_id"]) if a["status"] == "success"]
    return {sb.catalog.product_spec(a["id"]).delivery: a for a in ready}


@pytest.fixture
def zip_download(sb: Sandbox) -> tuple:
    """(signed URL, expected bytes) of the first AOI's zip-delivered asset."""
    asset = _assets(sb)["zip"]
    url = _request_download(sb, [asset])["signed_url"]
    return url, sb.product_path(asset["id"]).read_bytes()


def test_full_get_is_byte_exact_with_blob_headers(sb, zip_download):
    url, expected = zip_download
    response = HTTP.get(url)
    assert response.status_code == 200
    assert response.content == expected
    headers = response.headers
    assert headers["Content-Length"] == str(len(expected))
    assert headers["Content-Type"] == "application/zip"
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["ETag"].startswith('"')
    assert headers["Last-Modified"].endswith("GMT")
    assert response.content[:4] == b"PK\x03\x04"


def test_bare_tif_delivery_is_served_as_tiff(sb):
    asset = _assets(sb)["tif"]
    response = HTTP.get(_request_download(sb, [asset])["signed_url"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/tiff"
    assert response.content == sb.product_path(asset["id"]).read_bytes()
    assert response.content[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00")


def test_several_assets_come_as_one_bundle(sb):
    download = _request_download(sb, list(_assets(sb).values()))
    response = HTTP.get(download["signed_url"])
    assert response.status_code == 200
    assert response.content == sb.download_path(download["download_id"]).read_bytes()
    assert response.content[:4] == b"PK\x03\x04"


def test_head_has_the_headers_and_no_body(sb, zip_download):
    url, expected = zip_download
    full = HTTP.get(url)
    head = HTTP.head(url)
    assert head.status_code == 200
    assert head.content == b""
    for name in ("Content-Length", "ETag", "Last-Modified", "Content-Type", "Content-MD5"):
        assert head.headers[name] == full.headers[name]


@pytest.mark.parametrize(("header", "first", "last"), [
    ("bytes=0-99", 0, 99),
    ("bytes=100-", 100, None),
    ("bytes=-50", -50, None),
    ("bytes=10-10", 10, 10),
    ("bytes=5-99999999", 5, None),
])
def test_ranges_answer_206_with_the_right_slice(sb, zip_download, header, first, last):
    url, expected = zip_download
    size = len(expected)
    start = first % size
    end = size - 1 if last is None else last
    response = HTTP.get(url, headers={"Range": header})
    assert response.status_code == 206
    assert response.content == expected[start:end + 1]
    assert response.headers["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response.headers["Content-Length"] == str(end - start + 1)
    assert "Content-MD5" not in response.headers  # it would describe the whole file, not the body
    assert response.headers["x-ms-blob-content-md5"] == _md5(expected)


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=-0"])
def test_unsatisfiable_range_is_416(sb, zip_download, header):
    url, expected = zip_download
    response = HTTP.get(url, headers={"Range": header})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(expected)}"
    assert b"<Code>InvalidRange</Code>" in response.content


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-5", "bytes=9-2", "bytes=a-b"])
def test_unsupported_or_malformed_range_gets_the_whole_file(sb, zip_download, header):
    url, expected = zip_download
    response = HTTP.get(url, headers={"Range": header})
    assert response.status_code == 200
    assert response.content == expected


def test_if_range_resumes_only_an_unchanged_file(sb, zip_download):
    url, expected = zip_download
    etag = HTTP.head(url).headers["ETag"]
    same = HTTP.get(url, headers={"Range": "bytes=10-", "If-Range": etag})
    assert same.status_code == 206
    assert same.content == expected[10:]
    stale = HTTP.get(url, headers={"Range": "bytes=10-", "If-Range": '"0xSTALE"'})
    assert stale.status_code == 200
    assert stale.content == expected


def test_content_md5_is_the_base64_md5_of_the_file(sb, zip_download):
    url, expected = zip_download
    assert HTTP.get(url).headers["Content-MD5"] == _md5(expected)
    sb.configure(content_md5=False)
    assert "Content-MD5" not in HTTP.get(url).headers


def test_expired_url_is_403_azure_xml(sb):
    sb.configure(url_ttl_seconds=0)
    url = _request_download(sb, [_assets(sb)["zip"]])["signed_url"]
    response = HTTP.get(url)
    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/xml"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?><Error>')
    assert b"<Code>AuthenticationFailed</Code>" in response.content
    assert b"Signature not valid in the specified time frame" in response.content


def test_url_expires_after_its_ttl(sb):
    sb.configure(url_ttl_seconds=1)
    url = _request_download(sb, [_assets(sb)["zip"]])["signed_url"]
    assert HTTP.get(url).status_code == 200
    expiry = calendar.timegm(time.strptime(dict(parse_qsl(urlsplit(url).query))["se"],
                                           "%Y-%m-%dT%H:%M:%SZ"))
    time.sleep(max(0.0, expiry - time.time()) + 0.05)
    assert HTTP.get(url).status_code == 403


def test_status_poll_hands_out_a_fresh_url_after_expiry(sb):
    sb.configure(url_ttl_seconds=0)
    asset = _assets(sb)["zip"]
    download = _request_download(sb, [asset])
    assert HTTP.get(download["signed_url"]).status_code == 403
    sb.configure(url_ttl_seconds=3600)
    fresh = _status(sb, asset["aoi_id"], download["download_id"])["signed_url"]
    assert fresh != download["signed_url"]
    assert HTTP.get(fresh).content == sb.product_path(asset["id"]).read_bytes()


@pytest.mark.parametrize("tamper", ["sig", "se", "path", "drop_sig"])
def test_forged_or_unsigned_urls_are_403(sb, zip_download, tamper):
    url, _ = zip_download
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    path = parts.path
    if tamper == "sig":
        query["sig"] = base64.b64encode(b"x" * 32).decode()
    elif tamper == "se":
        query["se"] = "2099-01-01T00:00:00Z"
    elif tamper == "path":
        path = path.replace("/deliveries/", "/deliveries/0")
    else:
        del query["sig"]
    response = HTTP.get(f"{parts.scheme}://{parts.netloc}{path}?{urlencode(query)}")
    assert response.status_code == 403
    assert b"<Code>AuthenticationFailed</Code>" in response.content
    assert b"time frame" not in response.content  # not mistaken for an expiry


def test_storage_needs_no_api_key_and_ignores_one(sb, zip_download):
    url, expected = zip_download
    assert HTTP.get(url, headers={"Authorization": "rubbish"}).content == expected
    plain = HTTP.get(url)
    assert plain.content == expected
    recorded = [r for r in sb.requests if r.server == "storage"]
    assert len(recorded) == 2
    assert not any(k.lower() == "authorization" for k in recorded[-1].headers)


def test_url_of_a_forgotten_download_is_404(sb, zip_download):
    url, _ = zip_download
    sb.reset()
    response = HTTP.get(url)
    assert response.status_code == 404
    assert b"<Code>BlobNotFound</Code>" in response.content


def test_only_get_and_head(sb, zip_download):
    url, _ = zip_download
    assert HTTP.put(url, data=b"x").status_code == 405


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
