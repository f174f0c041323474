"""One API answer, read whole within the call's limits, and what it means: JSON, or the
PixxelError a non-2xx answer stands for.

Reading (`read_answer`) streams the body so that it can be bounded while it arrives:
- its decoded size is counted piece by piece, compressed or not, and reading stops past
  `max_bytes` (a compressed body is inflated 1 KiB of wire bytes at a time: a gzip bomb costs
  about the limit, never its full size);
- the call's deadline and the user's cancel end the read mid-body: the socket is registered with
  the cancel watcher (core/pixxel/interruptible.py), which shuts it down when `is_cancelled()`
  turns true — the API client's check is true once the deadline has passed;
- a body shorter than its Content-Length is "cut short" whichever way urllib3 reports it: 1.26
  ends the stream quietly (the bytes are counted here), 2.x raises IncompleteRead, which requests
  turns into ChunkedEncodingError — without this module the user read "Could not connect".

Pure Python on requests (no Qt)."""

import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Tuple

import requests
from urllib3.exceptions import ReadTimeoutError

from . import interruptible
from .errors import (
    BadRequestError,
    CancelledError,
    KeyRejectedError,
    NetworkError,
    NotFoundError,
    PixxelError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    UnexpectedResponseError,
)
from .limits import format_size
from .redaction import server_text
from .retry import parse_retry_after

PLAIN_CHUNK = 64 * 1024  # bytes per read of an uncompressed body
# Wire bytes per read of a compressed body: deflate inflates at most about 1,000-fold, so one
# read yields about 1 MiB at worst and the size check runs often enough to stop a bomb early.
COMPRESSED_CHUNK = 1024


class TooLargeError(UnexpectedResponseError):
    """An answer larger than the limit: asking again would bring the same, so never retried."""


class CutShortError(NetworkError):
    """An answer that broke off before its end: fewer bytes than its Content-Length, or a read
    that failed mid-body. A NetworkError, so retried like one; `received` and `declared` (None
    when the server declared no length) count wire bytes, for callers that report them."""

    def __init__(
        self, message: str, *, received: int, declared: Optional[int], **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.received = received
        self.declared = declared


@dataclass(frozen=True)
class Answer:
    """An HTTP answer with its whole (decoded) body."""

    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes


def read_answer(
    response: requests.Response,
    *,
    host: str,
    max_bytes: int,
    is_cancelled: Callable[[], bool],
) -> Answer:
    """The answer of a streamed `response`, its connection closed or back in the pool.
    Raises TooLargeError, CutShortError (a NetworkError: cut short, broken), RequestTimeoutError
    (stalled) or CancelledError when `is_cancelled()` turned true while reading."""
    try:
        declared = _declared_length(response)
        encoding = _content_encoding(response)
        if declared is not None and not encoding and declared > max_bytes:
            raise _too_large(host, max_bytes)
        parts = []
        size = 0
        sock = interruptible.body_socket(response)
        with interruptible.waiting(is_cancelled, sock) as wait:
            try:
                for piece in response.iter_content(COMPRESSED_CHUNK if encoding else PLAIN_CHUNK):
                    size += len(piece)
                    if size > max_bytes:
                        raise _too_large(host, max_bytes)
                    parts.append(piece)
                    if sock is None and is_cancelled():  # no watcher for this read: look here
                        raise CancelledError("Cancelled.")
            except requests.RequestException as exc:
                if wait.fired:  # the cancel (or the deadline) broke the read, not the server
                    raise CancelledError("Cancelled.") from None
                raise _broken(exc, response, host, declared, encoding) from None
        if wait.fired:  # cut by the cancel (or the deadline) after the last piece: may be short
            raise CancelledError("Cancelled.")
        received = _wire_bytes(response, size)
        if declared is not None and received != declared:
            raise _cut_short(host, received, declared)
        headers = response.headers
        return Answer(response.status_code, response.reason or "", headers, b"".join(parts))
    finally:
        response.close()


def decode(answer: Answer) -> Tuple[str, Any]:
    """("json", data), ("text", text), ("empty", None), ("html", None), ("deep", None) for
    JSON nested deeper than the parser can follow, or ("invalid", None) for a body declared as
    JSON, or with no type, that does not parse."""
    raw = answer.body
    content_type = (answer.headers.get("Content-Type") or "").lower()
    if not raw.strip():
        return "empty", None
    if "html" in content_type or raw.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        return "html", None
    try:
        return "json", json.loads(raw)
    except RecursionError:
        # json's C decoder gives up at Python's recursion limit: no API nests that deep.
        return "deep", None
    except ValueError:
        pass
    # Gateways answer errors in plain text ("Unauthorized"); worth showing, not worth a new error.
    if content_type.startswith("text/"):
        return "text", raw.decode("utf-8", "replace")
    return "invalid", None


def not_json(kind: str, answer: Answer, host: str) -> str:
    """The message for an answer that is not the JSON Pixxel's API sends."""
    status = answer.status
    content_type = answer.headers.get("Content-Type") or "no content type"
    if kind == "html":
        return (
            f"The server at {host} answered with an HTML page (HTTP {status}), not Pixxel's API: "
            "a proxy or gateway may be in the way."
        )
    if kind == "empty":
        return (
            f"The server at {host} answered HTTP {status} with an empty body ({content_type}), "
            "where Pixxel's API sends JSON."
        )
    if kind == "deep":
        return (
            f"The server at {host} answered HTTP {status} with JSON nested too deeply to be "
            "Pixxel's: a proxy or a broken server may be the cause."
        )
    return (
        f"The server at {host} answered HTTP {status} with a body that is not valid JSON "
        f"({content_type}): a proxy or an unstable connection may be the cause."
    )


def error_for(answer: Answer, host: str) -> PixxelError:
    """The exception for a non-2xx answer, with Pixxel's code/message/details when sent."""
    status = answer.status
    kind, data = decode(answer)
    if kind in ("html", "invalid", "deep"):
        # Somebody other than Pixxel's API answered (a proxy page), or the body broke.
        return UnexpectedResponseError(not_json(kind, answer, host), status=status)
    code, message, details = _pixxel_error(data)
    detail = server_text(message or answer.reason or "no details given")
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
        retry_after = parse_retry_after(answer.headers.get("Retry-After"))
        asked = f" It asked to wait {retry_after:.0f} s." if retry_after else ""
        return RateLimitedError(
            f"Pixxel is limiting requests (HTTP 429): {detail}.{asked} Try again later.",
            retry_after=retry_after, **fields,
        )
    if 500 <= status < 600:
        return ServerError(f"Pixxel's server failed (HTTP {status}): {detail}.", **fields)
    if 400 <= status < 500:
        return BadRequestError(f"Pixxel refused the request (HTTP {status}): {detail}.", **fields)
    return UnexpectedResponseError(
        f"The server at {host} answered HTTP {status}, which Pixxel's API does not send.",
        **fields,
    )


# --- internals -----------------------------------------------------------------------------------


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


def _declared_length(response: requests.Response) -> Optional[int]:
    declared = (response.headers.get("Content-Length") or "").strip()
    return int(declared) if declared.isdigit() else None


def _content_encoding(response: requests.Response) -> str:
    encoding = (response.headers.get("Content-Encoding") or "").strip().lower()
    return "" if encoding == "identity" else encoding


def _wire_bytes(response: requests.Response, decoded: int) -> int:
    """Bytes of body received as sent (before decompression): urllib3 1.26 and 2.x both count
    them in HTTPResponse.tell()."""
    tell = getattr(response.raw, "tell", None)
    try:
        return int(tell()) if callable(tell) else decoded
    except (TypeError, ValueError, OSError):
        return decoded


def _too_large(host: str, max_bytes: int) -> TooLargeError:
    return TooLargeError(
        f"The answer from {host} is larger than {format_size(max_bytes)}, far more than Pixxel's "
        "API sends: it was not read to the end."
    )


def _cut_short(host: str, received: int, declared: Optional[int]) -> CutShortError:
    if declared is None:
        message = f"The answer from {host} was cut short."
    else:
        message = f"The answer from {host} was cut short ({received} of {declared} bytes)."
    return CutShortError(message, received=received, declared=declared)


def _broken(
    exc: requests.RequestException,
    response: requests.Response,
    host: str,
    declared: Optional[int],
    encoding: str,
) -> NetworkError:
    """The error for a body whose reading failed (the connection is not reused)."""
    if isinstance(exc, requests.exceptions.ConnectionError) and any(
        isinstance(arg, ReadTimeoutError) for arg in exc.args
    ):
        return RequestTimeoutError(f"{host} stopped sending its answer.")
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return NetworkError(
            f"The answer from {host} arrived damaged: its {encoding} compression is broken."
        )
    if isinstance(exc, requests.exceptions.SSLError):
        return NetworkError(f"The secure (TLS) connection to {host} failed.")
    # ChunkedEncodingError: urllib3 2's IncompleteRead, a reset or a broken chunk mid-body.
    return _cut_short(host, _wire_bytes(response, 0), declared)
