"""core/transfer.py against the sandbox's storage server: real HTTP over loopback, real files.

Every storage fault the sandbox can inject is exercised; the sandbox's request log is the witness
for what went over the wire (Range/If-Range headers, no Authorization)."""

import base64
import contextlib
import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from pixxel_qgis.core.download.file_names import FILE_RESERVE
from pixxel_qgis.core.download.files import format_bytes, suggested_filename
from pixxel_qgis.core.download.part_file import part_paths
from pixxel_qgis.core.download.transfer import fetch
from pixxel_qgis.core.pixxel.errors import (
    BadRequestError,
    CancelledError,
    DiskFullError,
    IncompleteTransferError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    SignedUrlExpiredError,
    UnexpectedResponseError,
)
from pixxel_qgis.core.pixxel.http import HttpGateway
from pixxel_qgis.core.pixxel.retry import RetryPolicy
from sandbox import Sandbox

PRODUCT_SIZE = 8 * 1024 * 1024
CHUNK = 256 * 1024
FAST = RetryPolicy(attempts=5, base_delay=0.01, max_delay=0.05, deadline=20.0)


@pytest.fixture(scope="module")
def sandbox_8mib(start_sandbox):
    return start_sandbox(product_size=PRODUCT_SIZE)


@pytest.fixture
def sb(sandbox_8mib):
    with sandbox_8mib.reset_around() as running:
        yield running


@pytest.fixture
def gateway():
    with HttpGateway(user_agent="pixxel-tests", trust_env=False, read_timeout=5.0) as gw:
        yield gw


@dataclass
class Delivery:
    sandbox: Sandbox
    aoi_id: str
    download_id: str
    url: str

    @property
    def source(self) -> Path:
        return self.sandbox.download_path(self.download_id)

    @property
    def size(self) -> int:
        return self.source.stat().st_size

    def refresh(self) -> str:
        answer = api(self.sandbox, "GET", f"/v0/aois/{self.aoi_id}/downloads/{self.download_id}")
        assert answer["signed_url"]
        return answer["signed_url"]


def api(sandbox: Sandbox, method: str, path: str, **kwargs) -> dict:
    response = requests.request(method, sandbox.api_url + path, timeout=10,
                                headers={"Authorization": sandbox.api_key}, **kwargs)
    response.raise_for_status()
    return response.json()


def order(sandbox: Sandbox, kind: str = "tif") -> Delivery:
    """Request a download of the first AOI's ready asset delivered as `kind`; wait for its URL."""
    aoi_id = api(sandbox, "GET", "/v0/aois", params={"offset": 0, "limit": 1})["aois"][0]["aoi_id"]
    assets = api(sandbox, "GET", f"/v0/aois/{aoi_id}/assets")["assets"]
    asset = next(a for a in assets if a["status"] == "success" and a["path"].endswith("." + kind))
    created = api(sandbox, "POST", f"/v0/aois/{aoi_id}/downloads",
                  json={"asset_ids": [asset["id"]]})
    delivery = Delivery(sandbox, aoi_id, created["download_id"], created["signed_url"])
    for _ in range(100):
        if delivery.url:
            return delivery
        time.sleep(0.02)
        status = api(sandbox, "GET", f"/v0/aois/{aoi_id}/downloads/{delivery.download_id}")
        delivery.url = status["signed_url"]
    raise AssertionError("the sandbox download never became ready")


def storage_requests(sandbox: Sandbox) -> list:
    return [r for r in sandbox.requests if r.server == "storage"]


def header(request, name: str):
    return next((v for k, v in request.headers.items() if k.lower() == name.lower()), None)


def leftovers(folder: Path) -> list:
    return sorted(p.name for p in folder.iterdir())


# Triggers go by the bytes in the .part, never by how often is_cancelled() was called: the cancel
# watcher (core/interruptible.py) calls it too, from its own thread on its own clock, so a count
# of calls says nothing about how far the transfer is (issue #18: when storage answered slowly,
# the watcher's calls filled the disk before the first byte was written).


def size_on_disk(part: Path) -> int:
    try:
        return part.stat().st_size
    except FileNotFoundError:
        return 0


def cancel_once_part_holds(part: Path, size: int):
    """An is_cancelled() that turns True once the .part holds `size` bytes, whoever asks."""
    return lambda: size_on_disk(part) >= size


def once_part_holds(part: Path, size: int, action):
    """An is_cancelled() that never cancels but runs `action` once the .part holds `size` bytes:
    on the thread that made it, which must be the one calling fetch(), so that `action` runs
    between two writes of the transfer and not alongside them on the watcher's thread."""
    fetching = threading.get_ident()
    done = []

    def check() -> bool:
        if not done and threading.get_ident() == fetching and size_on_disk(part) >= size:
            done.append(True)
            action()
        return False

    return check


def cancelled_part(gateway, delivery: Delivery, target: Path) -> int:
    """Leave a .part of half the file (a cancelled download); return its size."""
    part, sidecar = part_paths(target)
    half = delivery.size // 2 // CHUNK * CHUNK
    with pytest.raises(CancelledError):
        fetch(gateway, delivery.url, target, chunk_size=CHUNK, retry=FAST,
              is_cancelled=cancel_once_part_holds(part, half))
    assert sidecar.exists()
    # The cancel is seen before the chunk after `half` is written, by either thread.
    assert size_on_disk(part) == half
    return half


# --- the plain path ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["tif", "zip"])
def test_fetch_writes_the_exact_bytes_and_verifies_md5(sb, gateway, tmp_path, kind):
    delivery = order(sb, kind)
    target = tmp_path / f"product.{kind}"
    result = fetch(gateway, delivery.url, target, retry=FAST)

    source = delivery.source.read_bytes()
    assert target.read_bytes() == source
    assert (result.path, result.size, result.bytes_received) == (target, len(source), len(source))
    assert result.md5_verified
    assert not result.resumed
    assert result.attempts == 1
    assert result.etag
    assert result.etag.startswith('"')
    assert leftovers(tmp_path) == [target.name]
    (request,) = storage_requests(sb)
    assert header(request, "Range") is None
    assert header(request, "Accept-Encoding") == "identity"


def test_storage_never_sees_an_authorization_header(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "drop", nth=1, at=0.5)
    sb.faults.add("storage", "expired_url", nth=2)
    fetch(gateway, delivery.url, tmp_path / "f.tif", refresh_url=delivery.refresh, retry=FAST)

    requests_seen = storage_requests(sb)
    assert len(requests_seen) == 3
    for request in requests_seen:
        assert header(request, "Authorization") is None
        assert sb.api_key not in json.dumps(request.as_dict())


def test_progress_is_throttled_monotonic_and_ends_at_the_total(sb, gateway, tmp_path):
    delivery = order(sb)
    calls = []

    def slow_reader() -> bool:
        time.sleep(0.01)  # ~32 chunks of 256 KiB: about 0.4 s of transfer
        return False

    started = time.monotonic()
    fetch(gateway, delivery.url, tmp_path / "f.tif", chunk_size=CHUNK, on_progress=calls.append,
          is_cancelled=slow_reader, retry=FAST)
    elapsed = time.monotonic() - started

    assert 3 <= len(calls) <= elapsed / 0.25 + 2
    done = [p.bytes_done for p in calls]
    assert done == sorted(done)
    assert all(p.bytes_total == delivery.size for p in calls)
    assert calls[-1].bytes_done == delivery.size
    assert calls[-1].eta_seconds == 0
    assert all(p.rate_bps > 0 for p in calls[1:])
    assert all(p.eta_seconds is not None for p in calls[1:])


# --- interrupted transfers ---------------------------------------------------------------------


def test_drop_midway_resumes_with_a_range_request(sb, gateway, tmp_path):
    delivery = order(sb)
    # A reset connection loses what was still in flight, sometimes all of it: three drops in a
    # row make sure that at least one attempt leaves bytes to resume from.
    sb.faults.add("storage", "drop", nth=1, times=3, at=0.5)
    result = fetch(gateway, delivery.url, tmp_path / "f.tif", chunk_size=64 * 1024, retry=FAST)

    assert (tmp_path / "f.tif").read_bytes() == delivery.source.read_bytes()
    seen = storage_requests(sb)
    assert len(seen) == result.attempts == 4
    assert header(seen[0], "Range") is None
    starts = [int(header(r, "Range")[len("bytes="):-1]) for r in seen[1:] if header(r, "Range")]
    assert starts
    assert starts == sorted(set(starts))  # each resume starts where the last one's bytes ended
    assert all(header(r, "If-Range") == result.etag for r in seen[1:] if header(r, "Range"))
    assert result.resumed
    assert result.md5_verified
    assert result.bytes_received == delivery.size  # no byte was fetched twice
    assert result.bytes_received <= 1.05 * delivery.size


def test_short_body_is_never_promoted_to_the_file(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "short", nth=1, at=0.5)
    target = tmp_path / "f.tif"
    with pytest.raises(IncompleteTransferError, match="closed the connection"):
        fetch(gateway, delivery.url, target, retry=RetryPolicy(attempts=1))

    assert not target.exists()
    part, _ = part_paths(target)
    assert part.read_bytes() == delivery.source.read_bytes()[: delivery.size // 2]


def test_short_body_is_resumed_to_a_correct_file(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "short", nth=1, at=0.5)
    result = fetch(gateway, delivery.url, tmp_path / "f.tif", retry=FAST)

    assert (tmp_path / "f.tif").read_bytes() == delivery.source.read_bytes()
    assert header(storage_requests(sb)[1], "Range") == f"bytes={delivery.size // 2}-"
    assert result.resumed
    assert result.bytes_received == delivery.size


def test_stalled_transfer_times_out_and_resumes(sb, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "stall", nth=1, at=0.3, seconds=5)
    started = time.monotonic()
    with HttpGateway(user_agent="pixxel-tests", trust_env=False, read_timeout=0.5) as gateway:
        result = fetch(gateway, delivery.url, tmp_path / "f.tif", chunk_size=CHUNK, retry=FAST)

    assert time.monotonic() - started < 4  # the timeout, not the stall's end, ended attempt 1
    assert (tmp_path / "f.tif").read_bytes() == delivery.source.read_bytes()
    # Every byte before the stall arrived and is kept, the chunk being filled when it timed out
    # too: the resume starts right after them.
    cut = int(delivery.size * 0.3)
    assert header(storage_requests(sb)[1], "Range") == f"bytes={cut}-"
    assert result.resumed
    assert result.attempts == 2


def test_connection_that_never_progresses_exhausts_the_attempts(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "drop", nth=1, times=None, after_bytes=0)
    target = tmp_path / "f.tif"
    with pytest.raises(NetworkError, match="broke"):
        fetch(gateway, delivery.url, target,
              retry=RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02))
    assert len(storage_requests(sb)) == 3
    assert not target.exists()


def test_cancel_leaves_only_the_part_and_a_later_call_resumes(sb, gateway, tmp_path):
    delivery = order(sb)
    target = tmp_path / "f.tif"
    part_size = cancelled_part(gateway, delivery, target)

    part, sidecar = part_paths(target)
    assert leftovers(tmp_path) == sorted([part.name, sidecar.name])
    source = delivery.source.read_bytes()
    assert 0 < part_size < delivery.size
    assert part.read_bytes() == source[:part_size]
    stored = json.loads(sidecar.read_text())
    assert stored["total"] == delivery.size
    assert stored["etag"]
    assert stored["md5"]
    assert "sig" not in sidecar.read_text()  # the signed URL is a credential: never persisted

    result = fetch(gateway, delivery.url, target, retry=FAST)
    assert target.read_bytes() == source
    assert header(storage_requests(sb)[-1], "Range") == f"bytes={part_size}-"
    assert result.resumed
    assert result.md5_verified
    assert result.bytes_received == delivery.size - part_size
    assert leftovers(tmp_path) == [target.name]


def test_cancel_from_another_thread_ends_a_stalled_read_at_once_and_resumes(
    sb, tmp_path, cancel_mid_call
):
    """A cancel must not wait for the read timeout: the plugin's unload and QGIS' exit wait on
    it. The read timeout here is far longer than the test may take."""
    delivery = order(sb)
    sb.faults.add("storage", "stall", nth=1, at=0.3, seconds=10)
    target = tmp_path / "f.tif"
    part, sidecar = part_paths(target)
    cut = int(delivery.size * 0.3) // CHUNK * CHUNK  # what reaches the .part before the stall

    with HttpGateway(user_agent="pixxel-tests", trust_env=False, read_timeout=30.0) as gateway:
        error, seconds = cancel_mid_call(
            lambda is_cancelled: fetch(gateway, delivery.url, target, chunk_size=CHUNK,
                                       retry=FAST, is_cancelled=is_cancelled),
            lambda: part.exists() and part.stat().st_size >= cut,
            settle=0.3,  # the worker is then blocked in a read of the stalled body
        )

        assert seconds < 1.0
        assert isinstance(error, CancelledError)
        assert len(storage_requests(sb)) == 1  # a cancel is not a failure to retry
        assert leftovers(tmp_path) == sorted([part.name, sidecar.name])
        source = delivery.source.read_bytes()
        assert part.read_bytes() == source[:cut]

        result = fetch(gateway, delivery.url, target, chunk_size=CHUNK, retry=FAST)
    assert target.read_bytes() == source
    assert header(storage_requests(sb)[-1], "Range") == f"bytes={cut}-"
    assert result.resumed
    assert result.md5_verified
    assert leftovers(tmp_path) == [target.name]


def test_cancel_before_storage_answers_ends_at_once(sb, tmp_path, cancel_mid_call):
    """Storage that accepted the GET but sends no headers: the cancel must not wait for the read
    timeout (30 s here) either."""
    delivery = order(sb)
    sb.faults.add("storage", "slow", delay=10)

    with HttpGateway(user_agent="pixxel-tests", trust_env=False, read_timeout=30.0) as gateway:
        error, seconds = cancel_mid_call(
            lambda is_cancelled: fetch(gateway, delivery.url, tmp_path / "f.tif",
                                       chunk_size=CHUNK, retry=FAST, is_cancelled=is_cancelled),
            lambda: bool(storage_requests(sb)),
        )
    assert isinstance(error, CancelledError)
    assert seconds < 1.0
    assert len(storage_requests(sb)) == 1
    assert leftovers(tmp_path) == []


def test_cancel_during_back_off_is_prompt(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "rate_limit", nth=1, retry_after=30)
    flag = threading.Event()
    threading.Timer(0.3, flag.set).start()
    started = time.monotonic()
    with pytest.raises(CancelledError):
        fetch(gateway, delivery.url, tmp_path / "f.tif", is_cancelled=flag.is_set,
              retry=RetryPolicy(base_delay=0.01))
    assert time.monotonic() - started < 2


def test_changed_etag_restarts_from_zero(sb, gateway, tmp_path):
    delivery = order(sb)
    target = tmp_path / "f.tif"
    cancelled_part(gateway, delivery, target)
    _, sidecar = part_paths(target)
    stored = json.loads(sidecar.read_text())
    stored["etag"] = '"0xSTALE"'
    sidecar.write_text(json.dumps(stored))

    result = fetch(gateway, delivery.url, target, retry=FAST)
    last = storage_requests(sb)[-1]
    assert header(last, "If-Range") == '"0xSTALE"'
    assert header(last, "Range")
    assert not result.resumed
    assert result.bytes_received == delivery.size
    assert target.read_bytes() == delivery.source.read_bytes()


def test_part_without_validators_restarts_from_zero(sb, gateway, tmp_path):
    """Without an ETag or Last-Modified to send as If-Range, a resumed range could come from
    another version of the object (issue #13): the .part is not trusted."""
    delivery = order(sb)
    target = tmp_path / "f.tif"
    cancelled_part(gateway, delivery, target)
    _, sidecar = part_paths(target)
    sidecar.write_text(json.dumps({"version": 1, "etag": 'W/"weak"', "last_modified": None,
                                   "total": delivery.size, "md5": None}))
    seen = len(storage_requests(sb))

    result = fetch(gateway, delivery.url, target, retry=FAST)
    (restart,) = storage_requests(sb)[seen:]
    assert header(restart, "Range") is None
    assert not result.resumed
    assert target.read_bytes() == delivery.source.read_bytes()


def test_part_without_sidecar_is_not_trusted(sb, gateway, tmp_path):
    delivery = order(sb)
    target = tmp_path / "f.tif"
    part, _ = part_paths(target)
    part.write_bytes(b"\0" * 1000)  # e.g. left by another program: no validators to check it

    result = fetch(gateway, delivery.url, target, retry=FAST)
    assert header(storage_requests(sb)[0], "Range") is None
    assert not result.resumed
    assert result.attempts == 1
    assert target.read_bytes() == delivery.source.read_bytes()


def test_complete_part_is_finished_on_416(sb, gateway, tmp_path):
    """A crash between the last byte and the rename leaves a full .part: verify and keep it."""
    delivery = order(sb)
    target = tmp_path / "f.tif"
    cancelled_part(gateway, delivery, target)
    part, _ = part_paths(target)
    part.write_bytes(delivery.source.read_bytes())

    result = fetch(gateway, delivery.url, target, retry=FAST)
    assert header(storage_requests(sb)[-1], "Range") == f"bytes={delivery.size}-"
    assert result.bytes_received == 0
    assert result.md5_verified
    assert target.read_bytes() == delivery.source.read_bytes()


# --- checksums ---------------------------------------------------------------------------------


def test_corrupt_part_is_detected_by_md5_and_downloaded_again(sb, gateway, tmp_path):
    delivery = order(sb)
    target = tmp_path / "f.tif"
    part_size = cancelled_part(gateway, delivery, target)
    part, _ = part_paths(target)
    with open(part, "r+b") as stream:  # bit rot (or a bad disk) in the bytes already on disk
        stream.seek(part_size // 2)
        stream.write(b"\xff\x00\xff")

    result = fetch(gateway, delivery.url, target, retry=FAST)
    resume, restart = storage_requests(sb)[-2:]
    assert header(resume, "Range") == f"bytes={part_size}-"
    assert header(restart, "Range") is None
    assert result.bytes_received == (delivery.size - part_size) + delivery.size
    assert not result.resumed
    assert result.md5_verified
    assert target.read_bytes() == delivery.source.read_bytes()


@contextlib.contextmanager
def silently_altered(path: Path):
    """Change one byte of a storage file but keep its size and mtime: the sandbox keeps serving
    its old ETag and MD5, like a blob overwritten behind a stale checksum."""
    original = path.read_bytes()
    stat = path.stat()
    altered = bytearray(original)
    altered[len(altered) // 2] ^= 0xFF
    path.write_bytes(bytes(altered))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    try:
        yield
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_md5_mismatch_twice_is_an_incomplete_transfer(sb, gateway, tmp_path):
    delivery = order(sb)
    target = tmp_path / "f.tif"
    with silently_altered(delivery.source), \
            pytest.raises(IncompleteTransferError, match="MD5"):
        fetch(gateway, delivery.url, target, retry=FAST)
    assert len(storage_requests(sb)) == 2  # one retry from zero, then give up
    assert leftovers(tmp_path) == []  # neither a final file nor a corrupt .part


# --- statuses ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retried(sb, gateway, tmp_path, status):
    delivery = order(sb)
    sb.faults.add("storage", "status", nth=1, times=2, status=status)
    result = fetch(gateway, delivery.url, tmp_path / "f.tif", retry=FAST)
    assert result.attempts == 3
    assert (tmp_path / "f.tif").read_bytes() == delivery.source.read_bytes()


def test_proxy_error_page_is_retried_like_any_bad_gateway(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "status", nth=1, status=502, body="html")
    result = fetch(gateway, delivery.url, tmp_path / "f.tif", retry=FAST)
    assert result.attempts == 2
    assert (tmp_path / "f.tif").read_bytes() == delivery.source.read_bytes()


def test_other_client_errors_are_not_retried(sb, gateway, tmp_path):
    sb.faults.add("storage", "status", nth=1, status=400)
    with pytest.raises(BadRequestError, match="HTTP 400") as caught:
        fetch(gateway, order(sb).url, tmp_path / "f.tif", retry=FAST)
    assert caught.value.code == "InvalidInput"
    assert len(storage_requests(sb)) == 1


def test_rate_limit_honours_retry_after(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "rate_limit", nth=1, retry_after=1)
    started = time.monotonic()
    result = fetch(gateway, delivery.url, tmp_path / "f.tif", retry=FAST)
    assert time.monotonic() - started >= 1.0  # FAST alone would have waited 0.05 s at most
    assert result.attempts == 2


def test_persistent_unavailability_gives_up_with_server_error(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "status", nth=1, times=None, status=503)
    with pytest.raises(ServerError, match="503"):
        fetch(gateway, delivery.url, tmp_path / "f.tif",
              retry=RetryPolicy(attempts=3, base_delay=0.01))
    assert len(storage_requests(sb)) == 3
    assert leftovers(tmp_path) == []


def test_retry_after_beyond_the_cap_is_not_waited_for(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "rate_limit", nth=1, retry_after=3600)
    started = time.monotonic()
    with pytest.raises(RateLimitedError) as caught:
        fetch(gateway, delivery.url, tmp_path / "f.tif", retry=FAST)
    assert time.monotonic() - started < 1
    assert caught.value.retry_after == 3600


def test_missing_blob_is_not_found(sb, gateway, tmp_path):
    sb.faults.add("storage", "status", nth=1, status=404)
    with pytest.raises(NotFoundError, match="no longer in storage") as caught:
        fetch(gateway, order(sb).url, tmp_path / "f.tif", retry=FAST)
    assert caught.value.status == 404
    assert len(storage_requests(sb)) == 1


# --- signed URL expiry -------------------------------------------------------------------------


def test_expired_url_is_refreshed_and_the_download_completes(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "expired_url", nth=1)
    refreshes = []

    def refresh() -> str:
        refreshes.append(1)
        return delivery.refresh()

    result = fetch(gateway, delivery.url, tmp_path / "f.tif", refresh_url=refresh, retry=FAST)
    assert len(refreshes) == 1
    assert result.attempts == 2
    assert (tmp_path / "f.tif").read_bytes() == delivery.source.read_bytes()


def test_really_expired_url_is_refreshed(sb, gateway, tmp_path):
    sb.configure(url_ttl_seconds=-1)  # the sandbox signs URLs that its storage finds expired
    delivery = order(sb)

    def refresh() -> str:
        sb.configure(url_ttl_seconds=3600)
        return delivery.refresh()

    fetch(gateway, delivery.url, tmp_path / "f.tif", refresh_url=refresh, retry=FAST)
    assert (tmp_path / "f.tif").read_bytes() == delivery.source.read_bytes()


def test_expiry_after_a_break_resumes_on_the_fresh_url(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "short", nth=1, at=0.5)
    sb.faults.add("storage", "expired_url", nth=2)
    result = fetch(gateway, delivery.url, tmp_path / "f.tif", refresh_url=delivery.refresh,
                   retry=FAST)
    _, refused, resumed = storage_requests(sb)
    assert header(refused, "Range") == header(resumed, "Range") == f"bytes={delivery.size // 2}-"
    assert result.resumed
    assert result.bytes_received == delivery.size


def test_refresh_exhausted_raises_and_leaves_no_file(sb, gateway, tmp_path):
    sb.configure(url_ttl_seconds=-1)
    delivery = order(sb)
    refreshes = []

    def refresh() -> str:
        refreshes.append(1)
        return delivery.refresh()

    with pytest.raises(SignedUrlExpiredError) as caught:
        fetch(gateway, delivery.url, tmp_path / "f.tif", refresh_url=refresh,
              max_url_refreshes=2, retry=FAST)
    assert len(refreshes) == 2
    assert len(storage_requests(sb)) == 3
    assert caught.value.status == 403
    assert "sig" not in str(caught.value)
    assert delivery.url not in str(caught.value)
    assert leftovers(tmp_path) == []


def test_expired_url_without_refresh_fails_at_once(sb, gateway, tmp_path):
    sb.configure(url_ttl_seconds=-1)
    with pytest.raises(SignedUrlExpiredError, match="expired"):
        fetch(gateway, order(sb).url, tmp_path / "f.tif", retry=FAST)
    assert len(storage_requests(sb)) == 1


# --- a web page instead of the file ------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 403])
def test_proxy_page_is_never_saved(sb, gateway, tmp_path, status):
    delivery = order(sb)
    sb.faults.add("storage", "html", nth=1, status=status)
    refreshes = []
    with pytest.raises(UnexpectedResponseError, match="web page"):
        fetch(gateway, delivery.url, tmp_path / "f.tif", retry=FAST,
              refresh_url=lambda: refreshes.append(1) or delivery.refresh())
    assert leftovers(tmp_path) == []
    assert refreshes == []


# --- storage behaviours the sandbox does not offer ------------------------------------------

BLOB = bytes(range(256)) * 4096  # 1 MiB


class _OddStorage(BaseHTTPRequestHandler):
    """A storage server misbehaving as `server.behaviour` says (HTTP/1.0: one request a
    connection, so a body cut short ends with a clean close)."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        requested = self.headers.get("Range")
        self.server.ranges.append(requested)
        behaviour = self.server.behaviour
        if behaviour == "mislabelled page":
            self._send(200, b"<!DOCTYPE html><html><body>Sign in to continue</body></html>")
        elif behaviour == "no ranges, short bodies":
            self._send(200, BLOB, cut=len(BLOB) // 2)
        elif behaviour == "wrong range" and requested:
            # The right length from the wrong place: only Content-Range tells.
            length = len(BLOB) - int(requested.removeprefix("bytes=").removesuffix("-"))
            self._send(206, BLOB[:length], content_range=f"bytes 0-{length - 1}/{len(BLOB)}")
        else:  # "wrong range": the first answer is cut short so that the client resumes
            self._send(200, BLOB, cut=len(BLOB) // 2 if len(self.server.ranges) == 1 else None)

    def _send(self, status, body, cut=None, content_range=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"odd"')
        if content_range:
            self.send_header("Content-Range", content_range)
        self.end_headers()
        self.wfile.write(body[:cut])

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def odd_storage():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OddStorage)
    server.ranges = []
    server.url = f"http://127.0.0.1:{server.server_address[1]}/blob.tif?sig=x"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_mislabelled_web_page_is_recognised_by_its_bytes(gateway, tmp_path, odd_storage):
    odd_storage.behaviour = "mislabelled page"
    with pytest.raises(UnexpectedResponseError, match="web page"):
        fetch(gateway, odd_storage.url, tmp_path / "f.tif", retry=FAST)
    assert leftovers(tmp_path) == []


def test_resume_answered_with_the_wrong_range_starts_over(gateway, tmp_path, odd_storage):
    odd_storage.behaviour = "wrong range"
    result = fetch(gateway, odd_storage.url, tmp_path / "f.tif", retry=FAST)
    assert odd_storage.ranges == [None, f"bytes={len(BLOB) // 2}-", None]
    assert (tmp_path / "f.tif").read_bytes() == BLOB
    assert not result.resumed
    assert not result.md5_verified  # no MD5 offered: the length is all that could be checked


def test_server_restarting_from_zero_every_time_is_not_progress(gateway, tmp_path, odd_storage):
    """Each attempt gets bytes, but never past the last one's: that must not reset the count."""
    odd_storage.behaviour = "no ranges, short bodies"
    with pytest.raises(IncompleteTransferError, match="closed the connection"):
        fetch(gateway, odd_storage.url, tmp_path / "f.tif",
              retry=RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02))
    assert len(odd_storage.ranges) == 3
    assert not (tmp_path / "f.tif").exists()


def test_attempts_count_only_failures_without_progress(sb, gateway, tmp_path):
    delivery = order(sb)
    sb.faults.add("storage", "short", nth=1, times=4, at=0.5)  # each attempt gets half the rest
    result = fetch(gateway, delivery.url, tmp_path / "f.tif",
                   retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02))
    assert result.attempts == 5
    assert (tmp_path / "f.tif").read_bytes() == delivery.source.read_bytes()


# --- already complete --------------------------------------------------------------------------


def test_complete_file_is_not_downloaded_again(sb, gateway, tmp_path):
    delivery = order(sb)
    target = tmp_path / "f.tif"
    fetch(gateway, delivery.url, target, retry=FAST)
    mtime = target.stat().st_mtime_ns

    result = fetch(gateway, delivery.url, target, retry=FAST)
    probe = storage_requests(sb)[-1]
    assert len(storage_requests(sb)) == 2
    assert header(probe, "Range") == "bytes=0-0"
    assert result.bytes_received == 0
    assert result.attempts == 1
    assert result.md5_verified
    assert target.stat().st_mtime_ns == mtime


def test_existing_file_with_other_content_is_replaced(sb, gateway, tmp_path):
    delivery = order(sb)
    target = tmp_path / "f.tif"
    source = delivery.source.read_bytes()
    target.write_bytes(source[:-1] + b"?")  # same size, different bytes: only MD5 tells

    result = fetch(gateway, delivery.url, target, retry=FAST)
    assert result.attempts == 2
    assert result.bytes_received == delivery.size
    assert target.read_bytes() == source


# --- disk space --------------------------------------------------------------------------------


@pytest.fixture
def disk(small_disk):
    return small_disk(10)


def fill(disk: Path, leave: int) -> Path:
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "wb") as stream:
        stream.write(b"\0" * max(0, free - leave))
    return filler


def test_no_space_for_the_announced_size_fails_before_writing(sb, gateway, disk):
    delivery = order(sb)
    fill(disk, leave=2 * 1024 * 1024)
    target = disk / "f.tif"
    with pytest.raises(DiskFullError, match=r"8\.0 MiB more is needed"):
        fetch(gateway, delivery.url, target, retry=FAST)
    assert leftovers(disk) == ["filler"]


def test_no_space_for_the_expected_size_fails_before_any_request(sb, gateway, disk):
    delivery = order(sb)
    with pytest.raises(DiskFullError):
        fetch(gateway, delivery.url, disk / "f.tif", expected_size=64 * 1024 * 1024)
    assert storage_requests(sb) == []


def test_disk_filling_up_midway_keeps_a_valid_part_for_later(sb, gateway, disk):
    delivery = order(sb)
    target = disk / "f.tif"
    part, sidecar = part_paths(target)
    filler = []
    # Once two chunks are on disk, another program takes all but 100 KiB: the third chunk's write
    # fails part-way.
    hook = once_part_holds(part, 2 * CHUNK,
                           lambda: filler.append(fill(disk, leave=100 * 1024)))
    with pytest.raises(DiskFullError, match="free space"):
        fetch(gateway, delivery.url, target, chunk_size=CHUNK, is_cancelled=hook, retry=FAST)

    assert filler, "the disk never filled up"
    assert not target.exists()
    assert sidecar.exists()
    source = delivery.source.read_bytes()
    # Every byte written before the disk filled is kept; the part of a chunk that fitted is not.
    assert part.read_bytes() == source[:2 * CHUNK]

    filler[0].unlink()
    result = fetch(gateway, delivery.url, target, retry=FAST)
    assert result.resumed
    assert target.read_bytes() == source


# --- secrets -----------------------------------------------------------------------------------


def test_signed_query_never_reaches_logs_or_errors(sb, gateway, tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="pixxel")
    delivery = order(sb)
    signature = requests.utils.urlparse(delivery.url).query.split("sig=")[1]
    sb.faults.add("storage", "drop", nth=1, at=0.5)
    sb.faults.add("storage", "expired_url", nth=2)
    sb.faults.add("storage", "status", nth=3, status=503)
    fetch(gateway, delivery.url, tmp_path / "f.tif", refresh_url=delivery.refresh, retry=FAST)
    sb.faults.add("storage", "status", times=None, status=503)
    with pytest.raises(ServerError) as caught:
        fetch(gateway, delivery.url, tmp_path / "g.tif", retry=RetryPolicy(attempts=2))

    assert "sig=***" in caplog.text  # the URLs were logged, redacted
    for secret in (signature, requests.utils.unquote(signature), sb.api_key):
        assert secret not in caplog.text
        assert secret not in str(caught.value)


# --- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "disposition", "expected"),
    [
        ("https://s.blob/c/TD1_005630_L2A.zip?sv=1&sig=abc", None, "TD1_005630_L2A.zip"),
        ("https://s.blob/c/with%20space.tif", None, "with space.tif"),
        ("https://s.blob/c/x.bin", 'attachment; filename="scene.tif"', "scene.tif"),
        ("https://s.blob/c/x.bin", "attachment; filename*=UTF-8''sc%C3%A8ne.tif", "scène.tif"),
        ("https://s.blob/c/x.bin", 'attachment; filename="../../etc/passwd"', "passwd"),
        ("https://s.blob/c/x.bin", 'attachment; filename="..\\\\..\\\\boot.ini"', "boot.ini"),
        ("https://s.blob/c/a%3Ab%7Cc%3F.tif", None, "a_b_c_.tif"),
        ("https://s.blob/c/CON.tif", None, "_CON.tif"),
        ("https://s.blob/", None, "download"),
        ("https://s.blob/c/..", None, "download"),
    ],
)
def test_suggested_filename_is_safe(url, disposition, expected):
    assert suggested_filename(url, disposition) == expected


def test_suggested_filename_keeps_the_extension_of_long_names(tmp_path):
    name = suggested_filename("https://s.blob/" + "a" * 300 + ".tif")
    assert len(name.encode("utf-8")) == 255 - FILE_RESERVE
    assert name.endswith(".tif")
    (tmp_path / (name + ".part.json")).write_bytes(b"")  # room left for the engine's suffixes


def test_format_bytes():
    assert [format_bytes(n) for n in (0, 1023, 1024, 8 * 1024 ** 2, 3 * 1024 ** 3)] == [
        "0 bytes", "1023 bytes", "1.0 KiB", "8.0 MiB", "3.0 GiB"]


def test_md5_header_is_base64_of_the_whole_file(sb, gateway, tmp_path):
    """The sandbox's x-ms-blob-content-md5 is what fetch() compares against: keep them in step."""
    delivery = order(sb)
    response = requests.get(delivery.url, headers={"Range": "bytes=0-0"}, timeout=10)
    md5 = hashlib.md5(delivery.source.read_bytes(), usedforsecurity=False)
    digest = base64.b64encode(md5.digest()).decode()
    assert response.status_code == 206
    assert response.headers["x-ms-blob-content-md5"] == digest
