"""The one HTTP gateway: every request of the plugin (API and storage) goes through an HttpGateway.

It owns the requests session (connection pool, proxies, TLS, User-Agent, timeouts), turns every
transport failure into a PixxelError with a redacted message, and logs each exchange with signed
URLs redacted. It never adds credentials: the API client passes its Authorization header per
request, so storage hosts can never receive the key. Retrying is the caller's decision (API calls
and byte transfers recover differently), with the arithmetic in core/retry.py.

TLS: certificates are always verified, against requests' default CA bundle or the PEM file given
as `verify` (core/tls.py makes one from the CAs QGIS trusts). One gateway serves the API and the
storage host, so both are verified alike.

Cancelling: `send(is_cancelled=...)` shuts the socket of a request still waiting for its answer
down within 0.05 s of the cancel (core/interruptible.py), which transfer.py also uses for the body
it streams, so a stalled storage read ends at once too."""

import functools
import ssl
import time
from typing import Any, Callable, Mapping, Optional, Tuple, Union
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

from . import interruptible
from .address import redirect_refusal
from .errors import (
    CancelledError,
    InsecureConnectionError,
    NetworkError,
    RequestTimeoutError,
    UntrustedCertificateError,
)
from .proxies import request_proxies
from .redaction import pixxel_logger, redact_url

log = pixxel_logger()

DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 60.0


def default_ca_bundle() -> str:
    """The CA bundle requests verifies with when `verify` is True (certifi's, which Debian points
    at the system store /etc/ssl/certs/ca-certificates.crt)."""
    return requests.certs.where()


class HttpGateway:
    def __init__(
        self,
        *,
        user_agent: str,
        proxies: Optional[Mapping[str, str]] = None,
        trust_env: bool = True,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        pool_size: int = 10,
        verify: Union[bool, str] = True,
    ) -> None:
        """`proxies` is a requests mapping ({"http": url, "https": url, "no_proxy": "a,b"}).
        `trust_env=False` ignores the process environment's proxy variables and .netrc, which is
        what an explicit QGIS proxy configuration (or "no proxy") means. `verify` is True for
        requests' default CA bundle, or the path of a PEM file of CA certificates to verify
        with instead."""
        self.timeout: Tuple[float, float] = (connect_timeout, read_timeout)
        self._session = _Session()
        self._session.trust_env = trust_env
        self._session.verify = verify
        self._session.headers["User-Agent"] = user_agent
        if proxies:
            self._session.proxies.update(proxies)
        # Retries are ours (core/retry.py); urllib3's would retry non-idempotent POSTs blindly.
        adapter = interruptible.InterruptibleAdapter(
            pool_connections=4, pool_maxsize=pool_size, max_retries=0
        )
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Optional[Mapping[str, str]] = None,
        params: Optional[Mapping[str, Any]] = None,
        json: Any = None,
        stream: bool = False,
        timeout: Optional[Tuple[float, float]] = None,
        is_cancelled: Optional[Callable[[], bool]] = None,
    ) -> requests.Response:
        """One attempt. Returns the response whatever its status; raises NetworkError (or
        RequestTimeoutError) when no response arrived, and CancelledError as soon as
        `is_cancelled()` turns true while waiting for it."""
        attempt = functools.partial(
            self._attempt, method, url, headers=headers, params=params, json=json, stream=stream,
            timeout=timeout,
        )
        if is_cancelled is None:
            return attempt()
        if is_cancelled():
            raise CancelledError("Cancelled.")
        with interruptible.waiting(is_cancelled) as wait:
            try:
                response = attempt()
            except NetworkError:
                if wait.fired:  # what broke the connection was the cancel, not the network
                    raise CancelledError("Cancelled.") from None
                raise
        if wait.fired:  # cut while reading a small body: it may be short
            response.close()
            raise CancelledError("Cancelled.")
        return response

    def _attempt(
        self,
        method: str,
        url: str,
        *,
        headers: Optional[Mapping[str, str]],
        params: Optional[Mapping[str, Any]],
        json: Any,
        stream: bool,
        timeout: Optional[Tuple[float, float]],
    ) -> requests.Response:
        started = time.monotonic()
        host = urlsplit(url).netloc
        try:
            response = self._session.request(
                method, url, headers=headers, params=params, json=json, stream=stream,
                timeout=timeout or self.timeout,
                # requests applies "no_proxy" to environment proxies only, never to the session's
                # own: QGIS' excluded URLs are honoured here, per request.
                proxies=request_proxies(url, self._session.proxies),
                # Per request, because a session's own `verify` loses to REQUESTS_CA_BUNDLE /
                # CURL_CA_BUNDLE whenever trust_env is on: a CA bundle given here is the one used.
                verify=self._session.verify,
            )
        except _RedirectRefused as exc:
            log.warning("%s %s: %s", method, redact_url(url), exc)
            raise InsecureConnectionError(str(exc)) from None
        except requests.exceptions.Timeout:
            log.warning("%s %s: timed out", method, redact_url(url))
            raise RequestTimeoutError(f"{host} did not answer in time.") from None
        except requests.exceptions.ProxyError as exc:
            log.warning("%s %s: proxy error: %s", method, redact_url(url), exc)
            raise NetworkError(f"The proxy refused or failed the connection to {host}.") from None
        except requests.exceptions.SSLError as exc:
            log.warning("%s %s: TLS error: %s", method, redact_url(url), exc)
            reason = _certificate_problem(exc)
            if reason is not None:
                raise UntrustedCertificateError(
                    f"The secure (TLS) connection to {host} failed: its certificate is not "
                    f"trusted ({reason})."
                ) from None
            raise NetworkError(f"The secure (TLS) connection to {host} failed.") from None
        except requests.exceptions.ChunkedEncodingError as exc:
            # Only a body read here (stream=False) gets this: urllib3 2 raises IncompleteRead for
            # one shorter than its Content-Length. The server did answer; its answer broke off.
            log.warning("%s %s: %s", method, redact_url(url), exc)
            raise NetworkError(f"The answer from {host} was cut short.") from None
        except requests.exceptions.RequestException as exc:
            log.warning("%s %s: %s", method, redact_url(url), exc)
            # requests reports a read timeout *within the body* as a ConnectionError wrapping
            # urllib3's ReadTimeoutError: for the user it is a stalled answer, not a failed connect.
            if exc.args and isinstance(exc.args[0], ReadTimeoutError):
                raise RequestTimeoutError(f"{host} stopped sending its answer.") from None
            raise NetworkError(f"Could not connect to {host}.") from None
        log.debug(
            "%s %s -> %s in %.0f ms", method, redact_url(response.url or url),
            response.status_code, (time.monotonic() - started) * 1000,
        )
        return response

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> "HttpGateway":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _RedirectRefused(requests.exceptions.RequestException):
    """A redirect to plain http that core/pixxel/address.py refuses."""


class _Session(requests.Session):
    """A session that never follows a redirect from https to plain http, nor to plain http on
    another computer: the request (a signed URL, whose query is a credential) would travel in
    the clear. requests itself already drops Authorization when a redirect changes host, port
    or scheme, so the API key never follows one (tests/unit/test_untrusted_storage.py checks)."""

    def rebuild_auth(self, prepared_request: requests.PreparedRequest,
                     response: requests.Response) -> None:
        # Called for every hop, with the new URL in place and before anything is sent to it.
        refusal = redirect_refusal(response.url, prepared_request.url or "")
        if refusal is not None:
            raise _RedirectRefused(refusal)
        super().rebuild_auth(prepared_request, response)


def _certificate_problem(error: BaseException) -> Optional[str]:
    """OpenSSL's reason when `error` comes from a certificate that failed verification (buried
    in requests' and urllib3's wrappers), else None: other TLS failures, such as a handshake cut
    by a flaky link, are worth retrying."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return current.verify_message or current.reason or "certificate verify failed"
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
        for linked in (getattr(current, "reason", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                pending.append(linked)
    return None

