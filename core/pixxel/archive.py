"""Pixxel's archive: its STAC collections, item search and the bandsets orders can name.

    archive = ArchiveClient(client)
    found = archive.search(ArchiveSearch(bbox=(75.7, 30.8, 75.9, 31.0), max_cloud=20))
    for item in found.items: ...

A sibling of api.py for one resource family: requests go through PixxelClient (its retries,
error mapping and key handling; a search is a read sent as a POST, so retrying it is harmless).
Pure Python, no Qt.

Search body (`cosmos.Search`): `bbox` or `intersects`, `datetime` as an RFC 3339 interval (open
ends as `..`), `collections`, `ids`, and the STAC query extension for cloud cover and off-nadir
(`{"eo:cloud_cover": {"lte": 20}, "view:off_nadir": {"lte": 15}}`: the STAC names, which the
spec's own example abbreviates). The same limits are checked again on what arrives, so a server
that ignores `query` cannot put a cloudy capture in the results.

Paging: `limit`/`offset` in the body; the answer has no total, only a `next` link. A next link
is followed without ever sending the key anywhere but the API: its `body` (STAC's POST paging)
is merged into the request, else its query's `offset` goes into the body and its other query
parameters are sent along only when the link names the search endpoint itself. Paging stops at
the last page, at a page with nothing new (a server ignoring offset), or at `max_pages`, which
the result reports as `truncated` so a UI can say "showing the first N".
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

from .api import PixxelClient
from .archive_models import ArchiveItem, Bandset, Box, Collection, SearchPage
from .errors import UnexpectedResponseError

T = TypeVar("T")

SEARCH_PATH = "/v0/archives/search"
COLLECTIONS_PATH = "/v0/archives/collections"
BANDSETS_PATH = "/v0/bandsets"
PAGE_SIZE = 100  # items asked per page; a server may serve fewer, paging follows its links
MAX_PAGES = 20  # a search that finds more than this many pages is narrowed, not read whole
CLOUD_COVER = "eo:cloud_cover"
OFF_NADIR = "view:off_nadir"

When = Any  # a date (a whole day) or a datetime


@dataclass(frozen=True)
class ArchiveSearch:
    """What to look for. Every field is optional; `bbox` is (west, south, east, north) in
    EPSG:4326 (west > east crosses the antimeridian), `intersects` a GeoJSON geometry (used
    instead of bbox when both are given). `start`/`end` include the whole day when given as
    dates."""

    bbox: Optional[Box] = None
    intersects: Optional[Dict[str, Any]] = None
    start: Optional[When] = None
    end: Optional[When] = None
    max_cloud: Optional[float] = None  # percent
    max_off_nadir: Optional[float] = None  # degrees
    collections: Tuple[str, ...] = ()
    ids: Tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.bbox is not None:
            west, south, east, north = (float(v) for v in self.bbox)
            if not (-90 <= south < north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
                raise ValueError(
                    f"The search area {self.bbox} is not a longitude/latitude box (west, south, "
                    "east, north in degrees)."
                )
        first, last = _moment(self.start, start=True), _moment(self.end, start=False)
        if first and last and first > last:
            raise ValueError("The start date of the search is after its end date.")
        for name, value, top in (("cloud cover", self.max_cloud, 100),
                                 ("off-nadir angle", self.max_off_nadir, 90)):
            if value is not None and not 0 <= value <= top:
                raise ValueError(f"The maximum {name} must be between 0 and {top}.")

    def body(self) -> Dict[str, Any]:
        """The search request body (without paging)."""
        body: Dict[str, Any] = {}
        if self.intersects is not None:
            body["intersects"] = self.intersects
        elif self.bbox is not None:
            body["bbox"] = [round(float(v), 7) for v in self.bbox]
        interval = self.datetime_interval()
        if interval:
            body["datetime"] = interval
        if self.collections:
            body["collections"] = list(self.collections)
        if self.ids:
            body["ids"] = list(self.ids)
        query = {}
        if self.max_cloud is not None:
            query[CLOUD_COVER] = {"lte": self.max_cloud}
        if self.max_off_nadir is not None:
            query[OFF_NADIR] = {"lte": self.max_off_nadir}
        if query:
            body["query"] = query
        return body

    def datetime_interval(self) -> Optional[str]:
        first, last = _moment(self.start, start=True), _moment(self.end, start=False)
        if first is None and last is None:
            return None
        return f"{_rfc3339(first) if first else '..'}/{_rfc3339(last) if last else '..'}"

    def accepts(self, item: ArchiveItem) -> bool:
        """Whether an item the server sent meets the limits (a value it lacks is not held
        against it: the server already filtered on what it knows)."""
        if self.max_cloud is not None and item.cloud_cover is not None \
                and item.cloud_cover > self.max_cloud:
            return False
        if self.max_off_nadir is not None and item.off_nadir is not None \
                and item.off_nadir > self.max_off_nadir:
            return False
        if self.collections and item.collection and item.collection not in self.collections:
            return False
        return not (self.ids and item.id not in self.ids)


@dataclass(frozen=True)
class SearchResult:
    items: List[ArchiveItem] = field(default_factory=list)
    truncated: bool = False  # more pages existed than were read (max_pages)


class ArchiveClient:
    """The archive endpoints on top of one PixxelClient (which the caller owns and closes)."""

    def __init__(self, client: PixxelClient) -> None:
        self.client = client

    def collections(self) -> List[Collection]:
        body = self.client.get_json(COLLECTIONS_PATH)
        return self._parse(_listing, body, "collections", Collection.from_json)

    def bandsets(self) -> List[Bandset]:
        body = self.client.get_json(BANDSETS_PATH)
        return self._parse(_listing, body, "bandsets", Bandset.from_json)

    def search_page(
        self,
        search: ArchiveSearch,
        *,
        offset: int = 0,
        limit: int = PAGE_SIZE,
        request: Optional[Tuple[Dict[str, Any], Dict[str, str]]] = None,
    ) -> SearchPage:
        """One page: the first at `offset`, or the one a previous page's `next_request` names."""
        body, params = request if request else \
            ({**search.body(), "limit": limit, "offset": offset}, {})
        path = f"{SEARCH_PATH}?{urlencode(params)}" if params else SEARCH_PATH
        answer = self.client.post_json(path, body)
        items = self._parse(_features, answer)
        return SearchPage([item for item in items if search.accepts(item)],
                          self._next_request(answer, body))

    def iter_pages(
        self, search: ArchiveSearch, *, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES,
        on_truncated: Optional[Callable[[], None]] = None,
    ) -> Iterator[List[ArchiveItem]]:
        """The matching items page by page (only items not seen before). Calls `on_truncated()`
        when it stops at `max_pages` with more pages left."""
        seen: set = set()
        request = None
        for number in range(max_pages):
            page = self.search_page(search, limit=page_size, request=request)
            fresh = [item for item in page.items if item.id not in seen]
            seen.update(item.id for item in fresh)
            if fresh:
                yield fresh
            # A next request equal to this one, or a full page of repeats, would loop forever.
            following = page.next_request
            if following is None or following == request or (page.items and not fresh):
                return
            request = following
            if number == max_pages - 1 and on_truncated is not None:
                on_truncated()

    def search(
        self, search: ArchiveSearch, *, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES
    ) -> SearchResult:
        truncated: List[bool] = []
        items = [item for page in self.iter_pages(
            search, page_size=page_size, max_pages=max_pages,
            on_truncated=lambda: truncated.append(True),
        ) for item in page]
        return SearchResult(items, bool(truncated))

    def items(self, ids: Sequence[str]) -> Dict[str, ArchiveItem]:
        """The archive items with these ids, by id (ids the archive does not know are absent)."""
        wanted = tuple(dict.fromkeys(i for i in ids if i))
        if not wanted:
            return {}
        found = self.search(ArchiveSearch(ids=wanted), max_pages=max(MAX_PAGES, len(wanted)))
        return {item.id: item for item in found.items}

    # -- plumbing ------------------------------------------------------------------------------

    def _next_request(
        self, answer: Any, request: Dict[str, Any]
    ) -> Optional[Tuple[Dict[str, Any], Dict[str, str]]]:
        link = _next_link(answer)
        if link is None:
            return None
        if isinstance(link.get("body"), Mapping):
            merged = {**request, **link["body"]} if link.get("merge") else dict(link["body"])
            return merged, {}
        href = urlsplit(str(link.get("href") or ""))
        query = dict(parse_qsl(href.query, keep_blank_values=True))
        body = dict(request)
        offset = _offset(query.get("offset"))
        if offset is not None:
            body["offset"] = offset
        own = urlsplit(self.client.base_url)
        same_endpoint = (href.netloc in ("", own.netloc)) and \
            href.path.rstrip("/") in ("", (own.path.rstrip("/") + SEARCH_PATH))
        params = {k: v for k, v in query.items() if k not in ("offset", "limit")} \
            if same_endpoint else {}
        if offset is None and not params:
            return None  # a link this client cannot follow without leaving the API
        return body, params

    def _parse(self, build: Callable[..., T], *args: Any) -> T:
        try:
            return build(*args)
        except (ValueError, TypeError, AttributeError) as exc:
            host = urlsplit(self.client.base_url).netloc
            raise UnexpectedResponseError(
                f"The server at {host} sent data in a shape Pixxel's API does not use ({exc})."
            ) from None


def _listing(body: Any, key: str, build: Callable[[Any], T]) -> List[T]:
    """`{key: [...]}` or a bare list."""
    rows = body.get(key) if isinstance(body, Mapping) else body
    if rows is None and isinstance(body, Mapping):
        rows = []
    if not isinstance(rows, list):
        raise ValueError(f"{key} should be a list")
    return [build(row) for row in rows]


def _features(body: Any) -> List[ArchiveItem]:
    if not isinstance(body, Mapping):
        raise ValueError("a search answer should be a FeatureCollection object")
    features = body.get("features") or []
    if not isinstance(features, list):
        raise ValueError("features should be a list")
    return [ArchiveItem.from_json(feature) for feature in features]


def _next_link(body: Any) -> Optional[Mapping[str, Any]]:
    links = body.get("links") if isinstance(body, Mapping) else None
    for link in links if isinstance(links, list) else ():
        if isinstance(link, Mapping) and str(link.get("rel", "")).lower() == "next":
            return link
    return None


def _offset(value: Any) -> Optional[int]:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _moment(value: Optional[When], *, start: bool) -> Optional[datetime]:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime.combine(value, time.min if start else time(23, 59, 59), timezone.utc)
    raise ValueError(f"{value!r} is not a date")


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
