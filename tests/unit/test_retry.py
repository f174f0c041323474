"""Back-off arithmetic: Retry-After parsing, jittered exponential delays, deadlines, cancel."""

import email.utils
import random
import threading
import time

import pytest

from pixxel_qgis.core.pixxel.errors import CancelledError
from pixxel_qgis.core.pixxel.retry import (
    RETRYABLE_STATUSES,
    Deadline,
    RetryPolicy,
    parse_retry_after,
    sleep_unless_cancelled,
)

NOW = 1_700_000_000.0


def test_retryable_statuses_are_the_transient_ones():
    assert frozenset({429, 502, 503, 504}) == RETRYABLE_STATUSES


@pytest.mark.parametrize(("value", "seconds"), [("0", 0.0), ("7", 7.0), (" 120 ", 120.0)])
def test_retry_after_in_seconds(value, seconds):
    assert parse_retry_after(value) == seconds


@pytest.mark.parametrize("offset", [30, 3600])
def test_retry_after_as_an_http_date(offset):
    value = email.utils.formatdate(NOW + offset, usegmt=True)
    assert parse_retry_after(value, now=NOW) == pytest.approx(offset)


def test_retry_after_in_the_past_means_now():
    value = email.utils.formatdate(NOW - 600, usegmt=True)
    assert parse_retry_after(value, now=NOW) == 0.0


def test_retry_after_date_defaults_to_the_wall_clock():
    value = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 <= parse_retry_after(value) <= 60


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "Wed, 99 Foo 2024", "0x10"])
def test_unreadable_retry_after_is_none(value):
    assert parse_retry_after(value) is None


def test_backoff_doubles_within_jitter_bounds_and_caps():
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0)
    rng = random.Random(1234)  # noqa: S311 - seeded jitter, not cryptography
    for retry_number in range(1, 12):
        ceiling = min(8.0, 0.5 * 2 ** (retry_number - 1))
        delays = [policy.backoff(retry_number, rng) for _ in range(200)]
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        # Jitter: clients that failed together do not retry together.
        assert max(delays) - min(delays) > ceiling / 4


def test_backoff_without_an_rng_uses_the_module_random():
    policy = RetryPolicy(base_delay=0.01, max_delay=0.05)
    assert 0.005 <= policy.backoff(1) <= 0.01
    assert 0.025 <= policy.backoff(10) <= 0.05


def test_default_policy():
    policy = RetryPolicy()
    assert policy.attempts >= 2
    assert policy.max_delay <= policy.retry_after_cap <= policy.deadline


def test_deadline_counts_down_on_its_clock():
    now = [100.0]
    deadline = Deadline(10.0, clock=lambda: now[0])
    assert deadline.remaining() == 10.0
    assert not deadline.expired()
    now[0] = 107.5
    assert deadline.remaining() == 2.5
    now[0] = 110.0
    assert deadline.expired()
    now[0] = 200.0
    assert deadline.remaining() == 0.0


def test_sleep_returns_after_the_delay():
    started = time.monotonic()
    sleep_unless_cancelled(0.15, lambda: False, step=0.05)
    assert 0.15 <= time.monotonic() - started < 0.5


def test_sleep_stops_within_a_step_of_a_cancel():
    cancelled = threading.Event()
    timer = threading.Timer(0.1, cancelled.set)
    timer.start()
    started = time.monotonic()
    try:
        with pytest.raises(CancelledError):
            sleep_unless_cancelled(10.0, cancelled.is_set, step=0.05)
    finally:
        timer.cancel()
    assert time.monotonic() - started < 0.5


def test_an_already_cancelled_sleep_raises_at_once():
    with pytest.raises(CancelledError):
        sleep_unless_cancelled(0.0, lambda: True)
