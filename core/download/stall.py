"""The minimum speed a download must keep, and reading a body as its bytes arrive.

A read timeout only ends a read that gets *nothing* for its whole length: storage that sends a
byte a second never trips it, and a 100 kB file would then keep `qgis_process` busy for a day.
`StallPolicy` says how slow is too slow — less than `min_bytes_per_second` on average over the
last `window_seconds` — and its defaults below are the only place these numbers live: a
`DownloadJob` carries the policy to `transfer.fetch`, and core/qgis/settings.py reads other
values from the `pixxel/stall_min_bytes_per_second` and `pixxel/stall_window_seconds` settings.
A stalled transfer is a resumable failure: the `.part` keeps what arrived, the attempt is retried
like a dropped connection, and the last one ends with a message saying what happened.

`StallWatch` measures one attempt. It is asked by the transfer's own thread after every read and
by the cancel watcher (core/pixxel/interruptible.py), which shuts the socket down when a read
sits in one `recv` past the window; so it is thread-safe.

`read_some` reads a body in the pieces the network delivers (one `recv` each) instead of blocks
of a fixed size: a read of 1 MiB returns only once 1 MiB arrived, which at a byte a second is
never, and nothing could be measured in between.

Pure Python.
"""

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Deque, Optional, Tuple

from ..pixxel.errors import RequestTimeoutError
from .files import format_bytes

if TYPE_CHECKING:
    import requests

DEFAULT_MIN_BYTES_PER_SECOND = 1024  # 1 KiB/s: a 1 GB scene would take 11 days at this speed
DEFAULT_WINDOW_SECONDS = 60.0  # as long as the read timeout: a pause on a busy link is no stall
_SAMPLES_PER_WINDOW = 16  # resolution of the sliding window; memory stays constant


@dataclass(frozen=True)
class StallPolicy:
    """A transfer is stalled when, over its last `window_seconds`, fewer than
    `min_bytes_per_second` arrived on average. `min_bytes_per_second=0` never calls one stalled."""

    min_bytes_per_second: float = DEFAULT_MIN_BYTES_PER_SECOND
    window_seconds: float = DEFAULT_WINDOW_SECONDS

    def __post_init__(self) -> None:
        if self.min_bytes_per_second < 0 or self.window_seconds <= 0:
            raise ValueError("a stall policy needs a speed of 0 or more and a window over 0 s")

    @property
    def enabled(self) -> bool:
        return self.min_bytes_per_second > 0

    def describe(self) -> str:
        """'less than 1.0 KiB/s for 60 s'"""
        speed = format_bytes(int(self.min_bytes_per_second))
        return f"less than {speed}/s for {self.window_seconds:g} s"


DEFAULT_STALL = StallPolicy()


class StallWatch:
    """Bytes received over a sliding window of one attempt, against a StallPolicy."""

    def __init__(self, policy: StallPolicy, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        self._lock = threading.Lock()
        self._received = 0
        self._start = self._last = clock()  # _last: when bytes last arrived
        # (time, bytes received by then), one per step at most; the first is the newest at or
        # before the window's start.
        self._samples: Deque[Tuple[float, int]] = deque([(self._start, 0)])
        self._step = policy.window_seconds / _SAMPLES_PER_WINDOW
        self.tripped = False  # once stalled, stays so: the attempt is over

    def add(self, count: int) -> None:
        now = self._clock()
        with self._lock:
            self._received += count
            self._last = now
            if now - self._samples[-1][0] >= self._step:
                self._samples.append((now, self._received))

    def stalled(self) -> bool:
        if not self.policy.enabled:
            return False
        now = self._clock()
        window = self.policy.window_seconds
        with self._lock:
            if self.tripped:
                return True
            if now - self._start < window:  # not yet a whole window of this attempt
                return False
            if self._last <= now - window:  # nothing at all arrived in the window
                self.tripped = True
                return True
            while len(self._samples) > 1 and self._samples[1][0] <= now - window:
                self._samples.popleft()
            # The sample may predate the window's start by a step: the bytes of that step count
            # for the window, which errs towards "not stalled".
            since, received_then = self._samples[0]
            speed = (self._received - received_then) / (now - since)
            self.tripped = speed < self.policy.min_bytes_per_second
            return self.tripped


def stalled_error(policy: StallPolicy, done: int, total: Optional[int]) -> RequestTimeoutError:
    """What a user reads when the last attempt stalled (`done` of `total` bytes on disk)."""
    where = format_bytes(done) + (f" of {format_bytes(total)}" if total else "")
    return RequestTimeoutError(
        f"The download stalled: storage sent {policy.describe()} ({where} received). What "
        f"arrived is kept: try again later and the download continues from there.")


def read_some(response: "requests.Response", amount: int) -> bytes:
    """Up to `amount` bytes of a streamed body as soon as any arrived (b"" at its end), without
    decoding. urllib3 2.x has read1(); urllib3 1.26 (Debian's, older QGIS builds) has not, but
    its `_fp` is http.client's response, whose read1() does the same and still stops at the
    announced length."""
    raw = response.raw
    read1 = getattr(raw, "read1", None)
    if callable(read1):
        return read1(amount, decode_content=False)
    inner = getattr(raw, "_fp", None)
    if callable(getattr(inner, "read1", None)):
        return inner.read1(amount)
    return raw.read(amount, decode_content=False)  # a read that may wait for all of `amount`
