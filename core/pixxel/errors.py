"""One exception family for everything that can go wrong talking to Pixxel or its storage.

Every message is written for the user who will read it in the message bar; none carries the API
key or a signed URL's query string (the gateway redacts before an error is built). What a server
sends along (`code`, `details`) is redacted here, when the error is made: an error object may be
logged or shown whole, long after anyone could still scrub it."""

from typing import Any, Callable, Optional, TypeVar

from .redaction import pixxel_logger, redact_data

T = TypeVar("T")


class PixxelError(Exception):
    """Base of every error the plugin's core raises. `status` is the HTTP status when there was one;
    `code`, `details` are Pixxel's error body fields when the API sent them."""

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = redact_data(code)
        self.details = redact_data(details)

    def __str__(self) -> str:
        return self.message


class KeyRejectedError(PixxelError):
    """401/403 from the API: the key is missing, wrong, revoked or lacks access."""


class NotFoundError(PixxelError):
    """404: the AOI, asset or download does not exist or is not visible to this key."""


class BadRequestError(PixxelError):
    """Another 4xx: the request itself was refused (e.g. assets that cannot be downloaded)."""


class RateLimitedError(PixxelError):
    """429 that persisted through every retry."""

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(PixxelError):
    """5xx that persisted through every retry (or a 500, which is not retried blindly)."""


class NetworkError(PixxelError):
    """No usable HTTP answer: DNS, refused or dropped connection, TLS, proxy failure."""


class UntrustedCertificateError(NetworkError):
    """The server's TLS certificate failed verification: no retry changes that."""


class RequestTimeoutError(NetworkError):
    """The server did not answer (or stopped sending) within the timeout."""


class UnexpectedResponseError(PixxelError):
    """An answer that is not what Pixxel sends: HTML from a proxy, invalid JSON, wrong shape."""


class CancelledError(PixxelError):
    """The user (or QGIS closing) cancelled the operation."""


class DownloadFailedError(PixxelError):
    """Pixxel reports the download request itself as failed, or it never became ready in time."""


class SignedUrlExpiredError(PixxelError):
    """Storage refused the signed URL (401/403) and no fresh one could be obtained."""


class IncompleteTransferError(PixxelError):
    """Fewer (or more) bytes arrived than the server announced, or a checksum did not match."""


class DiskFullError(PixxelError):
    """Not enough free space for the download or its extraction."""


class UnsafeArchiveError(PixxelError):
    """A delivered zip tries to write outside its folder, holds links, or expands absurdly."""


class InsecureConnectionError(PixxelError):
    """Plain http to a host other than this computer, or a redirect from https to http: refused
    before anything was sent there (a signed URL is a credential, and the file is the user's)."""


def or_else(fetch: Callable[[], T], fallback: T, warning: str) -> T:
    """fetch(), or `fallback` when it fails with a PixxelError, logged as `warning % error`: for
    what the caller can do without. Cancelling still cancels."""
    try:
        return fetch()
    except CancelledError:
        raise
    except PixxelError as error:
        pixxel_logger().warning(warning, error)
        return fallback
