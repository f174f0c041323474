"""Switchable faults: which request of which endpoint misbehaves, and how.

A fault is armed for a window of one endpoint's requests counted since the last reset (1-based),
so a test can say "the 2nd status poll answers 503, twice" and count the client's retries.
Faults that replace the answer are built here (``fault_reply``); faults that edit a normal
answer before it is sent (``rewrite_reply``: a signed URL turned into plain http, validators
withheld) too; faults that distort the transfer of a normal answer (slow, stall, drop, short,
corrupt) are applied by ``httpbase.send``. The endpoints' own misbehaviours (``API_KINDS``:
trickling answers, endless or repeated pages, odd download states) change what they answer and
are applied by ``sandbox/api.py`` (and, for a trickle, ``sandbox/storage.py``).
"""

from __future__ import annotations

import functools
import json
import threading
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Protocol
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

ENDPOINTS = ("ping", "projects", "aois", "aoi", "assets", "download_create", "download_status",
             "satellites", "orders", "order", "order_create", "order_items", "order_item",
             "bandsets", "catalogs_search", "catalog", "catalog_download_create",
             "catalog_download_status", "archive_collections", "archive_collection",
             "archive_collection_items", "archive_item", "archive_search", "indices",
             "visualizations", "visualization_sld", "storage", "*")
ANY = "*"

# Allowed params per kind, so a typo in a test fails loudly instead of arming a harmless fault.
KINDS: Mapping[str, frozenset] = {
    "status": frozenset({"status", "body"}),
    "rate_limit": frozenset({"retry_after"}),
    "slow": frozenset({"delay"}),
    "stall": frozenset({"seconds", "after_bytes", "at"}),
    "drop": frozenset({"after_bytes", "at"}),
    "short": frozenset({"after_bytes", "at"}),
    "html": frozenset({"status"}),
    "invalid_json": frozenset({"status"}),
    "expired_url": frozenset(),
    # Storage error documents served with 200, as storage (or a CDN in front of it) sometimes
    # does: Azure/S3/GCS-style XML, a JSON error, an HTML page dressed in a UTF-8 BOM and/or a
    # comment. `content_type` lets a test mislabel the page (the body must then give it away).
    "xml_error_200": frozenset({"code", "message", "content_type"}),
    "json_error_200": frozenset({"code", "message", "content_type"}),
    "html_bom_200": frozenset({"dressing", "content_type"}),
    # One byte of the body flipped at the cut point: what a broken proxy or disk hands over.
    "corrupt": frozenset({"after_bytes", "at"}),
    # A redirect to the same path and query over plain http (`host`, `port`: default this
    # server's own address).
    "redirect_http": frozenset({"host", "port", "status"}),
    # The API's download answers carry a plain-http signed URL to `host` (default: not this
    # computer), path and signature unchanged.
    "http_signed_url": frozenset({"host"}),
    # Storage that sends neither ETag nor Last-Modified (nor an MD5): nothing tells a client
    # that the object changed between two requests.
    "no_validators": frozenset(),
    # Applied by the endpoint (sandbox/misbehaviour.py): the normal answer, `after_bytes` at
    # full speed, then `bytes` every `interval` s: no read ever times out, the answer never ends.
    # API endpoints and storage.
    "trickle": frozenset({"bytes", "interval", "after_bytes"}),
    # API endpoints only (sandbox/api.py):
    "endless_pages": frozenset({"total"}),  # full pages of new ids forever; total "grow"/"none"
    "ignore_offset": frozenset(),  # every page is the first one (offset/page_num ignored)
    "download_state": frozenset({"state"}),  # a download answer in one of DOWNLOAD_STATES
    # Answers replaced here:
    "gzip_bomb": frozenset({"decoded_bytes", "status"}),  # small gzip body, huge decoded
    "nested_json": frozenset({"depth", "status"}),  # [[[[...]]]] deeper than any parser's stack
}
API_KINDS = frozenset({"trickle", "endless_pages", "ignore_offset", "download_state"})
STATUS_BODIES = ("pixxel", "html", "empty")
HTML_DRESSINGS = ("bom", "comment", "bom+comment")
# Not this computer, and never resolvable (RFC 2606): a client that honours such a URL is caught
# by the test's own proxy, or fails to resolve it, but never reaches a real host.
NON_LOOPBACK_HOST = "storage.pixxel-sandbox.invalid"
VALIDATOR_HEADERS = frozenset({"etag", "last-modified", "content-md5", "x-ms-blob-content-md5"})
# Download statuses Pixxel may end a download with besides SUCCESS and FAILED (its list of
# statuses is unpublished), and a SUCCESS that carries no signed URL.
DOWNLOAD_STATES = ("error", "cancelled", "expired", "success_without_url")
ENDLESS_TOTALS = ("grow", "none")
# What the issue measured: 149 KiB of gzip inflating to 268 MiB.
GZIP_BOMB_BYTES = 268 * 1024 * 1024
# Python <= 3.13 gives up at its recursion limit (1,000 levels); 3.14 at the C stack, which with
# the usual 8 MiB parses 50,000 levels and not 100,000: a million is deeper than any stack.
NESTED_JSON_DEPTH = 1_000_000

PROXY_PAGE = b"""<!DOCTYPE html>
<html><head><title>Access Denied - Web Gateway</title></head>
<body><h1>Authentication required</h1>
<p>Your organisation's web gateway requires you to sign in before accessing
<b>api.pixxel.space</b>.</p>
<form method="post" action="/login"><input name="user"><input name="password" type="password">
<button>Sign in</button></form>
<p>Incident ID: 4f1c-88a2. Contact your IT helpdesk if the problem persists.</p>
</body></html>
"""
BROKEN_JSON = b'{"aois": [{"aoi_id": "e9767554-550e-4464-a677-b8cf096073ab", "name": "Pun'
STORAGE_ERROR_CODE = "AuthenticationFailed"
STORAGE_ERROR_MESSAGE = ("Server failed to authenticate the request. Make sure the value of "
                         "Authorization header is formed correctly including the signature.")
UTF8_BOM = b"\xef\xbb\xbf"
HTML_COMMENT = b"<!-- served by edge-cache 7f3a; do not edit -->\n"


@dataclass(frozen=True)
class Fault:
    endpoint: str
    kind: str
    first: int  # 1-based count of the endpoint's requests at which the fault starts firing
    times: Optional[int]  # None: forever
    params: Mapping[str, Any] = field(default_factory=dict)

    def covers(self, count: int) -> bool:
        return count >= self.first and (self.times is None or count < self.first + self.times)

    def as_dict(self) -> dict:
        return {"endpoint": self.endpoint, "kind": self.kind, "nth": self.first,
                "times": self.times, "params": dict(self.params)}


class FaultRegistry:
    """Armed faults plus per-endpoint request counters; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._counts: Counter = Counter()

    def add(self, endpoint: str, kind: str, *, nth: Optional[int] = None,
            times: Optional[int] = 1, **params: Any) -> Fault:
        if endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {endpoint!r}; expected one of {ENDPOINTS}")
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {tuple(KINDS)}")
        unknown = set(params) - KINDS[kind]
        if unknown:
            raise ValueError(f"fault {kind!r} takes {sorted(KINDS[kind])}, not {sorted(unknown)}")
        if params.get("body", "pixxel") not in STATUS_BODIES:
            raise ValueError(f"body must be one of {STATUS_BODIES}")
        if params.get("dressing", "bom+comment") not in HTML_DRESSINGS:
            raise ValueError(f"dressing must be one of {HTML_DRESSINGS}")
        if kind == "download_state" and params.get("state") not in DOWNLOAD_STATES:
            raise ValueError(f"state must be one of {DOWNLOAD_STATES}")
        if params.get("total", "grow") not in ENDLESS_TOTALS:
            raise ValueError(f"total must be one of {ENDLESS_TOTALS}")
        if nth is not None and nth < 1:
            raise ValueError("nth counts from 1")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for forever)")
        with self._lock:
            first = self._counts[endpoint] + 1 if nth is None else nth
            fault = Fault(endpoint, kind, first, times, dict(params))
            self._faults.append(fault)
        return fault

    def take(self, endpoint: str) -> Optional[Fault]:
        """Count one request of ``endpoint`` and return the fault that fires on it, if any."""
        with self._lock:
            self._counts[endpoint] += 1
            self._counts[ANY] += 1
            for fault in self._faults:
                if fault.endpoint in (endpoint, ANY) and fault.covers(self._counts[fault.endpoint]):
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._counts.clear()

    @property
    def armed(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    @property
    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)


class Responder(Protocol):
    """What a server offers to build fault answers in its own dialect."""

    def error_reply(self, status: int, message: str) -> Any: ...

    def raw_reply(self, status: int, content_type: str, body: bytes) -> Any: ...

    def expired_reply(self) -> Any: ...

    def redirect_reply(self, status: int, scheme: str, host: Optional[str],
                       port: Optional[int]) -> Any: ...


def fault_reply(fault: Fault, server: Responder) -> Any:
    """The answer that replaces the normal one, or None for faults that distort the transfer.

    ``body="pixxel"`` means the server's own error body: Pixxel's JSON on the API, Azure's XML on
    storage.
    """
    params = fault.params
    if fault.kind == "status":
        status = int(params.get("status", 500))
        body = params.get("body", "pixxel")
        if body == "html":
            return server.raw_reply(status, "text/html; charset=utf-8", PROXY_PAGE)
        if body == "empty":
            return server.raw_reply(status, "text/plain", b"")
        return server.error_reply(status, "injected fault")
    if fault.kind == "rate_limit":
        reply = server.error_reply(429, "Rate limit exceeded, retry later")
        reply.headers.append(("Retry-After", str(params.get("retry_after", "1"))))
        return reply
    if fault.kind == "html":
        return server.raw_reply(int(params.get("status", 200)), "text/html; charset=utf-8",
                                PROXY_PAGE)
    if fault.kind == "invalid_json":
        return server.raw_reply(int(params.get("status", 200)), "application/json", BROKEN_JSON)
    if fault.kind == "expired_url":
        return server.expired_reply()
    if fault.kind == "xml_error_200":
        code = str(params.get("code", STORAGE_ERROR_CODE))
        message = str(params.get("message", STORAGE_ERROR_MESSAGE))
        body = (f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{escape(code)}</Code>'
                f"<Message>{escape(message)}</Message></Error>").encode()
        return server.raw_reply(200, str(params.get("content_type", "application/xml")), body)
    if fault.kind == "json_error_200":
        # GCS's JSON API shape: {"error": {"code", "message", "errors": [...]}}.
        code = params.get("code", 403)
        message = str(params.get("message", "Anonymous caller does not have storage.objects.get "
                                            "access to the Google Cloud Storage object."))
        body = json.dumps({"error": {"code": code, "message": message, "errors": [
            {"message": message, "domain": "global", "reason": "forbidden"}]}}).encode()
        return server.raw_reply(200, str(params.get("content_type", "application/json")), body)
    if fault.kind == "html_bom_200":
        dressing = params.get("dressing", "bom+comment")
        body = ((UTF8_BOM if "bom" in dressing else b"")
                + (HTML_COMMENT if "comment" in dressing else b"") + PROXY_PAGE)
        # Labelled as a file: only its bytes say that it is a page.
        return server.raw_reply(200, str(params.get("content_type", "application/octet-stream")),
                                body)
    if fault.kind == "redirect_http":
        port = params.get("port")
        return server.redirect_reply(int(params.get("status", 302)), "http", params.get("host"),
                                     int(port) if port is not None else None)
    if fault.kind == "gzip_bomb":
        reply = server.raw_reply(int(params.get("status", 200)), "application/json",
                                 gzip_bomb(int(params.get("decoded_bytes", GZIP_BOMB_BYTES))))
        reply.headers.append(("Content-Encoding", "gzip"))
        return reply
    if fault.kind == "nested_json":
        depth = int(params.get("depth", NESTED_JSON_DEPTH))
        return server.raw_reply(int(params.get("status", 200)), "application/json",
                                b"[" * depth + b"]" * depth)
    return None


def rewrite_reply(fault: Optional[Fault], reply: Any) -> Any:
    """The normal answer `reply` as the fault edits it before it is sent (the same object)."""
    if fault is None:
        return reply
    if fault.kind == "http_signed_url":
        try:
            data = json.loads(reply.body)
        except ValueError:
            return reply
        if isinstance(data, dict) and data.get("signed_url"):
            parts = urlsplit(data["signed_url"])
            host = str(fault.params.get("host", NON_LOOPBACK_HOST))
            data["signed_url"] = urlunsplit(("http", host, parts.path, parts.query, ""))
            reply.body = json.dumps(data, separators=(",", ":")).encode()
    elif fault.kind == "no_validators":
        reply.headers = [(name, value) for name, value in reply.headers
                         if name.lower() not in VALIDATOR_HEADERS]
    return reply


@functools.lru_cache(maxsize=4)
def gzip_bomb(decoded_bytes: int) -> bytes:
    """A gzip body that inflates to `decoded_bytes` of valid JSON (an AOI page padded with
    spaces, which JSON allows), so a client that inflates it all gets an ordinary answer and
    nothing but a size limit tells it apart. Built block by block: never held decoded."""
    head, tail = b'{"aois":[],"pagination":{"limit":10,"offset":0,"total":0}', b"}"
    block = b" " * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: the gzip container
    parts = [packer.compress(head)]
    padding = max(0, decoded_bytes - len(head) - len(tail))
    while padding > 0:
        parts.append(packer.compress(block[:min(padding, len(block))]))
        padding -= len(block)
    parts += [packer.compress(tail), packer.flush()]
    return b"".join(parts)


def parse_cli_fault(text: str) -> dict:
    """``ENDPOINT:KIND[:nth=N,times=N,k=v]`` as used by ``python -m sandbox --fault``."""
    endpoint, _, rest = text.partition(":")
    kind, _, options = rest.partition(":")
    spec: dict = {"endpoint": endpoint, "kind": kind, "params": {}}
    for item in filter(None, options.split(",")):
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"fault option {item!r} is not key=value")
        parsed = _scalar(value)
        if key in ("nth", "times"):
            spec[key] = parsed
        else:
            spec["params"][key] = parsed
    return spec


def _scalar(value: str) -> Any:
    if value.lower() in ("none", "forever"):
        return None
    for convert in (int, float):
        try:
            return convert(value)
        except ValueError:
            pass
    return value
