"""The Pixxel API client: authentication, paging, retries and error mapping on top of HttpGateway.

    with PixxelClient(key) as client:
        for aoi in client.iter_aois(project_ids=[project.id]):
            ...

Pure Python on requests (no Qt): it runs in unit tests and inside QgsTask.run(). Blocking calls;
`is_cancelled` is polled before every attempt, during back-off and while an attempt waits for its
answer (HttpGateway.send), so a cancel ends a call within about 0.05 s even when the server has
stopped answering; the read timeout bounds how long one attempt can block otherwise.

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
import json
import re
from typing import (
    Any,
    Callable,
    Dict,
    Iterator,
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
from .errors import (
    BadRequestError,
    CancelledError,
    KeyRejectedError,
    NetworkError,
    NotFoundError,
    PixxelError,
    RateLimitedError,
    ServerError,
    UnexpectedResponseError,
    UntrustedCertificateError,
)
from .http import HttpGateway
from .models import Aoi, Asset, DownloadStatus, Page, Project, Satellite, satellites_from_json
from .plugin_info import version
from .redaction import pixxel_logger, redactor, server_text
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
        qgis_version: Optional[str] = None,
        is_cancelled: Callable[[], bool] = never_cancelled,
    ) -> None:
        """`proxies`/`trust_env`/`verify` (True, or a CA bundle path: see HttpGateway) configure
        the gateway built when none is given. `timeouts` are (connect, read) seconds per
        attempt. Raises ValueError for an unusable `base_url`."""
        self.base_url = checked_base_url(base_url)
        self._host = urlsplit(self.base_url).netloc
        self._authorization, secret = _authorization(api_key)
        redactor.register(secret)
        self.retry = retry
        self.timeouts = (float(timeouts[0]), float(timeouts[1]))
        self.is_cancelled = is_cancelled
        # A client nobody can cancel waits for answers on its own thread (no helper thread).
        self._cancel_check = None if is_cancelled is never_cancelled else is_cancelled
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
        response = self.gateway.send(
            "GET", self.base_url + "/ping", timeout=self.timeouts, is_cancelled=self._cancel_check
        )
        return 200 <= response.status_code < 300

    def projects(self) -> List[Project]:
        """Every project the key can see, all pages read."""
        found: Dict[str, Project] = {}
        page_num, page_size = 1, PAGE_SIZE
        while True:
            body = self._get("/v0/projects", {"page_num": page_num, "page_size": page_size})
            page = self._parse(Page.from_json, body, "projects", Project.from_json)
            fresh = [project for project in page.items if project.id not in found]
            found.update((project.id, project) for project in fresh)
            # An empty or repeated page ends the listing: never loop on a server ignoring page_num.
            if not fresh or (page.total is not None and len(found) >= page.total):
                return list(found.values())
            if page_num == 1 and len(page.items) < page_size:
                # Pages are numbered in units of page_size: on a server that silently caps the
                # page, asking for 100 again would skip the rows between the cap and 100.
                page_size = len(page.items)
            page_num += 1

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
    ) -> Iterator[Aoi]:
        """Every AOI matching the filters (`name` matches part of the name), page by page."""
        filters = {"name": name, "aoi_id": aoi_id, "project_ids": project_ids}
        return self._iter_pages(
            lambda offset: self.aoi_page(offset, page_size, **filters), lambda aoi: aoi.aoi_id
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

    def iter_assets(self, aoi_id: str, *, page_size: int = PAGE_SIZE) -> Iterator[Asset]:
        return self._iter_pages(
            lambda offset: self.asset_page(aoi_id, offset, page_size), lambda asset: asset.id
        )

    def assets(self, aoi_id: str) -> List[Asset]:
        return list(self.iter_assets(aoi_id))

    def create_download(self, aoi_id: str, asset_ids: Sequence[str]) -> DownloadStatus:
        """Ask Pixxel to prepare `asset_ids` (only `success` assets can be downloaded). The answer
        may already be ready or still pending; poll `download_status` until it is final."""
        ids = [asset_ids] if isinstance(asset_ids, str) else list(asset_ids)
        if not ids or not all(isinstance(i, str) and i for i in ids):
            raise ValueError("create_download needs at least one asset id")
        response = self._send(
            "POST", f"/v0/aois/{_segment(aoi_id)}/downloads", body={"asset_ids": ids}
        )
        return self._parse(DownloadStatus.from_json, self._json(response))

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

    def iter_pages(self, fetch: Callable[[int], Page[T]], key: Callable[[T], str]) -> Iterator[T]:
        """Every row of an offset-paged listing, by this client's paging rules (_iter_pages)."""
        return self._iter_pages(fetch, key)

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

    def _iter_pages(
        self, fetch: Callable[[int], Page[T]], key: Callable[[T], str]
    ) -> Iterator[T]:
        """Offset paging that trusts only what arrives: the offset advances by the rows actually
        received (servers cap pages silently), the listing ends at `total`, or at a page that
        brings nothing new (empty, or a server ignoring offset). Rows shifted into the next page
        by an insertion during the listing are not yielded twice."""
        seen: set = set()
        offset = 0
        while True:
            page = fetch(offset)
            fresh = [item for item in page.items if key(item) not in seen]
            if not fresh:
                return
            for item in fresh:
                seen.add(key(item))
                yield item
            offset += len(page.items)
            if page.total is not None and offset >= page.total:
                return

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
    ) -> requests.Response:
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
            remaining = max(deadline.remaining(), 0.001)
            timeout = (min(self.timeouts[0], remaining), min(self.timeouts[1], remaining))
            wait: Optional[float] = None
            try:
                response = self.gateway.send(
                    method, self.base_url + path, headers=headers, params=params, json=body,
                    timeout=timeout, is_cancelled=self._cancel_check,
                )
                self._check_complete(response)
            except UntrustedCertificateError:
                raise
            except NetworkError as exc:
                failure: PixxelError = exc
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return response
                failure = self._error(response)
                retry_500 = status == 500 and method == "GET" and not retried_500
                if status not in RETRYABLE_STATUSES and not retry_500:
                    raise failure
                retried_500 = retried_500 or status == 500
                wait = parse_retry_after(response.headers.get("Retry-After"))
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

    def _check_complete(self, response: requests.Response) -> None:
        # Debian's urllib3 1.26 accepts a body cut short by a clean close without complaint.
        declared = response.headers.get("Content-Length", "")
        if "Content-Encoding" in response.headers or not declared.isdigit():
            return
        received = len(response.content)
        if received != int(declared):
            raise NetworkError(
                f"The answer from {self._host} was cut short ({received} of {declared} bytes)."
            )

    def _json(self, response: requests.Response) -> Any:
        """The JSON body of a 2xx answer, or UnexpectedResponseError naming what came instead."""
        kind, data = _decode(response)
        if kind != "json":
            status = response.status_code
            raise UnexpectedResponseError(self._not_json(kind, response), status=status)
        return data

    def _not_json(self, kind: str, response: requests.Response) -> str:
        status = response.status_code
        content_type = response.headers.get("Content-Type") or "no content type"
        if kind == "html":
            return (
                f"The server at {self._host} answered with an HTML page (HTTP {status}), not "
                "Pixxel's API: a proxy or gateway may be in the way."
            )
        if kind == "empty":
            return (
                f"The server at {self._host} answered HTTP {status} with an empty body "
                f"({content_type}), where Pixxel's API sends JSON."
            )
        return (
            f"The server at {self._host} answered HTTP {status} with a body that is not valid "
            f"JSON ({content_type}): a proxy or an unstable connection may be the cause."
        )

    def _parse(self, build: Callable[..., T], *args: Any) -> T:
        """`build(*args)` with a wrong shape reported as UnexpectedResponseError."""
        try:
            return build(*args)
        except (ValueError, TypeError, AttributeError) as exc:
            raise UnexpectedResponseError(
                f"The server at {self._host} sent data in a shape Pixxel's API does not use "
                f"({exc})."
            ) from None

    def _error(self, response: requests.Response) -> PixxelError:
        """The exception for a non-2xx answer, with Pixxel's code/message/details when sent."""
        status = response.status_code
        kind, data = _decode(response)
        if kind in ("html", "invalid"):
            # Somebody other than Pixxel's API answered (a proxy page), or the body broke.
            return UnexpectedResponseError(self._not_json(kind, response), status=status)
        code, message, details = _pixxel_error(data)
        detail = server_text(message or response.reason or "no details given")
        fields = {"status": status, "code": code, "details": details}
        if status in (401, 403):
            return KeyRejectedError(
                f"Pixxel rejected the API key (HTTP {status}): {detail}. Check the key in the "
                "Pixxel settings; a key only sees the projects its service account was added to.",
                **fields,
            )
        if status == 404:
            return NotFoundError(f"Not found on Pixxel (HTTP 404): {detail}.", **fields)
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            asked = f" It asked to wait {retry_after:.0f} s." if retry_after else ""
            return RateLimitedError(
                f"Pixxel is limiting requests (HTTP 429): {detail}.{asked} Try again later.",
                retry_after=retry_after, **fields,
            )
        if 500 <= status < 600:
            return ServerError(f"Pixxel's server failed (HTTP {status}): {detail}.", **fields)
        if 400 <= status < 500:
            return BadRequestError(
                f"Pixxel refused the request (HTTP {status}): {detail}.", **fields
            )
        return UnexpectedResponseError(
            f"The server at {self._host} answered HTTP {status}, which Pixxel's API does not send.",
            **fields,
        )


def _decode(response: requests.Response) -> Tuple[str, Any]:
    """("json", data), ("text", text), ("empty", None), ("html", None) or ("invalid", None): the
    last for a body declared as JSON, or with no type, that does not parse."""
    raw = response.content or b""
    content_type = (response.headers.get("Content-Type") or "").lower()
    if not raw.strip():
        return "empty", None
    if "html" in content_type or raw.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        return "html", None
    try:
        return "json", json.loads(raw)
    except ValueError:
        pass
    # Gateways answer errors in plain text ("Unauthorized"); worth showing, not worth a new error.
    if content_type.startswith("text/"):
        return "text", response.text
    return "invalid", None


def _pixxel_error(data: Any) -> Tuple[Optional[str], Optional[str], Any]:
    """(code, message, details) from `{"error": {...}}`, or from the untyped objects the projects
    endpoints answer with (`{"message": ...}` or `{"error": "..."}`)."""
    if not isinstance(data, Mapping):
        text = " ".join(data.split()).rstrip(".") if isinstance(data, str) else ""
        return None, text or None, None
    error = data.get("error")
    if isinstance(error, Mapping):
        code, message = error.get("code"), error.get("message")
        return (
            str(code) if code else None,
            str(message).rstrip(".") if message else None,
            error.get("details"),
        )
    for key in ("message", "error", "detail"):
        if isinstance(data.get(key), str) and data[key]:
            return None, data[key].rstrip("."), None
    return None, None, None


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
