"""The watcher thread behind prompt cancels: it ends at the plugin's unload, and a request made
afterwards gets a new one, still cancellable."""

import threading
import time

import pytest

from pixxel_qgis.core.pixxel import interruptible
from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.errors import CancelledError
from pixxel_qgis.core.pixxel.retry import RetryPolicy

ONCE = RetryPolicy(attempts=1)


def watchers() -> list:
    return [t for t in threading.enumerate() if t.name == "pixxel-cancel-watch" and t.is_alive()]


def cancellable_client(sandbox, is_cancelled) -> PixxelClient:
    return PixxelClient(sandbox.api_key, sandbox.api_url, trust_env=False, retry=ONCE,
                        timeouts=(10, 30), is_cancelled=is_cancelled)


def test_the_watcher_ends_at_unload_and_comes_back_for_the_next_request(sandbox):
    with cancellable_client(sandbox, lambda: False) as client:
        client.projects()
    assert len(watchers()) == 1

    interruptible.stop_watcher()
    assert watchers() == []

    sandbox.faults.add("projects", "slow", delay=10)
    cancelled = threading.Event()
    timer = threading.Timer(0.3, cancelled.set)
    started = time.monotonic()
    timer.start()
    with cancellable_client(sandbox, cancelled.is_set) as client, pytest.raises(CancelledError):
        client.projects()
    timer.join()
    assert time.monotonic() - started < 2.0  # the answer would have taken 10 s
    assert len(watchers()) == 1


def test_stopping_waits_for_requests_still_in_flight(sandbox, cancel_mid_call):
    """A request registered before the stop is still cut short by its cancel."""
    sandbox.faults.add("projects", "slow", delay=10)

    def list_projects(is_cancelled) -> None:
        with cancellable_client(sandbox, is_cancelled) as client:
            client.projects()

    error, _seconds = cancel_mid_call(
        list_projects, lambda: bool(sandbox.requests), settle=0.1,
        before_cancel=lambda: interruptible.stop_watcher(timeout=0.2),
    )
    assert isinstance(error, CancelledError)
    deadline = time.monotonic() + 2
    while watchers() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert watchers() == []
