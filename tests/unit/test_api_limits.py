"""PixxelClient against an API that misbehaves without failing (issue #13): answers that trickle,
inflate, nest without end or stop short; listings that never end or repeat themselves; error
bodies that quote secrets. Every case is a sandbox fault on the wire, with small limits
(core/pixxel/limits.py holds the real ones)."""

import logging
import threading
import time
import tracemalloc

import pytest
import urllib3

from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.errors import (
    BadRequestError,
    CancelledError,
    NetworkError,
    RequestTimeoutError,
    UnexpectedResponseError,
)
from pixxel_qgis.core.pixxel.limits import ApiLimits
from pixxel_qgis.core.pixxel.paging import REPEATED_PAGE_NOTICE
from pixxel_qgis.core.pixxel.retry import RetryPolicy

MIB = 1024 * 1024
URLLIB3_MAJOR = int(urllib3.__version__.split(".")[0])


def sent(sandbox, endpoint):
    return [request for request in sandbox.requests if request.endpoint == endpoint]


def make_client(sandbox, *, deadline=10.0, **options):
    options.setdefault("retry", RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05,
                                            deadline=deadline))
    return PixxelClient(sandbox.api_key, sandbox.api_url, **options)


def host(sandbox):
    return sandbox.api_url.split("://", 1)[1]


# -- the deadline of one call --------------------------------------------------------------------


def test_a_trickling_answer_ends_at_the_calls_deadline(sandbox):
    """Every byte comes well within the read timeout, so only the call's deadline can end it."""
    sandbox.faults.add("aois", "trickle", bytes=1, interval=0.05, times=None)
    started = time.monotonic()
    with make_client(sandbox, deadline=1.0, timeouts=(2, 0.5)) as client, \
            pytest.raises(RequestTimeoutError) as caught:
        client.aois()
    elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 1.5
    assert str(caught.value) == (
        f"{host(sandbox)} did not complete its answer within 1 s (retries included): the "
        "connection or the server is too slow. Try again later."
    )
    assert len(sent(sandbox, "aois")) == 1  # the deadline is spent: nothing left to retry with


def test_the_deadline_counts_earlier_attempts_too(sandbox):
    sandbox.faults.add("aois", "status", status=503, times=2)
    sandbox.faults.add("aois", "trickle", nth=3, bytes=1, interval=0.05, times=None)
    started = time.monotonic()
    with make_client(sandbox, deadline=1.0) as client, pytest.raises(RequestTimeoutError):
        client.aois()
    assert time.monotonic() - started < 1.5
    assert [r.fault for r in sent(sandbox, "aois")] == ["status", "status", "trickle"]


def test_a_cancellable_client_also_ends_at_the_deadline_and_says_so(sandbox):
    never = threading.Event()
    sandbox.faults.add("aois", "trickle", bytes=1, interval=0.05, times=None)
    client = make_client(sandbox, deadline=0.6, is_cancelled=never.is_set)
    with client, pytest.raises(RequestTimeoutError, match="within 0.6 s"):
        client.aois()


def test_a_cancel_during_a_trickle_is_still_a_cancel(sandbox, cancel_mid_call):
    sandbox.faults.add("aois", "trickle", bytes=1, interval=0.05, times=None)

    def list_aois(is_cancelled) -> None:
        with make_client(sandbox, deadline=30, is_cancelled=is_cancelled) as client:
            client.aois()

    error, seconds = cancel_mid_call(list_aois, lambda: bool(sent(sandbox, "aois")))
    assert isinstance(error, CancelledError)
    assert seconds < 0.5


def test_a_slow_answer_that_completes_within_the_deadline_is_read(sandbox):
    """The control: a trickle that ends in time is an ordinary, if slow, answer."""
    sandbox.faults.add("aois", "trickle", bytes=2048, interval=0.05)
    with make_client(sandbox, deadline=5.0, timeouts=(2, 0.5)) as client:
        assert len(client.aoi_page(0, 10).items) == 10


def test_ping_has_a_deadline_too(sandbox):
    sandbox.faults.add("ping", "trickle", bytes=1, interval=0.2)
    started = time.monotonic()
    with make_client(sandbox, deadline=0.5) as client, pytest.raises(RequestTimeoutError):
        client.ping()
    assert time.monotonic() - started < 1.0


# -- the size of an answer -----------------------------------------------------------------------


def test_a_gzip_bomb_stops_at_the_body_limit_without_inflating_it_all(sandbox):
    sandbox.faults.add("aois", "gzip_bomb", decoded_bytes=64 * MIB)
    client = make_client(sandbox, limits=ApiLimits(max_body_bytes=1 * MIB))
    tracemalloc.start()
    try:
        with client, pytest.raises(UnexpectedResponseError) as caught:
            client.aoi_page()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == (
        f"The answer from {host(sandbox)} is larger than 1.0 MiB, far more than Pixxel's API "
        "sends: it was not read to the end."
    )
    assert peak < 8 * MIB  # 64 MiB inflated would show here
    assert len(sent(sandbox, "aois")) == 1  # the same answer would come again: not retried


def test_a_compressed_answer_within_the_limit_is_read(sandbox):
    """The control: gzip itself is fine; the limit counts decoded bytes."""
    sandbox.faults.add("aois", "gzip_bomb", decoded_bytes=900 * 1024)
    with make_client(sandbox, limits=ApiLimits(max_body_bytes=1 * MIB)) as client:
        page = client.aoi_page()
    assert (page.items, page.total) == ((), 0)


def test_an_uncompressed_answer_over_the_limit_is_refused_by_its_length(sandbox):
    with make_client(sandbox, limits=ApiLimits(max_body_bytes=1024)) as client, \
            pytest.raises(UnexpectedResponseError, match=r"larger than 1\.0 KiB"):
        client.aoi_page(0, 10)


# -- malformed answers ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 400, 503])
def test_json_nested_without_end_is_an_unexpected_response(sandbox, status):
    sandbox.faults.add("aois", "nested_json", status=status)  # deeper than any parser's stack
    with make_client(sandbox, retry=RetryPolicy(attempts=1)) as client, \
            pytest.raises(UnexpectedResponseError) as caught:
        client.aois()
    assert str(caught.value) == (
        f"The server at {host(sandbox)} answered HTTP {status} with JSON nested too deeply to be "
        "Pixxel's: a proxy or a broken server may be the cause."
    )
    assert caught.value.status == status


def test_a_truncated_answer_says_cut_short_not_could_not_connect(sandbox):
    """urllib3 2 raises on a body shorter than its Content-Length (1.26 does not): either way the
    user reads that the answer was cut short."""
    sandbox.faults.add("aois", "short", after_bytes=40, times=None)
    with make_client(sandbox, retry=RetryPolicy(attempts=2, base_delay=0.01)) as client, \
            pytest.raises(NetworkError) as caught:
        client.aois()
    assert "was cut short (40 of " in str(caught.value)
    assert "Could not connect" not in str(caught.value)
    assert len(sent(sandbox, "aois")) == 2  # retried like any broken transfer


def test_a_connection_dropped_mid_answer_is_retried(sandbox):
    sandbox.faults.add("aois", "drop", after_bytes=40)
    with make_client(sandbox) as client:
        assert len(client.aois()) == sandbox.catalog.aoi_count


# -- listings ------------------------------------------------------------------------------------


def test_endless_pages_stop_at_the_announced_total_rounded_up(sandbox):
    """Pages of 10 and a first total of 20: two pages are due, plus the slack for AOIs created
    during the listing; then the listing ends with a message, not with memory exhausted."""
    sandbox.configure(page_cap=10)
    sandbox.faults.add("aois", "endless_pages", times=None)
    with make_client(sandbox, limits=ApiLimits(page_slack=2)) as client, \
            pytest.raises(UnexpectedResponseError) as caught:
        client.aois()
    assert str(caught.value) == (
        f"{host(sandbox)} kept sending new AOIs beyond the 20 it announced (4 pages): the "
        "listing was stopped. Try again later; contact Pixxel if it persists."
    )
    assert len(sent(sandbox, "aois")) == 4


def test_endless_pages_without_a_total_stop_at_the_hard_ceiling(sandbox):
    sandbox.configure(page_cap=10)
    sandbox.faults.add("assets", "endless_pages", total="none", times=None)
    aoi_id = sandbox.catalog.aoi_at(0)["aoi_id"]
    with make_client(sandbox, limits=ApiLimits(max_pages=6)) as client, \
            pytest.raises(UnexpectedResponseError) as caught:
        client.assets(aoi_id)
    assert str(caught.value) == (
        f"{host(sandbox)} sent more than 6 pages of assets: the listing was stopped there. "
        "Try again later; contact Pixxel if it persists."
    )
    assert len(sent(sandbox, "assets")) == 6


def test_a_long_honest_listing_is_not_capped(sandbox):
    """The control: 30 AOIs in pages of 7 take 5 pages, all within the cap."""
    sandbox.configure(page_cap=7)
    with make_client(sandbox, limits=ApiLimits(page_slack=0)) as client:
        listing = client.iter_aois()
        assert len(list(listing)) == sandbox.catalog.aoi_count
    assert listing.notice is None
    assert len(sent(sandbox, "aois")) == 5


def test_a_server_ignoring_offset_is_detected_and_said(sandbox, caplog):
    sandbox.configure(page_cap=10)
    sandbox.faults.add("aois", "ignore_offset", times=None)
    caplog.set_level(logging.WARNING, logger="pixxel")
    with make_client(sandbox) as client:
        listing = client.iter_aois()
        rows = list(listing)
    assert len(rows) == 10
    assert listing.incomplete
    assert listing.notice == REPEATED_PAGE_NOTICE == (
        "The server returned the same page twice; the list may be incomplete."
    )
    assert len(sent(sandbox, "aois")) == 2
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning == (
        f"Listing AOIs: {host(sandbox)} returned the same page twice (offset 10): 10 of 30 "
        "listed. The server returned the same page twice; the list may be incomplete."
    )


def test_an_honest_listing_has_no_notice(sandbox):
    with make_client(sandbox) as client:
        listing = client.iter_assets(sandbox.catalog.aoi_at(0)["aoi_id"])
        assert list(listing)
    assert not listing.incomplete
    assert listing.notice is None


def test_projects_from_a_server_ignoring_page_num_are_flagged_in_the_log(sandbox, caplog):
    sandbox.configure(page_cap=1)
    sandbox.faults.add("projects", "ignore_offset", times=None)
    caplog.set_level(logging.WARNING, logger="pixxel")
    with make_client(sandbox) as client:
        assert len(client.projects()) == 1
    assert any("returned the same page twice" in r.getMessage() for r in caplog.records)


# -- error details -------------------------------------------------------------------------------


def test_pixxels_error_details_are_redacted_when_the_error_is_made(sandbox):
    """The sandbox quotes unknown asset ids in `details`: ids carrying the key or a signed URL
    must not reach the error object, which QGIS may log or show whole."""
    aoi_id = sandbox.catalog.aoi_at(0)["aoi_id"]
    signed = "https://storage.example/f.zip?sv=1&sig=TOPSECRETSIG"
    with make_client(sandbox) as client, pytest.raises(BadRequestError) as caught:
        client.create_download(aoi_id, [f"id-{sandbox.api_key}", signed])
    details = caught.value.details
    assert details == {"asset_ids": ["id-***", "https://storage.example/f.zip?sv=***&sig=***"]}
    assert sandbox.api_key not in repr(vars(caught.value))


def test_the_gateway_never_calls_a_cut_body_a_failed_connection(sandbox):
    """A body the gateway reads itself (stream=False): urllib3 1.26 hands over the 40 bytes
    without complaint (the API client counts them, see above), urllib3 2 raises, and that must
    read "cut short", not "Could not connect"."""
    from pixxel_qgis.core.pixxel.http import HttpGateway

    sandbox.faults.add("aois", "short", after_bytes=40)
    url, headers = f"{sandbox.api_url}/v0/aois", {"Authorization": sandbox.api_key}
    with HttpGateway(user_agent="test") as gateway:
        if URLLIB3_MAJOR < 2:
            assert len(gateway.send("GET", url, headers=headers).content) == 40
        else:
            with pytest.raises(NetworkError) as caught:
                gateway.send("GET", url, headers=headers)
            assert str(caught.value) == f"The answer from {host(sandbox)} was cut short."
