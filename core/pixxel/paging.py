"""Listing page by page, trusting only what arrives — THE paging rules of the plugin, shared by
the API client's listings and the dock's AOI listing task.

- The next page starts after the rows actually received: servers cap pages silently.
- The listing ends at the server's `total`, or at an empty page.
- A page that brings nothing new (every row already listed) is the same page again: a server
  ignoring `offset`/`page_num`. The listing ends there, but it is not complete, and says so: a
  warning in the log and `notice` (REPEATED_PAGE_NOTICE) for the dock and Processing to show.
  Rows shifted into the next page by an insertion meanwhile are simply not listed twice.
- Pages are capped (core/pixxel/limits.py): a server that keeps inventing new rows gets
  `ceil(total / rows of the first page) + page_slack` pages, `total` being the first one it
  announced, and never more than `max_pages`; the rows of the last page are still listed, then
  UnexpectedResponseError ends the listing (`raise_if_stopped()`).

Pure Python (no Qt)."""

import math
from typing import Callable, Generic, Iterator, List, Optional, TypeVar

from .errors import UnexpectedResponseError
from .limits import DEFAULT_LIMITS, ApiLimits
from .models import Page
from .redaction import pixxel_logger

T = TypeVar("T")

REPEATED_PAGE_NOTICE = "The server returned the same page twice; the list may be incomplete."

log = pixxel_logger()


class Pager(Generic[T]):
    """The state of one listing. `take(page)` each page as it arrives: it returns the rows not
    listed before; then `done` says whether to stop, and `offset` where the next page starts.
    Once done, `raise_if_stopped()` raises when the page cap, not the server, ended it."""

    def __init__(
        self,
        what: str,
        key: Callable[[T], str],
        *,
        host: str,
        limits: ApiLimits = DEFAULT_LIMITS,
    ) -> None:
        self.what = what  # "AOIs", "assets", "projects": for messages
        self.key = key
        self.host = host
        self.limits = limits
        self.offset = 0  # rows received, repeats included: where the next page starts
        self.pages = 0
        self.total: Optional[int] = None  # the latest total the server announced
        self.done = False
        self.stopped: Optional[UnexpectedResponseError] = None  # why the cap ended the listing
        self.incomplete = False
        self.notice: Optional[str] = None
        self._seen: set = set()
        self._announced: Optional[int] = None  # the first total: what caps the pages
        self._page_cap = limits.max_pages

    @property
    def listed(self) -> int:
        return len(self._seen)

    def take(self, page: Page[T]) -> List[T]:
        """The rows of `page` not listed before."""
        self.pages += 1
        fresh = []
        for item in page.items:
            ident = self.key(item)
            if ident not in self._seen:
                self._seen.add(ident)
                fresh.append(item)
        self.offset += len(page.items)
        if page.total is not None:
            self.total = page.total
            if self._announced is None and page.items:
                self._announced = page.total
                due = math.ceil(page.total / len(page.items)) + self.limits.page_slack
                self._page_cap = min(self.limits.max_pages, self.pages - 1 + due)
        if not page.items or (self.total is not None and self.offset >= self.total):
            self.done = True
        elif not fresh:
            self.done = self.incomplete = True
            self.notice = REPEATED_PAGE_NOTICE
            of_total = f" of {self.total}" if self.total is not None else ""
            log.warning(
                "Listing %s: %s returned the same page twice (offset %d): %d%s listed. %s",
                self.what, self.host, self.offset - len(page.items), self.listed, of_total,
                REPEATED_PAGE_NOTICE,
            )
        elif self.pages >= self._page_cap:
            self.done = True
            self.stopped = self._too_many_pages()
        return fresh

    def raise_if_stopped(self) -> None:
        """Raise UnexpectedResponseError when the server kept sending pages past the cap."""
        if self.stopped is not None:
            raise self.stopped

    def _too_many_pages(self) -> UnexpectedResponseError:
        if self._announced is not None and self._page_cap < self.limits.max_pages:
            return UnexpectedResponseError(
                f"{self.host} kept sending new {self.what} beyond the {self._announced} it "
                f"announced ({self.pages} pages): the listing was stopped. Try again later; "
                "contact Pixxel if it persists."
            )
        return UnexpectedResponseError(
            f"{self.host} sent more than {self.pages} pages of {self.what}: the listing was "
            "stopped there. Try again later; contact Pixxel if it persists."
        )


class Listing(Iterator[T]):
    """The rows of an offset-paged listing, fetched as they are iterated. Once iterated to the
    end, `incomplete`/`notice` say whether the server repeated a page (see the module
    docstring)."""

    def __init__(self, fetch: Callable[[int], Page[T]], pager: Pager[T]) -> None:
        self._fetch = fetch
        self.pager = pager
        self._rows = self._generate()

    @property
    def incomplete(self) -> bool:
        return self.pager.incomplete

    @property
    def notice(self) -> Optional[str]:
        return self.pager.notice

    def __iter__(self) -> "Listing[T]":
        return self

    def __next__(self) -> T:
        return next(self._rows)

    def _generate(self) -> Iterator[T]:
        while not self.pager.done:
            yield from self.pager.take(self._fetch(self.pager.offset))
        self.pager.raise_if_stopped()
