"""Back-off arithmetic shared by the API client and the transfer engine (no I/O, no Qt)."""

import email.utils
import random
import time
from dataclasses import dataclass
from typing import Callable, Optional

from .errors import CancelledError
from .limits import CALL_DEADLINE

#: Statuses where the same request is expected to succeed later.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # total tries, the first included
    base_delay: float = 0.5  # seconds before the first retry; doubles each time
    max_delay: float = 30.0
    retry_after_cap: float = 120.0  # a server asking for longer is treated as down
    deadline: float = CALL_DEADLINE  # seconds for all tries of one call together (limits.py)

    def backoff(self, retry_number: int, rng: Optional[random.Random] = None) -> float:
        """Delay before retry `retry_number` (1-based): exponential with full jitter, so that many
        clients hitting a recovering gateway do not retry in lock-step."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (retry_number - 1)))
        return (rng or random).uniform(ceiling / 2, ceiling)


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent or
    unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Deadline:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - self._clock())

    def expired(self) -> bool:
        return self.remaining() <= 0.0


def never_cancelled() -> bool:
    """The cancel check of work nobody can cancel."""
    return False


def sleep_unless_cancelled(
    seconds: float, is_cancelled: Callable[[], bool], step: float = 0.1
) -> None:
    """Sleep in short steps so a cancel is honoured within `step` seconds."""
    end = time.monotonic() + seconds
    while True:
        if is_cancelled():
            raise CancelledError("Cancelled.")
        remaining = end - time.monotonic()
        if remaining <= 0:
            return
        time.sleep(min(step, remaining))
