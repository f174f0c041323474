"""The engine against storage that cannot be trusted (issue #13): error documents served with
200, a damaged delivery without a checksum, a trickle that never times out, a changed object
without validators, plain-http links and redirects. Real HTTP against the sandbox over loopback,
real files; the sandbox's request log (or a recording proxy) is the witness of what went out."""

import json
import os
import struct
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from pixxel_qgis.core.download.content_check import (
    ENVI_HEADER,
    JPEG,
    JSON,
    PNG,
    XML,
    head_kind,
    storage_error,
)
from pixxel_qgis.core.download.files import BIGTIFF, TIFF, UNKNOWN, ZIP
from pixxel_qgis.core.download.job import DownloadJob, PollPolicy, run_download
from pixxel_qgis.core.download.manifest import MANIFEST_NAME
from pixxel_qgis.core.download.part_file import part_paths
from pixxel_qgis.core.download.stall import DEFAULT_STALL, StallPolicy
from pixxel_qgis.core.download.transfer import fetch
from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.errors import (
    CancelledError,
    IncompleteTransferError,
    InsecureConnectionError,
    RequestTimeoutError,
    UnexpectedResponseError,
)
from pixxel_qgis.core.pixxel.http import HttpGateway
from pixxel_qgis.core.pixxel.retry import RetryPolicy

PRODUCT_SIZE = 2 * 1024 * 1024
FAST = RetryPolicy(attempts=5, base_delay=0.01, max_delay=0.05, deadline=20.0)
QUICK = PollPolicy(first=0.01, longest=0.05)
AOI_NAME = "Punjab wheat fields \u2013 Ludhiana"  # the sandbox's first AOI


@pytest.fixture(scope="module")
def sandbox_2mib(start_sandbox):
    return start_sandbox(product_size=PRODUCT_SIZE)


@pytest.fixture
def sb(sandbox_2mib):
    with sandbox_2mib.reset_around() as running:
        yield running


@pytest.fixture
def gateway():
    with HttpGateway(user_agent="pixxel-tests", trust_env=False, read_timeout=5.0) as gw:
        yield gw


@pytest.fixture
def client(sb):
    with PixxelClient(sb.api_key, sb.api_url, trust_env=False, retry=FAST,
                      timeouts=(5.0, 5.0)) as api:
        yield api


# --- helpers -----------------------------------------------------------------------------------


def asset_of(sb, kind: str) -> dict:
    """The first AOI's ready asset delivered as `kind` ("zip" or "tif")."""
    aoi = sb.catalog.aois[0]
    return next(a for a in sb.catalog.assets(aoi["aoi_id"])
                if a["status"] == "success" and a["path"].endswith("." + kind))


def job_for(sb, root: Path, *kinds: str) -> DownloadJob:
    return DownloadJob(sb.catalog.aois[0]["aoi_id"], [asset_of(sb, k)["id"] for k in kinds], root)


def download(client, job):
    return run_download(client, job, poll_policy=QUICK)


def signed_url(sb, kind: str = "tif", verify=True) -> str:
    """A ready signed URL for the first AOI's `kind` asset (ready at once)."""
    sb.configure(ready_after_polls=0)
    aoi_id = sb.catalog.aois[0]["aoi_id"]
    answer = requests.post(f"{sb.api_url}/v0/aois/{aoi_id}/downloads", timeout=10, verify=verify,
                           headers={"Authorization": sb.api_key},
                           json={"asset_ids": [asset_of(sb, kind)["id"]]}).json()
    sb.configure(ready_after_polls=1)
    assert answer["signed_url"]
    return answer["signed_url"]


def storage_requests(sb) -> list:
    return [r for r in sb.requests if r.endpoint == "storage"]


def header(request, name: str):
    return next((v for k, v in request.headers.items() if k.lower() == name.lower()), None)


def tree(root: Path) -> list:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def manifest_states(root: Path) -> list:
    data = json.loads((root / AOI_NAME / MANIFEST_NAME).read_text(encoding="utf-8"))
    return [entry["state"] for entry in data["downloads"]]


def member_data_offset(zip_path: Path, name_ends: str) -> int:
    """Where the data of the member whose name ends with `name_ends` starts in the zip, plus a
    third of its length: a byte flipped there lies inside that member."""
    with zipfile.ZipFile(zip_path) as bundle:
        info = next(i for i in bundle.infolist() if i.filename.endswith(name_ends))
    with open(zip_path, "rb") as stream:
        stream.seek(info.header_offset)
        local_header = stream.read(30)
    name_length, extra_length = struct.unpack("<HH", local_header[26:30])
    return info.header_offset + 30 + name_length + extra_length + info.compress_size // 3


# --- 1. an error document served with 200 ------------------------------------------------------

XML_QUOTE = "AuthenticationFailed: Server failed to authenticate the request"
PAGE_TITLE = "\u201cAccess Denied - Web Gateway\u201d"


@pytest.mark.parametrize(("fault", "params", "quoted", "code"), [
    ("xml_error_200", {}, XML_QUOTE, "AuthenticationFailed"),
    ("xml_error_200", {"content_type": "application/octet-stream", "code": "AccessDenied",
                       "message": "Request has expired"}, "AccessDenied: Request has expired",
     "AccessDenied"),
    ("json_error_200", {}, "403: Anonymous caller does not have storage.objects.get", "403"),
    ("html_bom_200", {"dressing": "bom"}, PAGE_TITLE, None),
    ("html_bom_200", {"dressing": "comment"}, PAGE_TITLE, None),
    ("html_bom_200", {"dressing": "bom+comment", "content_type": "image/tiff"}, PAGE_TITLE, None),
])
def test_error_document_served_with_200_is_an_error_in_storages_words(
        sb, gateway, tmp_path, fault, params, quoted, code):
    url = signed_url(sb)
    sb.faults.add("storage", fault, **params)
    refreshes = []
    with pytest.raises(UnexpectedResponseError) as caught:
        fetch(gateway, url, tmp_path / "f.tif", retry=FAST,
              refresh_url=lambda: refreshes.append(1) or url)
    assert quoted in str(caught.value)
    assert "HTTP 200" in str(caught.value)
    assert caught.value.code == code
    assert list(tmp_path.iterdir()) == []  # not even a .part
    assert len(storage_requests(sb)) == 1  # asking again would get the same answer
    assert refreshes == []


def test_error_document_is_never_recorded_as_the_product(sb, client, tmp_path):
    job = job_for(sb, tmp_path, "tif")
    sb.faults.add("storage", "xml_error_200", times=None)
    with pytest.raises(UnexpectedResponseError, match="AuthenticationFailed"):
        download(client, job)
    assert tree(tmp_path) == [f"{AOI_NAME}/{MANIFEST_NAME}"]
    assert manifest_states(tmp_path) == ["pending"]

    sb.faults.clear()
    result = download(client, job)  # not "already downloaded": storage is asked again
    assert not result.reused
    source = sb.product_path(job.asset_ids[0])
    assert [p.read_bytes() for p in result.rasters] == [source.read_bytes()]
    assert manifest_states(tmp_path) == ["complete"]


def test_unrecognisable_delivery_is_refused_and_fetched_afresh(sb, client, tmp_path):
    """Without a checksum nothing in the transfer can tell; the bytes can."""
    sb.configure(content_md5=False)
    sb.faults.add("storage", "corrupt", after_bytes=0)  # "II*\0" is now "\xb6I*\0"
    job = job_for(sb, tmp_path, "tif")
    with pytest.raises(UnexpectedResponseError, match="neither a GeoTIFF nor a zip"):
        download(client, job)
    assert tree(tmp_path) == [f"{AOI_NAME}/{MANIFEST_NAME}"]
    assert manifest_states(tmp_path) == ["pending"]

    result = download(client, job)
    assert [p.read_bytes() for p in result.rasters] == [
        sb.product_path(job.asset_ids[0]).read_bytes()]
    assert header(storage_requests(sb)[-1], "Range") is None  # fetched afresh, not "complete"


# --- 3. a damaged delivery without a checksum ----------------------------------------------------


def test_damaged_zip_without_checksum_is_discarded_and_fetched_afresh(sb, client, tmp_path):
    sb.configure(content_md5=False)
    job = job_for(sb, tmp_path, "zip")
    delivery = sb.delivery_path(*job.asset_ids)
    sb.faults.add("storage", "corrupt", after_bytes=member_data_offset(delivery, ".hdr"))
    with pytest.raises(IncompleteTransferError, match="damaged"):
        download(client, job)
    assert tree(tmp_path) == [f"{AOI_NAME}/{MANIFEST_NAME}"]  # the staged zip went too

    seen = len(storage_requests(sb))
    result = download(client, job)
    (again,) = storage_requests(sb)[seen:]
    assert header(again, "Range") is None  # a whole new copy, not a probe of the bad one
    with zipfile.ZipFile(delivery) as bundle:
        members = {i.filename: bundle.read(i) for i in bundle.infolist() if not i.is_dir()}
    assert {p.relative_to(result.folder).as_posix(): p.read_bytes()
            for p in result.files} == members


# --- 2. a failed extraction and the files of an earlier download --------------------------------


def test_failed_extraction_keeps_the_files_of_an_earlier_download(sb, client, tmp_path):
    """Asset A downloaded; then A+B, whose zip holds A's files again and a damaged member of
    B: A's files (maybe on the map) stay as they were, and A's download still counts."""
    aoi_id = sb.catalog.aois[0]["aoi_id"]
    both = [asset_of(sb, "zip")["id"], asset_of(sb, "tif")["id"]]
    bundle = sb.delivery_path(*both)
    with zipfile.ZipFile(bundle) as archive:
        names = [info.filename for info in archive.infolist()]
    first_product = names[0].split("/")[0]  # extracted first, then B's damaged last member
    (earlier_id,) = [i for i in both if sb.catalog.product_spec(i).name == first_product]
    assert not names[-1].startswith(first_product + "/")
    earlier = download(client, DownloadJob(aoi_id, [earlier_id], tmp_path, aoi_name=AOI_NAME))
    kept = {path: path.read_bytes() for path in earlier.files}
    assert any(path.relative_to(earlier.folder).as_posix() in names for path in kept)

    sb.configure(content_md5=False)  # the damage is storage's own: no checksum tells
    sb.faults.add("storage", "corrupt", times=None,
                  after_bytes=member_data_offset(bundle, names[-1]))
    with pytest.raises(IncompleteTransferError, match="damaged"):
        download(client, DownloadJob(aoi_id, both, tmp_path, aoi_name=AOI_NAME))
    assert {path: path.read_bytes() for path in kept} == kept
    # Nothing of B, no staged file, no delivery left behind:
    assert tree(tmp_path) == sorted([f"{AOI_NAME}/{MANIFEST_NAME}",
                                     *(p.relative_to(tmp_path).as_posix() for p in kept)])

    sb.reset()
    again = download(client, DownloadJob(aoi_id, [earlier_id], tmp_path, aoi_name=AOI_NAME))
    assert again.reused  # A's download is still whole and recorded
    assert sb.requests == []


# --- 4. a trickle that never times out a read -----------------------------------------------------

CHUNK = 256 * 1024
# Small limits for tests: 4 KiB/s over 1 s (the defaults, 1 KiB/s over 60 s, are checked below).
TIGHT = StallPolicy(min_bytes_per_second=4096, window_seconds=1.0)


def test_the_default_minimum_speed_and_its_description():
    assert (DEFAULT_STALL.min_bytes_per_second, DEFAULT_STALL.window_seconds) == (1024, 60.0)
    assert DEFAULT_STALL.describe() == "less than 1.0 KiB/s for 60 s"
    assert DownloadJob("a", ["b"], Path(".")).stall == DEFAULT_STALL
    with pytest.raises(ValueError, match="window over 0 s"):
        StallPolicy(window_seconds=0)


def test_trickle_is_a_stall_that_keeps_the_part_and_says_so(sb, gateway, tmp_path):
    """Headers, half the file, then 100 bytes a second: each read gets bytes well within the
    read timeout, so only a minimum speed ends it."""
    url = signed_url(sb)
    size = sb.product_path(asset_of(sb, "tif")["id"]).stat().st_size
    # Half the file fast, then 100 B/s; the resumed request trickles from its first byte.
    sb.faults.add("storage", "trickle", after_bytes=size // 2, bytes=10, interval=0.1)
    sb.faults.add("storage", "trickle", nth=2, times=None, bytes=10, interval=0.1)
    target = tmp_path / "f.tif"
    part, sidecar = part_paths(target)
    started = time.monotonic()
    with pytest.raises(RequestTimeoutError) as caught:
        fetch(gateway, url, target, chunk_size=CHUNK, stall=TIGHT,
              retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.01))
    elapsed = time.monotonic() - started
    assert str(caught.value).startswith("The download stalled: storage sent less than 4.0 KiB/s "
                                        "for 1 s (1.0 MiB of 2.0 MiB received).")
    assert "What arrived is kept" in str(caught.value)
    assert len(storage_requests(sb)) == 2  # retried once, like a dropped connection
    assert 2.0 <= elapsed < 4.0, elapsed  # a window (and a little) per attempt
    # Every byte that arrived is kept, the trickled ones too (they may never fill a chunk).
    source = sb.product_path(asset_of(sb, "tif")["id"]).read_bytes()
    kept = part.read_bytes()
    assert size // 2 < len(kept) < size // 2 + 1000
    assert kept == source[:len(kept)]
    assert sidecar.exists()

    sb.faults.clear()
    result = fetch(gateway, url, target, chunk_size=CHUNK, stall=TIGHT, retry=FAST)
    assert result.resumed
    assert header(storage_requests(sb)[-1], "Range") == f"bytes={len(kept)}-"
    assert target.read_bytes() == source


def test_silence_longer_than_the_window_ends_the_read_before_its_timeout(sb, tmp_path):
    """Nothing at all arrives: the read sits in one recv, which only the cancel watcher can
    end before the read timeout (30 s here)."""
    url = signed_url(sb)
    sb.faults.add("storage", "stall", at=0.3, seconds=10)
    started = time.monotonic()
    with HttpGateway(user_agent="pixxel-tests", trust_env=False, read_timeout=30.0) as gateway:
        result = fetch(gateway, url, tmp_path / "f.tif", chunk_size=CHUNK, stall=TIGHT,
                       retry=FAST)
    assert time.monotonic() - started < 3.0
    assert result.resumed
    assert result.attempts == 2


def test_slow_but_steady_is_no_stall(sb, gateway, tmp_path):
    url = signed_url(sb)
    size = sb.product_path(asset_of(sb, "tif")["id"]).stat().st_size
    sb.faults.add("storage", "trickle", after_bytes=size - 16_000, bytes=800, interval=0.1)
    started = time.monotonic()
    result = fetch(gateway, url, tmp_path / "f.tif", chunk_size=CHUNK, retry=FAST,
                   stall=StallPolicy(min_bytes_per_second=2048, window_seconds=0.5))
    assert time.monotonic() - started >= 1.8  # it really was slow: 16 kB at 8 kB/s
    assert (result.attempts, result.resumed) == (1, False)


def test_a_stalled_job_stays_pending_with_its_part(sb, client, tmp_path):
    job = DownloadJob(sb.catalog.aois[0]["aoi_id"], [asset_of(sb, "tif")["id"]], tmp_path,
                      stall=TIGHT)
    sb.faults.add("storage", "trickle", after_bytes=300_000, bytes=5, interval=0.1)
    sb.faults.add("storage", "trickle", nth=2, times=None, bytes=5, interval=0.1)
    with pytest.raises(RequestTimeoutError, match="stalled"):
        run_download(client, job, poll_policy=QUICK)
    assert manifest_states(tmp_path) == ["pending"]
    assert [p.name.endswith(".download.part") for p in (tmp_path / AOI_NAME).iterdir()
            if p.suffix == ".part"] == [True]


# --- 5. plain http: links and redirects -----------------------------------------------------------


def through(eavesdropper, **options) -> HttpGateway:
    """A gateway whose plain-http requests to other hosts go through the eavesdropper."""
    return HttpGateway(user_agent="pixxel-tests", trust_env=False, read_timeout=5.0,
                       proxies={"http": eavesdropper.url, "no_proxy": "127.0.0.1"}, **options)


def test_plain_http_signed_url_to_another_host_is_refused_before_anything_is_sent(
        sb, tmp_path, eavesdropper):
    parts = urlsplit(signed_url(sb))
    url = urlunsplit(("http", "storage.example.com", parts.path, parts.query, ""))
    with through(eavesdropper) as gateway, pytest.raises(InsecureConnectionError) as caught:
        fetch(gateway, url, tmp_path / "f.tif", retry=FAST)
    assert str(caught.value).startswith("Refusing to download from storage.example.com over "
                                        "unencrypted http")
    assert "sig" not in str(caught.value)
    assert eavesdropper.seen == []
    assert list(tmp_path.iterdir()) == []


def test_plain_http_signed_url_from_the_api_fails_the_job(sb, tmp_path, eavesdropper):
    for endpoint in ("download_create", "download_status"):
        sb.faults.add(endpoint, "http_signed_url", times=None)
    with PixxelClient(sb.api_key, sb.api_url, trust_env=False, retry=FAST, timeouts=(5.0, 5.0),
                      proxies={"http": eavesdropper.url, "no_proxy": "127.0.0.1"}) as client, \
            pytest.raises(InsecureConnectionError, match="unencrypted http"):
        download(client, job_for(sb, tmp_path, "tif"))
    assert eavesdropper.seen == []
    assert storage_requests(sb) == []
    assert tree(tmp_path) == [f"{AOI_NAME}/{MANIFEST_NAME}"]


def test_https_storage_redirecting_to_http_is_not_followed(https_sandbox, throwaway_ca, tmp_path,
                                                           eavesdropper):
    with https_sandbox.reset_around():
        url = signed_url(https_sandbox, verify=str(throwaway_ca["ca"]))
        https_sandbox.faults.add("storage", "redirect_http", port=eavesdropper.port)
        with HttpGateway(user_agent="pixxel-tests", trust_env=False, read_timeout=5.0,
                         verify=str(throwaway_ca["ca"])) as gateway, \
                pytest.raises(InsecureConnectionError) as caught:
            fetch(gateway, url, tmp_path / "f.tif", retry=FAST)
        assert len(storage_requests(https_sandbox)) == 1  # refused, not retried
    assert str(caught.value).startswith(f"{urlsplit(url).netloc} redirected the request to "
                                        f"unencrypted http://127.0.0.1:{eavesdropper.port}")
    assert eavesdropper.seen == []
    assert list(tmp_path.iterdir()) == []


def test_redirect_to_plain_http_on_another_host_is_not_followed(sb, tmp_path, eavesdropper):
    url = signed_url(sb)
    sb.faults.add("storage", "redirect_http", host="storage.example.com", port=80)
    with through(eavesdropper) as gateway, pytest.raises(InsecureConnectionError):
        fetch(gateway, url, tmp_path / "f.tif", retry=FAST)
    assert eavesdropper.seen == []


def test_the_api_key_never_follows_a_redirect_to_another_host(sb, eavesdropper):
    """A redirect between two plain-http addresses of this computer is followed (test servers
    live there), but the key stays behind: it goes to the API's host only."""
    sb.faults.add("aois", "redirect_http", host="localhost", port=eavesdropper.port)
    with PixxelClient(sb.api_key, sb.api_url, trust_env=False, retry=FAST,
                      timeouts=(5.0, 5.0)) as client:
        assert client.aoi_page().items == ()  # the eavesdropper's empty page
    ((path, headers),) = eavesdropper.seen
    assert path.startswith("/v0/aois")
    assert "authorization" not in {name.lower() for name in headers}
    assert sb.api_key not in json.dumps(headers)


# --- 6. a changed object without validators ------------------------------------------------------


def test_resume_without_a_validator_starts_over_instead_of_joining_two_objects(
        sb, gateway, tmp_path):
    sb.configure(content_md5=False)
    sb.faults.add("storage", "no_validators", times=None)
    url = signed_url(sb)
    source = sb.product_path(asset_of(sb, "tif")["id"])
    target = tmp_path / "f.tif"
    part, sidecar = part_paths(target)
    with pytest.raises(CancelledError):
        fetch(gateway, url, target, chunk_size=256 * 1024, retry=FAST,
              is_cancelled=lambda: part.exists() and part.stat().st_size >= 512 * 1024)
    assert json.loads(sidecar.read_text())["etag"] is None

    original, stat = source.read_bytes(), source.stat()
    changed = bytearray(original)
    changed[100] ^= 0xFF  # in the part already downloaded: a resume would keep the old byte
    try:
        source.write_bytes(bytes(changed))  # replaced in storage, same size; nothing says so
        seen = len(storage_requests(sb))
        result = fetch(gateway, url, target, retry=FAST)
        assert target.read_bytes() == bytes(changed)
    finally:
        source.write_bytes(original)
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (request,) = storage_requests(sb)[seen:]
    assert header(request, "Range") is None
    assert not result.resumed


# --- what a body is, by its bytes ----------------------------------------------------------------

S3_XML = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
          b"<Message>Request has expired</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>")
AZURE_XML = ('\ufeff<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code>'
             "<Message>Server failed to authenticate the request.\nRequestId:9a1\nTime:2030"
             "</Message></Error>").encode("utf-8")


@pytest.mark.parametrize(("body", "kind", "code", "message"), [
    (S3_XML, "xml", "AccessDenied", "Request has expired"),
    (AZURE_XML, "xml", "AuthenticationFailed", "Server failed to authenticate the request."),
    (b'<!-- cache -->\n<Error xmlns="urn:x"><Code>NoSuchKey</Code></Error>', "xml", "NoSuchKey",
     None),
    (b'{"error": {"code": 401, "message": "Login Required"}}', "json", "401", "Login Required"),
    (b'\xef\xbb\xbf{"code": "BlobNotFound", "message": "gone"}', "json", "BlobNotFound", "gone"),
    (b'{"error": "invalid_token", "error_description": "expired"}', "json", "invalid_token",
     "expired"),
    ("<!DOCTYPE html><html><title>Sign &amp; in</title></html>".encode("utf-16"), "html", None,
     "Sign & in"),
    (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Blocked</h1>',
     "html", None, "Blocked"),
])
def test_storage_error_documents_are_recognised_in_any_dressing(body, kind, code, message):
    found = storage_error(body)
    assert (found.kind, found.code, found.message) == (kind, code, message)
    assert head_kind(body) == UNKNOWN


@pytest.mark.parametrize(("body", "kind"), [
    (b"II*\x00" + bytes(100), TIFF),
    (b"MM\x00+" + bytes(100), BIGTIFF),
    (b"PK\x03\x04" + bytes(100), ZIP),
    (b"\xff\xd8\xff\xe0" + bytes(100), JPEG),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), PNG),
    (b"ENVI\ndescription = {TD1}\nbands = 69\n", ENVI_HEADER),
    (b'<?xml version="1.0"?>\n<Product><Error>none</Error></Product>', XML),
    (b'{"type": "Feature", "properties": {"code": 1, "message": "x"}, "geometry": null}', JSON),
    (b'{"error": {"code": 1, "message": "cut sh', JSON),  # cut short: judged as what it claims
    (b"\x00\x01\x02garbage" * 10, UNKNOWN),
    (b"AccessDenied", UNKNOWN),
])
def test_real_files_are_not_taken_for_errors(body, kind):
    assert head_kind(body) == kind
    if kind != UNKNOWN:
        assert storage_error(body) is None
