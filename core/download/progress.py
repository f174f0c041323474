"""Progress as the engine reports it, thinned out in one place: `Throttle` decides when a report
is due (a UI needs a few a second, chunks and zip members come by the hundred), `RateMeter`
gives a transfer rate over a sliding window so an ETA follows changes of speed, and
`TransferMeter` reports one file's transfer and `StageReporter` puts a download's stages on one
0..1 scale."""

import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Deque, Optional, Tuple

PROGRESS_INTERVAL = 0.25  # seconds between progress calls: a UI needs no more than ~4 a second
RATE_WINDOW = 5.0  # seconds of history behind the transfer rate, so ETA follows speed changes


REQUEST, WAIT, DOWNLOAD, UNPACK, DONE = "request", "wait", "download", "unpack", "done"
STAGES = (REQUEST, WAIT, DOWNLOAD, UNPACK, DONE)
# Where each stage starts on the overall 0..1 scale: bytes take the time, so moving them (and
# unpacking them) gets nearly all of it.
_STAGE_START = {REQUEST: 0.0, WAIT: 0.02, DOWNLOAD: 0.05, UNPACK: 0.9, DONE: 1.0}


class Throttle:
    """Says whether a progress report is due: at most one per `interval`, forced ones always."""

    def __init__(self, interval: float = PROGRESS_INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval
        self._clock = clock
        self._last = float("-inf")

    def due(self, force: bool = False) -> bool:
        now = self._clock()
        if not force and now - self._last < self._interval:
            return False
        self._last = now
        return True


class RateMeter:
    """Bytes per second over the last RATE_WINDOW seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._samples: Deque[Tuple[float, int]] = deque([(clock(), 0)])

    def rate(self, received: int) -> float:
        now = self._clock()
        while len(self._samples) > 1 and now - self._samples[0][0] > RATE_WINDOW:
            self._samples.popleft()
        since, received_then = self._samples[0]
        self._samples.append((now, received))
        return (received - received_then) / (now - since) if now > since else 0.0


@dataclass(frozen=True)
class Progress:
    """One file's transfer."""

    bytes_done: int  # bytes of the file on disk, resumed ones included
    bytes_total: Optional[int]  # None while storage has not said (or never says)
    rate_bps: float  # bytes per second over the last few seconds of this call
    eta_seconds: Optional[float]


class TransferMeter:
    """The transfer's Progress, throttled, with its rate over a sliding window."""

    def __init__(self, callback: Optional[Callable[[Progress], None]]) -> None:
        self._callback = callback
        self._throttle = Throttle()
        self._rate = RateMeter()

    def update(self, done: int, total: Optional[int], received: int, final: bool = False) -> None:
        if self._callback is None or not self._throttle.due(force=final):
            return
        rate = self._rate.rate(received)
        eta = max(0, total - done) / rate if total is not None and rate > 0 else None
        self._callback(Progress(done, total, rate, eta))


@dataclass(frozen=True)
class DownloadProgress:
    """`stage` is one of STAGES; `fraction` (0..1) covers the whole job and never goes back."""

    stage: str
    fraction: float
    message: str
    bytes_done: int = 0
    bytes_total: Optional[int] = None
    rate_bps: float = 0.0
    eta_seconds: Optional[float] = None


class StageReporter:
    """DownloadProgress on the overall scale: every stage change at once, then at most one call
    per PROGRESS_INTERVAL (unpacking reports every MiB; a UI needs a few updates a second)."""

    def __init__(self, callback: Optional[Callable[[DownloadProgress], None]]) -> None:
        self._callback = callback
        self._stage = ""
        self._throttle = Throttle()

    def update(self, stage: str, message: str, done: int = 0, total: Optional[int] = None,
               rate: float = 0.0, eta: Optional[float] = None, final: bool = False,
               throttled: bool = False) -> None:
        """`throttled`: the caller already thinned these out (the transfer's own progress)."""
        if self._callback is None:
            return
        if not self._throttle.due(force=stage != self._stage or final or throttled):
            return
        self._stage = stage
        start = _STAGE_START[stage]
        end = _STAGE_START[STAGES[min(STAGES.index(stage) + 1, len(STAGES) - 1)]]
        share = min(1.0, done / total) if total else 0.0
        self._callback(DownloadProgress(stage, start + (end - start) * share, message, done,
                                        total, rate, eta))
