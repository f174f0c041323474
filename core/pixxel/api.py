"""The Pixxel API client: authentication, paging, retries and error mapping on top of HttpGateway.

    with PixxelClient(key) as client:
        for aoi in client.iter_aois(project_ids=[project.id]):
            ...

Pure Python on requests (no Qt): it runs in unit tests and inside QgsTask.run(). Blocking calls;
`is_cancelled` is polled before every attempt, during back-off and while an attempt waits for its
answer or reads it (HttpGateway.send, answer.read_answer), so a cancel ends a call within about
0.05 s even when the server has stopped answering.

Limits (core/pixxel/limits.py): one call — connect, every read, every retry — ends at the retry
policy's `deadline` however the server sends its bytes (the cancel watcher ends a read when it
passes, so a server trickling bytes under the read timeout cannot stretch a call); an answer's
decoded body may not pass `ApiLimits.max_body_bytes`; listings are capped in pages and say when
the server repeated a page (core/pixxel/paging.py).

Retries (one RetryPolicy per call: `attempts` tries within `deadline` seconds)
- 429, 502, 503, 504 and transport failures (no answer, time-outs, an answer cut short) are
  retried with exponential back-off and jitter. A `Retry-After` (seconds or HTTP date) replaces
  the back-off; if it asks for more than `retry_after_cap`, or more than the deadline leaves, the
  call gives up at once with RateLimitedError / ServerError instead of sleeping in vain.
- A 500 is retried once on GET, never on POST. Pixxel documents 500 as a real answer with an
  error body, usually a deterministic failure that repeating will not fix; but one transient
  backend failure during a listing is common and a GET is harmless to repeat, so a single retry
  is cheap insurance while a persistent 500 still surfaces after two tries, not five.
- Other 4xx are never retried: the same request would be refused again.

Is retrying `POST /v0/aois/{id}/downloads` safe? The POST is not idempotent: each one creates a
download record. After a 429 or a connection refused the request was certainly not processed;
after a 502/503 from a gateway it almost certainly was not; after a 504, a read time-out or a
connection dropped mid-answer it may have been. The worst case of retrying is therefore a second
download record for the same assets, which Pixxel documents no charge or limit for, and which
the plugin never polls (it follows only the download id it receives). The alternative, failing,
makes the user press Download again, which creates exactly the same duplicate by hand. So the
POST is retried like a GET on 429/502/503/504 and transport failures, within the same attempts
and deadline; only its 500 is not retried (see above). An order is another matter (a duplicate
costs money): `post_once` sends a request exactly once, and ordering.py places orders only so.

Project filter: Pixxel's spec filters AOIs with `project_ids` (comma separated), its guide with
`project_id`. `project_ids` is always sent; `project_id` is added only when exactly one project
is asked for, where both mean the same, so a server reading either (or both) filters alike. With
several projects a guide-only server would ignore the filter rather than receive an id list it
may read as one id and match nothing.

Security: the key goes only into the Authorization header of requests to `base_url` (never into
the session's default headers, so the shared gateway cannot send it to storage hosts); it is
registered with the redactor, so logs and error text show `***`. `http://` is refused except for
loopback test servers.
"""

import dataclasses
import re
from typing import (
    Any,
    Callable,
    Dict,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)
from urllib.parse import quote, urlsplit

import requests

from .address import DEFAULT_BASE_URL, checked_base_url
from .answer import Answer, TooLargeError, decode, error_for, not_json, read_answer
from .errors import (
    CancelledError,
    KeyRejectedError,
    NetworkError,
    PixxelError,
    RequestTimeoutError,
    UnexpectedResponseError,
    UntrustedCertificateError,
)
from .http import HttpGateway
from .limits import DEFAULT_LIMITS, ApiLimits, format_seconds
from .models import Aoi, Asset, DownloadStatus, Page, Project, Satellite, satellites_from_json
from .paging import Listing, Pager
from .plugin_info import version
from .redaction import pixxel_logger, redactor
from .retry import (
    RETRYABLE_STATUSES,
    Deadline,
    RetryPolicy,
    never_cancelled,
    parse_retry_after,
    sleep_unless_cancelled,
)

T = TypeVar("T")

DEFAULT_RETRY = RetryPolicy()
PAGE_SIZE = 100  # rows asked per page; servers may serve fewer, so paging never relies on it
_BEARER = re.compile(r"^(bearer)(\s.*)?$", re.IGNORECASE | re.DOTALL)  # "Bearer" alone: no token

log = pixxel_logger()


class PixxelClient:
    """One Pixxel API key at one API address. Cheap to build: make one per task, passing
    `gateway=` to share one connection pool (and its proxy settings) between clients."""

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        gateway: Optional[HttpGateway] = None,
        proxies: Optional[Mapping[str, str]] = None,
        trust_env: bool = True,
        verify: Union[bool, str] = True,
        timeouts: Tuple[float, float] = (10.0, 60.0),
        retry: RetryPolicy = DEFAULT_RETRY,
        limits: ApiLimits = DEFAULT_LIMITS,
        qgis_version: Optional[str] = None,
        is_cancelled: Callable[[], bool] = never_cancelled,
    ) -> None:
        """`proxies`/`trust_env`/`verify` (True, or a CA bundle path: see HttpGateway) configure
        the gateway built when none is given. `timeouts` are (connect, read) seconds per
        attempt; `retry.deadline` bounds a whole call, `limits` its answers and listings.
        Raises ValueError for an unusable `base_url`."""
        self.base_url = checked_base_url(base_url)
        self._host = urlsplit(self.base_url).netloc
        self._authorization, secret = _authorization(api_key)
        redactor.register(secret)
        self.retry = retry
        self.limits = limits
        self.timeouts = (float(timeouts[0]), float(timeouts[1]))
        self.is_cancelled = is_cancelled
        self._owns_gateway = gateway is None
        self.gateway = gateway or HttpGateway(
            user_agent=_user_agent(qgis_version), proxies=proxies, trust_env=trust_env,
            verify=verify, connect_timeout=self.timeouts[0], read_timeout=self.timeouts[1],
        )

    # -- calls ---------------------------------------------------------------------------------

    def ping(self) -> bool:
        """Whether the API answers `GET /ping` with a 2xx. No key is sent, so this says nothing
        about the key. One attempt, no retry; raises NetworkError when nothing answered."""
        self._check_cancelled()
        answer = self._exchange("GET", self.base_url + "/ping", Deadline(self.retry.deadline))
        return 200 <= answer.status < 300

    def projects(self) -> List[Project]:
        """Every project the key can see, all pages read (paging rules: core/pixxel/paging.py;
        a repeated page, from a server ignoring page_num, ends the listing with a warning)."""
        pager = self.pager("projects", lambda project: project.id)
        found: List[Project] = []
        page_num, page_size = 1, PAGE_SIZE
        while not pager.done:
            body = self._get("/v0/projects", {"page_num": page_num, "page_size": page_size})
            page = self._parse(Page.from_json, body, "projects", Project.from_json)
            found.extend(pager.take(page))
            if page_num == 1 and 0 < len(page.items) < page_size:
                # Pages are numbered in units of page_size: on a server that silently caps the
                # page, asking for 100 again would skip the rows between the cap and 100.
                page_size = len(page.items)
            page_num += 1
        pager.raise_if_stopped()
        return found

    def aoi_page(
        self,
        offset: int = 0,
        limit: int = PAGE_SIZE,
        *,
        name: Optional[str] = None,
        aoi_id: Optional[str] = None,
        project_ids: Optional[Sequence[str]] = None,
    ) -> Page[Aoi]:
        """One page of AOIs, for a UI that shows the first rows and the total at once. The page
        may hold fewer than `limit` rows even when more exist."""
        params = {"offset": offset, "limit": limit, **_aoi_filters(name, aoi_id, project_ids)}
        body = self._get("/v0/aois", params)
        return self._parse(Page.from_json, body, "aois", Aoi.from_json, offset)

    def iter_aois(
        self,
        *,
        name: Optional[str] = None,
        aoi_id: Optional[str] = None,
        project_ids: Optional[Sequence[str]] = None,
        page_size: int = PAGE_SIZE,
    ) -> Listing[Aoi]:
        """Every AOI matching the filters (`name` matches part of the name), page by page; the
        listing's `notice` says afterwards whether it may be incomplete."""
        filters = {"name": name, "aoi_id": aoi_id, "project_ids": project_ids}
        return Listing(
            lambda offset: self.aoi_page(offset, page_size, **filters),
            self.pager("AOIs", lambda aoi: aoi.aoi_id),
        )

    def aois(self, **filters: Any) -> List[Aoi]:
        """`list(iter_aois(**filters))`."""
        return list(self.iter_aois(**filters))

    def aoi(self, aoi_id: str) -> Aoi:
        return self._parse(Aoi.from_json, self._get(f"/v0/aoi/{_segment(aoi_id)}"))

    def asset_page(self, aoi_id: str, offset: int = 0, limit: int = PAGE_SIZE) -> Page[Asset]:
        body = self._get(
            f"/v0/aois/{_segment(aoi_id)}/assets", {"offset": offset, "limit": limit}
        )
        return self._parse(Page.from_json, body, "assets", Asset.from_json, offset)

    def iter_assets(self, aoi_id: str, *, page_size: int = PAGE_SIZE) -> Listing[Asset]:
        return Listing(
            lambda offset: self.asset_page(aoi_id, offset, page_size),
            self.pager("assets", lambda asset: asset.id),
        )

    def assets(self, aoi_id: str) -> List[Asset]:
        return list(self.iter_assets(aoi_id))

    def create_download(self, aoi_id: str, asset_ids: Sequence[str]) -> DownloadStatus:
        """Ask Pixxel to prepare `asset_ids` (only `success` assets can be downloaded). The answer
        may already be ready or still pending; poll `download_status` until it is final."""
        ids = [asset_ids] if isinstance(asset_ids, str) else list(asset_ids)
        if not ids or not all(isinstance(i, str) and i for i in ids):
            raise ValueError("create_download needs at least one asset id")
        answer = self._send(
            "POST", f"/v0/aois/{_segment(aoi_id)}/downloads", body={"asset_ids": ids}
        )
        return self._parse(DownloadStatus.from_json, self._json(answer))

    def download_status(self, aoi_id: str, download_id: str) -> DownloadStatus:
        path = f"/v0/aois/{_segment(aoi_id)}/downloads/{_segment(download_id)}"
        return self._parse(DownloadStatus.from_json, self._get(path))

    def satellites(self) -> List[Satellite]:
        return self._parse(satellites_from_json, self._get("/v0/satellites"))

    # -- for the client's sibling modules (archive.py, ordering.py, purchased.py) --------------

    def get_json(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Any:
        """The JSON answer of `GET path`, with this client's retries and error mapping."""
        return self._get(path, params)

    def post_json(self, path: str, body: Any) -> Any:
        """The JSON answer of `POST path`, retried like create_download (for reads sent as a
        POST, such as a search)."""
        return self._json(self._send("POST", path, body=body))

    def post_once(self, path: str, body: Any) -> Any:
        """The JSON answer of `POST path`, sent exactly once: no status and no transport failure
        is retried. For requests that must never be repeated automatically (placing an order);
        after a NetworkError or CancelledError the server may or may not have acted on it."""
        return self._json(self._send("POST", path, body=body, single_attempt=True))

    def parse(self, build: Callable[..., T], *args: Any) -> T:
        """`build(*args)`, a wrong shape raised as UnexpectedResponseError."""
        return self._parse(build, *args)

    def iter_pages(
        self, fetch: Callable[[int], Page[T]], key: Callable[[T], str], what: str = "rows"
    ) -> Listing[T]:
        """Every row of an offset-paged listing, by the plugin's paging rules and this client's
        limits (core/pixxel/paging.py)."""
        return Listing(fetch, self.pager(what, key))

    # -- life cycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the gateway if this client built it (a shared one belongs to its creator)."""
        if self._owns_gateway:
            self.gateway.close()

    def __enter__(self) -> "PixxelClient":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- plumbing ------------------------------------------------------------------------------

    def pager(self, what: str, key: Callable[[T], str]) -> Pager[T]:
        """A listing's paging state under this client's limits (core/pixxel/paging.py), for a
        caller paging itself, as the dock does to show each page as it arrives."""
        return Pager(what, key, host=self._host, limits=self.limits)

    def _get(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Any:
        return self._json(self._send("GET", path, params=params))

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        single_attempt: bool = False,
    ) -> Answer:
        """A 2xx answer to an authenticated request, after the retries the module docstring
        describes (none with `single_attempt`); any other outcome raises a PixxelError."""
        if not self._authorization:
            raise KeyRejectedError(
                "No Pixxel API key is set: paste one in the Pixxel settings (Aurora: Workspace "
                "Settings, API)."
            )
        if not self._authorization.isascii():
            # HTTP headers are Latin-1 at best; a key with other characters is a bad paste, and
            # requests would fail with a UnicodeEncodeError instead of a readable message.
            raise KeyRejectedError(
                "The Pixxel API key contains characters an API key cannot have: copy it again "
                "from Aurora (Workspace Settings, API)."
            )
        headers = {"Authorization": self._authorization, "Accept": "application/json"}
        policy = dataclasses.replace(self.retry, attempts=1) if single_attempt else self.retry
        deadline = Deadline(policy.deadline)
        retried_500 = False
        attempt = 0
        while True:
            attempt += 1
            self._check_cancelled()
            wait: Optional[float] = None
            try:
                answer = self._exchange(
                    method, self.base_url + path, deadline, headers=headers, params=params,
                    json=body,
                )
            except (UntrustedCertificateError, TooLargeError):
                raise  # asking again cannot change either
            except NetworkError as exc:
                failure: PixxelError = exc
            else:
                status = answer.status
                if 200 <= status < 300:
                    return answer
                failure = error_for(answer, self._host)
                retry_500 = status == 500 and method == "GET" and not retried_500
                if status not in RETRYABLE_STATUSES and not retry_500:
                    raise failure
                retried_500 = retried_500 or status == 500
                wait = parse_retry_after(answer.headers.get("Retry-After"))
            delay = policy.backoff(attempt) if wait is None else wait
            # A server asking for longer than the cap is down for longer than is worth waiting.
            too_long = wait is not None and wait > policy.retry_after_cap
            if attempt >= policy.attempts or too_long or delay >= deadline.remaining():
                raise failure
            log.info(
                "%s %s: %s; retry %d of %d in %.2f s",
                method, path, failure, attempt, policy.attempts - 1, delay,
            )
            sleep_unless_cancelled(delay, self.is_cancelled)

    def _check_cancelled(self) -> None:
        if self.is_cancelled():
            raise CancelledError("Cancelled.")

    def _exchange(self, method: str, url: str, deadline: Deadline, **request: Any) -> Answer:
        """One attempt, answer read whole, within what `deadline` leaves of the call. The
        deadline is a cancel of its own: the watcher ends a wait or a read when it passes, so
        time-outs (clipped to it) are not the only bound on a server sending bytes slowly."""
        remaining = max(deadline.remaining(), 0.001)
        timeout = (min(self.timeouts[0], remaining), min(self.timeouts[1], remaining))

        def stop() -> bool:
            return self.is_cancelled() or deadline.expired()

        try:
            response = self.gateway.send(
                method, url, stream=True, timeout=timeout, is_cancelled=stop, **request
            )
            return read_answer(
                response, host=self._host, max_bytes=self.limits.max_body_bytes,
                is_cancelled=stop,
            )
        except (CancelledError, RequestTimeoutError):
            if self.is_cancelled() or not deadline.expired():
                raise
            raise RequestTimeoutError(
                f"{self._host} did not complete its answer within "
                f"{format_seconds(self.retry.deadline)} (retries included): the connection or "
                "the server is too slow. Try again later."
            ) from None

    def _json(self, answer: Answer) -> Any:
        """The JSON body of a 2xx answer, or UnexpectedResponseError naming what came instead."""
        kind, data = decode(answer)
        if kind != "json":
            raise UnexpectedResponseError(not_json(kind, answer, self._host), status=answer.status)
        return data

    def _parse(self, build: Callable[..., T], *args: Any) -> T:
        """`build(*args)` with a wrong shape reported as UnexpectedResponseError."""
        try:
            return build(*args)
        except (ValueError, TypeError, AttributeError) as exc:
            raise UnexpectedResponseError(
                f"The server at {self._host} sent data in a shape Pixxel's API does not use "
                f"({exc})."
            ) from None


def _aoi_filters(
    name: Optional[str], aoi_id: Optional[str], project_ids: Optional[Sequence[str]]
) -> Dict[str, str]:
    params = {}
    if name:
        params["aoi_name"] = name
    if aoi_id:
        params["aoi_id"] = aoi_id
    projects = [project_ids] if isinstance(project_ids, str) else list(project_ids or ())
    if projects:
        params["project_ids"] = ",".join(projects)
        if len(projects) == 1:  # see "Project filter" in the module docstring
            params["project_id"] = projects[0]
    return params


def _segment(value: str) -> str:
    """An id as one path segment: an id holding '/' or '?' must not change the endpoint."""
    if not value:
        raise ValueError("an empty id cannot name a Pixxel resource")
    return quote(str(value), safe="")


def _authorization(api_key: Optional[str]) -> Tuple[str, str]:
    """(Authorization header value, the secret in it). Pixxel wants the raw key; a personal access
    token pasted with its `Bearer ` prefix is sent as is. Whitespace cannot be part of a key, but
    pasting picks up line breaks and spaces, so it is dropped."""
    text = api_key.strip() if isinstance(api_key, str) else ""
    bearer = _BEARER.match(text)
    if bearer:
        token = "".join((bearer.group(2) or "").split())
        return (f"{bearer.group(1)} {token}" if token else ""), token
    key = "".join(text.split())
    return key, key


def _user_agent(qgis_version: Optional[str]) -> str:
    # Only the number: QGIS release names ("3.22.16-Białowieża") are not valid in a header.
    qgis_number = (qgis_version or "none").split("-", 1)[0].encode("ascii", "ignore").decode()
    return (
        f"pixxel-qgis/{version()} QGIS/{qgis_number or 'none'} "
        f"python-requests/{requests.__version__}"
    )
