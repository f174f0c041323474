"""Every limit on what one Pixxel API call may cost, in one place.

An API that misbehaves without failing — trickling bytes just fast enough to beat the read
timeout, inventing new AOIs on every page, inflating a small gzip body into hundreds of MiB,
nesting JSON without end — must still end each call with a clear message, in bounded time and
memory. The client (core/pixxel/api.py) enforces these; tests pass small ones.

- Time: `CALL_DEADLINE` seconds per call, connect, every read and every retry together
  (RetryPolicy.deadline, core/pixxel/retry.py, defaults to it). It is enforced while bytes
  arrive, not only between attempts: the cancel watcher (core/pixxel/interruptible.py) shuts the
  connection down the moment it passes, so a server sending one byte a second cannot stretch it.
  Five minutes: a page of 100 AOIs normally takes well under a second, and a call that is being
  retried through a gateway's outage gets several minutes of back-off before it gives up.
- Size: `MAX_BODY_BYTES` of *decoded* body per answer, counted as it streams, compressed or not
  (a gzip body is inflated a small piece at a time, so a bomb is stopped after about the limit,
  never inflated whole). 64 MiB: Pixxel's largest answers, pages of 100 AOIs with their
  geometries, are a few hundred KiB; 64 MiB is two orders of magnitude of headroom and still a
  size a QGIS session can hold.
- Pages: a listing asks for at most `ceil(total / rows of its first page) + PAGE_SLACK` pages,
  where `total` is the first one the server announces (a server inventing rows keeps raising
  it), and never more than `MAX_PAGES`, which also bounds a server that sends no total. The slack
  covers AOIs created while the listing runs; 2,000 pages is 200,000 AOIs at the 100 rows a page
  Pixxel serves, or 20,000 at 10, far beyond any account seen.
"""

from dataclasses import dataclass

CALL_DEADLINE = 300.0
MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_PAGES = 2000
PAGE_SLACK = 2


@dataclass(frozen=True)
class ApiLimits:
    """The size limits of one client's calls (the time limit is its RetryPolicy's deadline)."""

    max_body_bytes: int = MAX_BODY_BYTES
    max_pages: int = MAX_PAGES
    page_slack: int = PAGE_SLACK

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1 or self.max_pages < 1 or self.page_slack < 0:
            raise ValueError("limits must be positive (page_slack may be 0)")


DEFAULT_LIMITS = ApiLimits()


def format_size(size: int) -> str:
    """A byte count for a message: "64.0 MiB", "1.0 KiB", "512 bytes"."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def format_seconds(seconds: float) -> str:
    """A duration for a message: "300 s", "0.6 s"."""
    return f"{round(seconds, 1):g} s"
