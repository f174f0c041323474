"""What storage's answers mean when they are not the file: statuses, web pages and broken reads,
as the errors a user reads. core/download/transfer.py decides what to do with them (retry,
refresh the link, give up); content_check.py judges the bodies of answers that claim to be the
file.

Pure Python.
"""

import http.client
from typing import TYPE_CHECKING, Optional, Tuple

import urllib3

from ..pixxel.errors import (
    BadRequestError,
    IncompleteTransferError,
    NetworkError,
    NotFoundError,
    PixxelError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    UnexpectedResponseError,
)
from ..pixxel.retry import RETRYABLE_STATUSES, parse_retry_after
from .files import format_bytes

if TYPE_CHECKING:
    import requests

# Reading a blob is idempotent, so a 500 is worth another try here (Azure documents its 500
# InternalError as transient), unlike a POST to the API.
RETRYABLE = RETRYABLE_STATUSES | {500}
# Whatever a body read can raise when the connection breaks or stalls: urllib3 and http.client
# errors are not OSErrors, and requests wraps neither when we read `raw` ourselves.
READ_ERRORS = (OSError, urllib3.exceptions.HTTPError, http.client.HTTPException)


def web_page_error(response: "requests.Response") -> Optional[UnexpectedResponseError]:
    """The error for a web page (by its Content-Type) where the file should be, None otherwise.
    A proxy's 502/503 page is as transient as any other, so it is not one; its login page is."""
    status = response.status_code
    content_type = response.headers.get("Content-Type", "").lower()
    if status in RETRYABLE or not content_type.startswith(("text/html", "application/xhtml")):
        return None
    return UnexpectedResponseError(
        f"Storage answered with a web page instead of the file (HTTP {status}): a proxy or "
        f"captive portal may be in the way.", status=status)


def status_error(response: "requests.Response", file_name: str
                 ) -> Tuple[PixxelError, bool, Optional[float]]:
    """(the error, whether a later attempt may succeed, the Retry-After in seconds) for a status
    other than 200/206/416 and 401/403 (an expired link: the caller refreshes it)."""
    status = response.status_code
    code = response.headers.get("x-ms-error-code") or None
    if status == 404:
        return NotFoundError(f"The file {file_name} is no longer in storage (HTTP 404). Request "
                             f"the download again.", status=status, code=code), False, None
    if status in RETRYABLE:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if status == 429:
            return RateLimitedError("Storage keeps asking to slow down (HTTP 429). Try again "
                                    "later.", status=status, retry_after=retry_after), True, \
                retry_after
        return ServerError(f"Storage is unavailable (HTTP {status}). Try again later.",
                           status=status), True, retry_after
    return BadRequestError(f"Storage refused the download (HTTP {status}).", status=status,
                           code=code), False, None


def read_error(exc: BaseException, done: int, total: Optional[int]) -> PixxelError:
    where = f"after {format_bytes(done)}" + (f" of {format_bytes(total)}" if total else "")
    if isinstance(exc, (TimeoutError, urllib3.exceptions.TimeoutError)):
        return RequestTimeoutError(f"Storage stopped sending data {where}.")
    if total is not None and _closed_early(exc):
        return closed_early_error(done, total)
    return NetworkError(f"The connection to storage broke {where}.")


def closed_early_error(done: int, total: int) -> IncompleteTransferError:
    """Storage ended the body before its announced length: urllib3 1.x reads that as the end of
    the body (the transfer counts the bytes), urllib3 2 raises IncompleteRead; either way the
    user reads the same."""
    return IncompleteTransferError(
        f"Storage sent {format_bytes(done)} of {format_bytes(total)} and then closed the "
        f"connection.")


def _closed_early(exc: BaseException) -> bool:
    # urllib3 2 wraps http.client's or its own IncompleteRead in a ProtocolError.
    seen = [exc, *getattr(exc, "args", ())]
    return any(isinstance(item, (http.client.IncompleteRead, urllib3.exceptions.IncompleteRead))
               for item in seen)
