"""PixxelClient when things go wrong: error mapping, retries, back-off, deadline and cancel.

Every fault is injected by the sandbox on the wire; the client's retries are counted from the
requests the sandbox recorded."""

import email.utils
import threading
import time

import pytest

from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.errors import (
    BadRequestError,
    CancelledError,
    KeyRejectedError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    UnexpectedResponseError,
)
from pixxel_qgis.core.pixxel.retry import RetryPolicy

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, deadline=10.0)


def sent(sandbox, endpoint):
    return [request for request in sandbox.requests if request.endpoint == endpoint]


def make_client(sandbox, **options):
    options.setdefault("retry", FAST)
    return PixxelClient(sandbox.api_key, sandbox.api_url, **options)


@pytest.fixture
def client(sandbox):
    with make_client(sandbox) as pixxel:
        yield pixxel


@pytest.fixture
def first_aoi(sandbox):
    return sandbox.catalog.aoi_at(0)["aoi_id"]


@pytest.fixture
def ready_assets(sandbox, first_aoi):
    return [a["id"] for a in sandbox.catalog.assets(first_aoi) if a["status"] == "success"]


# -- error mapping -------------------------------------------------------------------------------


def test_a_wrong_key_is_rejected_with_pixxels_message_and_not_retried(sandbox):
    client = PixxelClient("not-the-right-key", sandbox.api_url, retry=FAST)
    with client, pytest.raises(KeyRejectedError) as caught:
        client.projects()
    error = caught.value
    assert error.status == 403
    assert error.code == "FORBIDDEN"
    assert str(error).startswith("Pixxel rejected the API key (HTTP 403): invalid API key.")
    assert len(sandbox.requests) == 1


def test_an_unknown_aoi_is_not_found(client, sandbox):
    with pytest.raises(NotFoundError) as caught:
        client.aoi("no-such-aoi")
    assert caught.value.status == 404
    assert caught.value.code == "NOT_FOUND"
    assert "AOI no-such-aoi not found" in str(caught.value)
    assert len(sandbox.requests) == 1


def test_an_id_stays_one_path_segment(client, sandbox):
    with pytest.raises(NotFoundError):
        client.aoi("abc?aoi_id=1")
    (request,) = sandbox.requests
    assert (request.path, request.query) == ("/v0/aoi/abc?aoi_id=1", {})


def test_a_persistent_500_carries_pixxels_code_after_one_retry(client, sandbox):
    sandbox.faults.add("aois", "status", status=500, times=None)
    with pytest.raises(ServerError) as caught:
        client.aois()
    error = caught.value
    assert (error.status, error.code) == (500, "INTERNAL_SERVER_ERROR")
    assert str(error) == "Pixxel's server failed (HTTP 500): injected fault."
    assert len(sent(sandbox, "aois")) == 2


def test_a_single_500_on_a_get_is_retried(client, sandbox):
    sandbox.faults.add("satellites", "status", status=500)
    assert len(client.satellites()) == len(sandbox.catalog.satellites)
    assert len(sent(sandbox, "satellites")) == 2


def test_a_500_on_the_download_post_is_not_retried(client, sandbox, first_aoi, ready_assets):
    sandbox.faults.add("download_create", "status", status=500)
    with pytest.raises(ServerError):
        client.create_download(first_aoi, ready_assets)
    assert len(sent(sandbox, "download_create")) == 1


@pytest.mark.parametrize(
    ("kind", "params"),
    [("html", {}), ("status", {"status": 403, "body": "html"})],
)
def test_an_html_page_is_not_mistaken_for_pixxel(client, sandbox, kind, params):
    sandbox.faults.add("projects", kind, **params)
    with pytest.raises(UnexpectedResponseError) as caught:
        client.projects()
    status = params.get("status", 200)
    host = sandbox.api_url.split("://", 1)[1]
    assert str(caught.value) == (
        f"The server at {host} answered with an HTML page (HTTP {status}), not Pixxel's API: "
        "a proxy or gateway may be in the way."
    )
    assert caught.value.status == status


def test_invalid_json_names_status_and_content_type(client, sandbox):
    sandbox.faults.add("aois", "invalid_json")
    with pytest.raises(
        UnexpectedResponseError, match=r"HTTP 200 .*not valid JSON.*application/json"
    ):
        client.aois()


def test_an_empty_error_body_still_maps_by_status(client, sandbox):
    sandbox.faults.add("aoi", "status", status=404, body="empty")
    with pytest.raises(NotFoundError, match=r"HTTP 404\): Not Found"):
        client.aoi(sandbox.catalog.aoi_at(0)["aoi_id"])


def test_other_4xx_are_bad_requests_with_details_and_not_retried(client, sandbox, first_aoi):
    with pytest.raises(BadRequestError) as caught:
        client.create_download(first_aoi, ["no-such-asset"])
    assert caught.value.details == {"asset_ids": ["no-such-asset"]}
    assert len(sent(sandbox, "download_create")) == 1


# -- retries -------------------------------------------------------------------------------------


def test_429_waits_as_long_as_retry_after_asks(client, sandbox):
    sandbox.faults.add("projects", "rate_limit", retry_after=1)
    started = time.monotonic()
    projects = client.projects()
    elapsed = time.monotonic() - started
    assert len(projects) == len(sandbox.catalog.projects)
    assert [r.fault for r in sent(sandbox, "projects")] == ["rate_limit", None]
    assert 0.95 <= elapsed < 3  # the policy's own back-off is 10-50 ms


@pytest.mark.parametrize(
    "retry_after",
    ["3600", email.utils.formatdate(time.time() + 3600, usegmt=True)],
    ids=["seconds", "http-date"],
)
def test_429_asking_longer_than_the_cap_gives_up_at_once(client, sandbox, retry_after):
    sandbox.faults.add("projects", "rate_limit", retry_after=retry_after, times=None)
    started = time.monotonic()
    with pytest.raises(RateLimitedError) as caught:
        client.projects()
    assert time.monotonic() - started < 1
    assert caught.value.retry_after == pytest.approx(3600, abs=5)
    assert "It asked to wait" in str(caught.value)
    assert len(sent(sandbox, "projects")) == 1


def test_429_persisting_through_every_attempt(client, sandbox):
    sandbox.faults.add("aois", "rate_limit", retry_after=0, times=None)
    with pytest.raises(RateLimitedError) as caught:
        client.aois()
    assert caught.value.status == 429
    assert len(sent(sandbox, "aois")) == FAST.attempts


def test_503_twice_then_success(client, sandbox):
    sandbox.faults.add("aois", "status", status=503, times=2)
    assert len(client.aois()) == sandbox.catalog.aoi_count
    assert [r.fault for r in sent(sandbox, "aois")] == ["status", "status", None]


def test_503_forever_fails_after_every_attempt(client, sandbox):
    sandbox.faults.add("aois", "status", status=503, times=None)
    with pytest.raises(ServerError) as caught:
        client.aois()
    assert caught.value.status == 503
    assert len(sent(sandbox, "aois")) == FAST.attempts


def test_a_gateway_html_502_is_retried_then_reported_as_such(client, sandbox):
    sandbox.faults.add("aois", "status", status=502, body="html", times=None)
    with pytest.raises(UnexpectedResponseError, match=r"HTML page \(HTTP 502\)"):
        client.aois()
    assert len(sent(sandbox, "aois")) == FAST.attempts


def test_a_stalled_answer_times_out(sandbox):
    sandbox.faults.add("aois", "stall", seconds=2, after_bytes=10)
    client = make_client(sandbox, timeouts=(2, 0.3), retry=RetryPolicy(attempts=1))
    with client, pytest.raises(RequestTimeoutError):
        client.aois()


def test_an_answer_that_never_starts_times_out(sandbox):
    sandbox.faults.add("aois", "slow", delay=2)
    client = make_client(sandbox, timeouts=(2, 0.3), retry=RetryPolicy(attempts=1))
    with client, pytest.raises(RequestTimeoutError):
        client.aois()


def test_a_stalled_answer_is_retried(sandbox):
    sandbox.faults.add("aois", "stall", seconds=2, after_bytes=10)
    with make_client(sandbox, timeouts=(2, 0.3)) as client:
        assert len(client.aois()) == sandbox.catalog.aoi_count
    assert [r.fault for r in sent(sandbox, "aois")] == ["stall", None]


@pytest.mark.parametrize("kind", ["drop", "short"])
def test_a_broken_or_truncated_answer_is_retried(client, sandbox, kind):
    sandbox.faults.add("aois", kind)
    assert len(client.aois()) == sandbox.catalog.aoi_count
    assert [r.fault for r in sent(sandbox, "aois")] == [kind, None]


def test_a_truncated_answer_is_a_network_error_once_retries_run_out(sandbox):
    sandbox.faults.add("aois", "short", times=None)
    client = make_client(sandbox, retry=RetryPolicy(attempts=1))
    with client, pytest.raises(NetworkError, match="cut short"):
        client.aois()


def test_the_deadline_bounds_all_retries(sandbox):
    policy = RetryPolicy(attempts=100, base_delay=0.05, max_delay=0.05, deadline=0.5)
    sandbox.faults.add("aois", "status", status=503, times=None)
    started = time.monotonic()
    with make_client(sandbox, retry=policy) as client, pytest.raises(ServerError):
        client.aois()
    assert time.monotonic() - started < 0.8
    assert 2 <= len(sent(sandbox, "aois")) < 20


def test_the_deadline_shortens_the_read_timeout(sandbox):
    sandbox.faults.add("aois", "stall", seconds=3, after_bytes=10)
    policy = RetryPolicy(attempts=5, base_delay=0.01, deadline=0.4)
    started = time.monotonic()
    client = make_client(sandbox, timeouts=(10, 60), retry=policy)
    with client, pytest.raises(RequestTimeoutError):
        client.aois()
    assert time.monotonic() - started < 0.8


def test_cancel_during_back_off_stops_quickly(sandbox):
    cancelled = threading.Event()
    policy = RetryPolicy(attempts=3, base_delay=5.0, max_delay=5.0)
    sandbox.faults.add("aois", "status", status=503, times=None)
    timer = threading.Timer(0.2, cancelled.set)
    timer.start()
    started = time.monotonic()
    try:
        client = make_client(sandbox, retry=policy, is_cancelled=cancelled.is_set)
        with client, pytest.raises(CancelledError):
            client.aois()
    finally:
        timer.cancel()
    assert time.monotonic() - started < 1.0
    assert len(sent(sandbox, "aois")) == 1


def test_cancel_while_waiting_for_an_answer_ends_the_call_at_once(sandbox, cancel_mid_call):
    """A server that stopped answering must not hold a cancel (the plugin's unload, QGIS' exit)
    for the read timeout, which here is far longer than the test may take."""
    sandbox.faults.add("aois", "slow", delay=10)

    def list_aois(is_cancelled) -> None:
        with make_client(sandbox, timeouts=(10, 30), is_cancelled=is_cancelled) as client:
            client.aois()

    # The request is out once the sandbox has it; its answer will not come for 10 s.
    error, seconds = cancel_mid_call(list_aois, lambda: bool(sent(sandbox, "aois")))
    assert isinstance(error, CancelledError)
    assert seconds < 1.0
    assert len(sent(sandbox, "aois")) == 1  # a cancel is not a failure to retry


def test_an_uncancellable_client_still_gets_its_answers(sandbox):
    """The control: without is_cancelled the answer is waited for on the caller's thread."""
    sandbox.faults.add("aois", "slow", delay=0.3)
    with make_client(sandbox) as client:
        assert len(client.aois()) == sandbox.catalog.aoi_count


def test_a_cancelled_client_sends_nothing(sandbox):
    with make_client(sandbox, is_cancelled=lambda: True) as client, pytest.raises(CancelledError):
        client.projects()
    assert sandbox.requests == []


# -- the download POST ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params"),
    [("status", {"status": 503}), ("rate_limit", {"retry_after": 0}), ("drop", {})],
)
def test_the_download_post_is_retried_on_transient_failures(
    client, sandbox, first_aoi, ready_assets, kind, params
):
    sandbox.faults.add("download_create", kind, **params)
    download = client.create_download(first_aoi, ready_assets)
    posts = sent(sandbox, "download_create")
    assert [r.fault for r in posts] == [kind, None]
    # The id returned is the retry's, which the status endpoint knows.
    assert client.download_status(first_aoi, download.download_id).is_ready
