"""Ordering archive imagery (core/pixxel/ordering.py) against the sandbox: dry-run prices, a
placed order, and above all that no order request is ever sent twice: the sandbox's request log
shows exactly one POST /v0/orders whatever goes wrong, and the error says whether Pixxel may
have placed the order anyway."""

import math
import time

import pytest

from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.archive import ArchiveClient
from pixxel_qgis.core.pixxel.errors import (
    BadRequestError,
    CancelledError,
    NetworkError,
    RateLimitedError,
)
from pixxel_qgis.core.pixxel.ordering import (
    ArchiveOrderRequest,
    OrderingNotAllowedError,
    OrderOutcomeUnknownError,
    place_order,
    quote_order,
)
from pixxel_qgis.core.pixxel.retry import RetryPolicy

# Generous retries: if an order POST were retried at all, these would show it.
FAST = RetryPolicy(attempts=5, base_delay=0.01, max_delay=0.05, deadline=10.0)


def order_posts(sandbox):
    return [r for r in sandbox.requests if r.endpoint == "order_create"]


def make_client(sandbox, key=None, **options):
    options.setdefault("retry", FAST)
    return PixxelClient(key or sandbox.api_key, sandbox.api_url, **options)


@pytest.fixture
def client(sandbox):
    with make_client(sandbox) as pixxel:
        yield pixxel


@pytest.fixture
def request_(sandbox, client):
    """An archive order of the first AOI's first two captures, over their own footprints."""
    near = [i.id for i in sandbox.archive.items_of_aoi(0)[:2]]
    items = ArchiveClient(client).items(near)
    return ArchiveOrderRequest.for_items(
        sandbox.catalog.aoi_at(0)["project_id"], [items[i] for i in near]
    )


def test_a_dry_run_prices_each_capture_and_orders_nothing(client, sandbox, request_):
    before = len(sandbox.purchases.orders)
    quote = quote_order(client, request_)
    assert len(sandbox.purchases.orders) == before
    assert len(order_posts(sandbox)) == 1
    order = quote.order
    assert (order.id, order.status) == ("", "UNPAID")
    assert [line.type for line in order.lines] == ["ARCHIVE", "ARCHIVE"]
    assert order.feasibility_status == "NOT_APPLICABLE"
    for line, item_id in zip(order.lines, request_.item_ids):
        image = sandbox.archive.item(item_id)
        west, south, east, north = image.box
        km = 111.32
        area = (east - west) * km * math.cos(math.radians((south + north) / 2)) * \
            (north - south) * 110.57
        assert line.area_km2 == pytest.approx(max(1, math.ceil(area)), abs=1)
        assert line.number_of_bands == len(image.spec.wavelengths_nm)
        assert line.base_amount == pytest.approx(
            max(line.area_km2, 25) * line.number_of_bands * 0.4)
        assert line.final_amount >= line.base_amount
    assert order.final_amount == pytest.approx(sum(line.final_amount for line in order.lines))
    assert order.currency is None  # the spec names none, and none is invented


def test_the_priced_order_is_placed_once(client, sandbox, request_):
    quote = quote_order(client, request_)
    before = len(sandbox.purchases.orders)
    placed = place_order(client, quote)
    assert placed.id
    assert placed.status == "PAID"
    assert [line.status for line in placed.lines] == ["ACTIVE", "ACTIVE"]
    assert placed.final_amount == pytest.approx(quote.order.final_amount)
    assert len(sandbox.purchases.orders) == before + 1
    assert len(order_posts(sandbox)) == 2  # the dry run and the order


def test_bandset_and_delivery_speed_are_sent_when_chosen(client, sandbox, request_):
    bandset = ArchiveClient(client).bandsets()[0]
    chosen = ArchiveOrderRequest(request_.project_id, request_.lines, "forestry", bandset.id,
                                 "STANDARD")
    body = chosen.body(dry_run=True)["order_items"][0]
    assert body["bandset"] == {"bandset_id": bandset.id}
    assert body["delivery_speed"] == "STANDARD"
    assert body["usecase"] == "forestry"
    assert body["geometry"]["type"] == "FeatureCollection"
    assert quote_order(client, chosen).order.lines  # the sandbox checks the body on the spec


def test_a_connection_dropped_after_sending_is_not_retried(client, sandbox, request_):
    quote = quote_order(client, request_)
    before = len(sandbox.purchases.orders)
    sandbox.faults.add("order_create", "drop", at=0.3)
    with pytest.raises(OrderOutcomeUnknownError) as caught:
        place_order(client, quote)
    assert len(order_posts(sandbox)) == 2  # the dry run, and ONE order request
    # Exactly why: the sandbox placed it before the connection broke. A retry would have
    # bought the same imagery twice.
    assert len(sandbox.purchases.orders) == before + 1
    message = str(caught.value)
    assert "may or may not have placed the order" in message
    assert "Check your orders" in message
    assert "does not send an order twice" in message


@pytest.mark.parametrize(("fault", "options"), [
    ("status", {"status": 503}), ("status", {"status": 502, "body": "html"}),
    ("status", {"status": 500}), ("invalid_json", {"status": 201}),
    ("short", {"at": 0.5}),
])
def test_no_failure_after_sending_is_retried(client, sandbox, request_, fault, options):
    quote = quote_order(client, request_)
    sandbox.faults.add("order_create", fault, **options)
    with pytest.raises(OrderOutcomeUnknownError):
        place_order(client, quote)
    assert len(order_posts(sandbox)) == 2


def test_a_time_out_waiting_for_the_answer_is_not_retried(sandbox, request_):
    with make_client(sandbox, timeouts=(2.0, 0.4)) as client:
        quote = quote_order(client, request_)
        sandbox.faults.add("order_create", "slow", delay=1.5)
        with pytest.raises(OrderOutcomeUnknownError, match="may or may not"):
            place_order(client, quote)
    assert len(order_posts(sandbox)) == 2


def test_a_cancel_while_waiting_leaves_the_outcome_unknown(sandbox, request_, cancel_mid_call):
    with make_client(sandbox) as client:
        quote = quote_order(client, request_)
    sandbox.faults.add("order_create", "slow", delay=3)

    def call(is_cancelled):
        with make_client(sandbox, is_cancelled=is_cancelled) as cancellable:
            place_order(cancellable, quote)

    error, _ = cancel_mid_call(call, lambda: len(order_posts(sandbox)) == 2)
    assert isinstance(error, OrderOutcomeUnknownError)
    assert len(order_posts(sandbox)) == 2


def test_a_cancel_before_sending_sends_nothing(sandbox, request_):
    with make_client(sandbox) as client:
        quote = quote_order(client, request_)
    with make_client(sandbox, is_cancelled=lambda: True) as cancelled, \
            pytest.raises(CancelledError):
        place_order(cancelled, quote)
    assert len(order_posts(sandbox)) == 1


def test_a_rate_limit_says_nothing_was_ordered_and_is_not_retried(client, sandbox, request_):
    quote = quote_order(client, request_)
    sandbox.faults.add("order_create", "rate_limit", retry_after=0)
    before = len(sandbox.purchases.orders)
    with pytest.raises(RateLimitedError, match="Nothing was ordered"):
        place_order(client, quote)
    assert len(order_posts(sandbox)) == 2
    assert len(sandbox.purchases.orders) == before


def test_the_viewer_key_gets_a_clear_refusal(sandbox, request_):
    assert sandbox.viewer_key == "pixxel-viewer-key-0002"
    with make_client(sandbox, sandbox.viewer_key) as viewer:
        with pytest.raises(OrderingNotAllowedError) as caught:
            quote_order(viewer, request_)
        assert caught.value.status == 403
        message = str(caught.value)
        assert "does not let this API key place orders" in message
        assert "orders:create" in message
        assert "Nothing was ordered" in message
        with make_client(sandbox) as owner:
            quote = quote_order(owner, request_)
        with pytest.raises(OrderingNotAllowedError):
            place_order(viewer, quote)
    assert len(order_posts(sandbox)) == 3  # one each, none repeated


def test_an_invalid_order_is_refused_with_the_reason(client, sandbox, request_):
    far = next(i for i in sandbox.archive.items
               if abs(i.box[0] - sandbox.catalog.aoi_at(0)["centroid"][0]) > 10)
    line = request_.lines[0]
    wrong = ArchiveOrderRequest(request_.project_id,
                                (type(line)((far.id,), line.geometry, "far"),))
    with pytest.raises(BadRequestError, match="does not intersect|item outside"):
        quote_order(client, wrong)


def test_a_dry_run_that_fails_on_the_network_is_an_ordinary_error(client, sandbox, request_):
    sandbox.faults.add("order_create", "drop", at=0.3)
    with pytest.raises(NetworkError) as caught:
        quote_order(client, request_)
    assert not isinstance(caught.value, OrderOutcomeUnknownError)
    assert len(order_posts(sandbox)) == 1  # not retried either


@pytest.mark.parametrize("change", [
    {"project_id": ""}, {"lines": ()}, {"usecase": " "}, {"delivery_speed": "EXPRESS"},
])
def test_incomplete_requests_are_refused_before_sending(request_, change):
    fields = {"project_id": request_.project_id, "lines": request_.lines, **change}
    with pytest.raises(ValueError, match="needs|Unknown delivery speed"):
        ArchiveOrderRequest(**fields)


def test_a_slow_but_successful_order_is_waited_for(sandbox, request_):
    with make_client(sandbox) as client:
        quote = quote_order(client, request_)
        sandbox.faults.add("order_create", "slow", delay=0.5)
        started = time.monotonic()
        assert place_order(client, quote).id
    assert time.monotonic() - started >= 0.5
