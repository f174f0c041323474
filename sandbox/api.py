"""The Pixxel API server: the endpoints of openapi.json the plugin uses, plus ``/__sandbox__/``.

Paging: ``offset``/``limit`` (and ``page_num``/``page_size`` for projects) are honoured, but a
page never holds more than ``page_cap`` rows, and ``pagination.limit`` echoes the *requested*
limit. A real server that caps silently is the hard case: clients must follow ``total`` and
the number of rows actually received, never assume their ``limit`` was granted.
"""

from __future__ import annotations

import functools
import hmac
import re
from typing import Any, Callable, Optional, Protocol

from . import archive, atlas, misbehaviour, purchased
from .answers import (
    ApiError,
    int_param,
    json_object,
    ok,
    page_cap,
    paging,
    pixxel_error_body,
    request_id,
)
from .catalog import Catalog
from .downloads import Download, DownloadRegistry
from .faults import FaultRegistry
from .httpbase import BaseHandler, Reply, RequestLog, SandboxServer
from .satellites import SATELLITES

__all__ = ["ROUTES", "ApiError", "ApiHandler", "ApiServer", "pixxel_error_body"]

TIMESTAMP_KEYS = ("created_at", "updated_at")

ROUTES = (
    ("GET", re.compile(r"^/ping$"), "ping"),
    ("GET", re.compile(r"^/v0/projects$"), "projects"),
    ("GET", re.compile(r"^/v0/aois$"), "aois"),
    ("GET", re.compile(r"^/v0/aoi/([^/]+)$"), "aoi"),
    ("GET", re.compile(r"^/v0/aois/([^/]+)/assets$"), "assets"),
    ("POST", re.compile(r"^/v0/aois/([^/]+)/downloads$"), "download_create"),
    ("GET", re.compile(r"^/v0/aois/([^/]+)/downloads/([^/]+)$"), "download_status"),
    ("GET", re.compile(r"^/v0/satellites$"), "satellites"),
)
# (method, pattern, endpoint name, function(handler, *path args, query=, body=) -> Reply): the
# endpoints served by their own modules; the ones above are ApiHandler._<name> methods.
MODULE_ROUTES = (*purchased.ROUTES, *archive.ROUTES, *atlas.ROUTES)
ADMIN_PREFIX = "/__sandbox__/"


class Admin(Protocol):
    """The sandbox operations the HTTP admin surface exposes to other processes."""

    faults: FaultRegistry

    def reset(self) -> None: ...

    def configure(self, **changes: Any) -> None: ...

    def info(self) -> dict: ...

    @property
    def requests(self) -> list: ...


class ApiServer(SandboxServer):
    def __init__(self, host: str, port: int, *, faults: FaultRegistry, log: RequestLog,
                 catalog: Catalog, downloads: DownloadRegistry, settings: Callable,
                 admin: Admin, purchases: Any, archive: Any, atlas: Any,
                 verbose: bool = False) -> None:
        self.catalog = catalog
        self.downloads = downloads
        self.purchases = purchases  # orders.Purchases
        self.archive = archive  # archive.Archive
        self.atlas = atlas  # atlas.Atlas
        self.settings = settings  # returns the current SandboxConfig
        self.admin_ops = admin
        super().__init__(host, port, ApiHandler, name="api", faults=faults, log=log,
                         verbose=verbose)


class ApiHandler(BaseHandler):
    server: ApiServer
    key: str = ""  # the API key of the request being answered, once authorised

    # -- routing -------------------------------------------------------------------------------

    def endpoint_for(self, method: str, path: str) -> str:
        route = _route(method, path)
        return route[0] if route else "unknown"

    def respond(self, method: str, path: str, query: dict, body: bytes) -> Reply:
        route = _route(method, path)
        try:
            if route is None:
                if any(entry[1].match(path.rstrip("/") or "/") for entry in _all_routes()):
                    raise ApiError(405, f"method {method} not allowed on {path}")
                raise ApiError(404, f"no route for {method} {path}")
            name, args, function = route
            if name != "ping":
                self._authorise()
            if function is None:
                function = getattr(self, f"_{name}")
            else:
                function = functools.partial(function, self)
            return misbehaviour.shaped(self, function(*args, query=query, body=body))
        except ApiError as exc:
            return self.error_reply(exc.status, exc.message, exc.details)

    def error_reply(self, status: int, message: str, details: Any = None) -> Reply:
        return Reply.json(status, pixxel_error_body(status, message, details), request_id())

    def _authorise(self) -> None:
        value = (self.headers.get("Authorization") or "").strip()
        if not value:
            raise ApiError(403, "missing API key: send it in the Authorization header")
        if value[:7].lower() == "bearer ":
            value = value[7:].strip()
        config = self.server.settings()
        matches = [key for key in (*config.api_keys, *config.viewer_keys)
                   if hmac.compare_digest(value.encode(), key.encode())]
        if not matches:
            raise ApiError(403, "invalid API key")
        self.key = matches[0]

    # -- endpoints -----------------------------------------------------------------------------

    def _ping(self, **_: Any) -> Reply:
        return self._ok("pong")

    def _projects(self, *, query: dict, **_: Any) -> Reply:
        page_num = misbehaviour.offset(self, int_param(query, "page_num", 1, minimum=1), first=1)
        page_size = int_param(query, "page_size", 10, minimum=1)
        rows = self.server.catalog.projects
        start = (page_num - 1) * page_size
        page = rows[start:start + min(page_size, self._page_cap())]
        return self._ok({"count": len(rows), "projects": [self.present(p) for p in page]})

    def _aois(self, *, query: dict, **_: Any) -> Reply:
        offset, limit = paging(query)
        served = min(limit, self._page_cap())
        catalog = self.server.catalog
        endless = misbehaviour.endless_page(
            self, lambda i: catalog.aoi_at(i % catalog.aoi_count), "aoi_id", offset, limit, served)
        if endless is not None:
            return self._ok({"aois": [self.present(a) for a in endless[0]],
                             "pagination": endless[1]})
        offset = misbehaviour.offset(self, offset)
        matches = _aoi_filter(query)
        if matches is None:  # unfiltered: generate only the rows of this page
            total = catalog.aoi_count
            page = [catalog.aoi_at(i) for i in range(offset, min(offset + served, total))]
        else:
            rows = [aoi for aoi in catalog.iter_aois() if matches(aoi)]
            total = len(rows)
            page = rows[offset:offset + served]
        return self._ok({"aois": [self.present(a) for a in page],
                         "pagination": {"limit": limit, "offset": offset, "total": total}})

    def _aoi(self, aoi_id: str, **_: Any) -> Reply:
        return self._ok(self.present(self.find_aoi(aoi_id)))

    def _assets(self, aoi_id: str, *, query: dict, **_: Any) -> Reply:
        self.find_aoi(aoi_id)
        offset, limit = paging(query)
        rows = self.server.catalog.assets(aoi_id)
        served = min(limit, self._page_cap())
        endless = misbehaviour.endless_page(
            self, lambda i: rows[i % len(rows)], "id", offset, limit, served)
        if endless is not None and rows:
            return self._ok({"assets": [self.present(a) for a in endless[0]],
                             "pagination": endless[1]})
        offset = misbehaviour.offset(self, offset)
        page = rows[offset:offset + served]
        return self._ok({"assets": [self.present(a) for a in page],
                         "pagination": {"limit": limit, "offset": offset, "total": len(rows)}})

    def _download_create(self, aoi_id: str, *, body: bytes, **_: Any) -> Reply:
        self.find_aoi(aoi_id)
        asset_ids = _asset_ids(body)
        assets = {asset["id"]: asset for asset in self.server.catalog.assets(aoi_id)}
        unknown = [a for a in asset_ids if a not in assets]
        if unknown:
            raise ApiError(400, "asset ids not found in this AOI", {"asset_ids": unknown})
        not_ready = {a: assets[a]["status"] for a in asset_ids if assets[a]["status"] != "success"}
        if not_ready:
            raise ApiError(400, "only assets with status success can be downloaded",
                           {"asset_statuses": not_ready})
        download = self.server.downloads.create(aoi_id, asset_ids)
        return self._download_reply(201, download, poll=False)

    def _download_status(self, aoi_id: str, download_id: str, **_: Any) -> Reply:
        self.find_aoi(aoi_id)
        download = self.server.downloads.find(aoi_id, download_id)
        if download is None:
            raise ApiError(404, f"download {download_id} not found for AOI {aoi_id}")
        return self._download_reply(200, download, poll=True)

    def _satellites(self, **_: Any) -> Reply:
        return self._ok({"satellites": self.server.catalog.satellites})

    # -- helpers -------------------------------------------------------------------------------

    def _ok(self, data: Any, status: int = 200) -> Reply:
        return ok(data, status)

    def _page_cap(self) -> int:
        return page_cap(self.server.settings())

    def find_aoi(self, aoi_id: str) -> dict:
        aoi = self.server.catalog.aoi(aoi_id)
        if aoi is None:
            raise ApiError(404, f"AOI {aoi_id} not found")
        return aoi

    def _download_reply(self, status: int, download: Download, *, poll: bool) -> Reply:
        state, url = self.server.downloads.answer(download, poll=poll)
        state, url = misbehaviour.download_state(self, state, url)
        if self.server.settings().status_case == "lower":
            state = state.lower()
        return self._ok({"download_id": download.id, "signed_url": url, "status": state}, status)

    def present(self, record: dict) -> dict:
        """A catalog record in the configured variant (satellite field name, timestamp style)."""
        config = self.server.settings()
        out = {}
        for key, value in record.items():
            if key == "satellite_id":
                key = config.satellite_field
            elif key in TIMESTAMP_KEYS:
                value = restyle_timestamp(value, config.timestamp_style)
            out[key] = value
        return out

    # -- admin surface (tests driving the sandbox from another process) ------------------------

    def admin(self, method: str, path: str, query: dict, body: bytes) -> Optional[Reply]:
        if not path.startswith(ADMIN_PREFIX):
            return None
        ops = self.server.admin_ops
        action = (method, path[len(ADMIN_PREFIX):].strip("/"))
        try:
            if action == ("POST", "reset"):
                ops.reset()
                return Reply.json(200, {"ok": True})
            if action == ("POST", "faults"):
                spec = json_object(body)
                fault = ops.faults.add(spec.get("endpoint", ""), spec.get("kind", ""),
                                       nth=spec.get("nth"), times=spec.get("times", 1),
                                       **(spec.get("params") or {}))
                return Reply.json(201, fault.as_dict())
            if action == ("GET", "faults"):
                return Reply.json(200, {"faults": [f.as_dict() for f in ops.faults.armed],
                                        "counts": ops.faults.counts})
            if action == ("POST", "config"):
                ops.configure(**json_object(body))
                return Reply.json(200, ops.info())
            if action == ("GET", "requests"):
                return Reply.json(200, [r.as_dict() for r in ops.requests])
            if action == ("GET", "info"):
                return Reply.json(200, ops.info())
        except (ValueError, TypeError) as exc:
            return Reply.json(400, pixxel_error_body(400, str(exc)))
        except ApiError as exc:
            return Reply.json(exc.status, pixxel_error_body(exc.status, exc.message))
        return Reply.json(404, pixxel_error_body(404, f"no admin action {method} {path}"))


def restyle_timestamp(value: str, style: str) -> str:
    """ISO timestamps in the three shapes Pixxel serves: ``T``, space, or ``Z`` for UTC."""
    if style == "space":
        return value.replace("T", " ", 1)
    if style == "z" and value.endswith("+00:00"):
        return value[:-6] + "Z"
    return value


def _all_routes() -> tuple:
    return (*((m, p, n, None) for m, p, n in ROUTES), *MODULE_ROUTES)


def _route(method: str, path: str) -> Optional[tuple]:
    """(endpoint name, path arguments, module function or None) of a request, or None."""
    path = path.rstrip("/") or "/"
    for route_method, pattern, name, function in _all_routes():
        match = pattern.match(path)
        if match and route_method == method:
            return name, match.groups(), function
    return None


def _aoi_filter(query: dict) -> Optional[Callable[[dict], bool]]:
    """A predicate for the list filters present in the query, or None if there are none."""
    tests: list = []
    name = query.get("aoi_name", "").strip().lower()
    if name:
        tests.append(lambda aoi: name in aoi["name"].lower())
    if query.get("aoi_id"):
        tests.append(lambda aoi: aoi["aoi_id"] == query["aoi_id"])
    # "project_ids" (spec, comma separated) and "project_id" (Pixxel's guide) both filter.
    projects = {p.strip() for key in ("project_ids", "project_id")
                for p in query.get(key, "").split(",") if p.strip()}
    if projects:
        tests.append(lambda aoi: aoi["project_id"] in projects)
    for key in ("created_at", "updated_at"):
        prefix = query.get(key, "").strip().replace(" ", "T")
        if prefix:
            tests.append(lambda aoi, key=key, prefix=prefix: aoi[key].startswith(prefix))
    satellite = query.get("satellite_name", "").strip().lower()
    if satellite:  # guide-only filter
        ids = {s["id"] for s in SATELLITES if s["name"].lower() == satellite}
        tests.append(lambda aoi: aoi["satellite_id"] in ids)
    if not tests:
        return None
    return lambda aoi: all(test(aoi) for test in tests)


def _asset_ids(body: bytes) -> list:
    ids = json_object(body).get("asset_ids")
    if not isinstance(ids, list) or not ids or not all(isinstance(a, str) and a for a in ids):
        raise ApiError(400, "asset_ids must be a non-empty list of asset id strings")
    return list(dict.fromkeys(ids))
