"""Azure-SAS-style signed URLs for the storage server, and Azure's XML rejections.

The query carries ``sv`` (service version), ``sp`` (permissions), ``se`` (expiry) and ``sig``
(HMAC-SHA256 over permissions, expiry, path and version with a per-sandbox secret), like a
Blob SAS. The API key plays no part: a signed URL is the only credential storage ever sees.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
import time
from datetime import datetime, timezone
from email.utils import formatdate
from typing import Mapping, Optional
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape

SAS_VERSION = "2021-08-06"
EXPIRY_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

OK = "ok"
EXPIRED = "expired"
FORGED = "forged"
MISSING = "missing"

AUTH_FAILED = "AuthenticationFailed"
AUTH_MESSAGE = "Server failed to authenticate the request."


class UrlSigner:
    def __init__(self, secret: Optional[bytes] = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    def sign(self, base_url: str, path: str, ttl_seconds: float) -> str:
        """A URL for ``path`` valid for ``ttl_seconds``; ttl <= 0 gives an already expired URL.

        Expiry has second resolution like a SAS, rounded so that a positive ttl is never shorter.
        """
        now = time.time()
        expiry = math.ceil(now + ttl_seconds) if ttl_seconds > 0 else math.floor(now + ttl_seconds)
        se = datetime.fromtimestamp(expiry, timezone.utc).strftime(EXPIRY_FORMAT)
        query = urlencode({"sv": SAS_VERSION, "sp": "r", "se": se,
                           "sig": self._signature(path, "r", se)})
        return f"{base_url}{quote(path)}?{query}"

    def verify(self, path: str, query: Mapping[str, str]) -> str:
        """OK, MISSING, FORGED or EXPIRED for a request path and its decoded query."""
        if not all(query.get(key) for key in ("sv", "sp", "se", "sig")):
            return MISSING
        expected = self._signature(path, query["sp"], query["se"])
        if not hmac.compare_digest(expected, query["sig"]) or "r" not in query["sp"]:
            return FORGED
        expiry = parse_expiry(query["se"])
        if expiry is None:
            return FORGED
        return OK if time.time() < expiry else EXPIRED

    def _signature(self, path: str, permissions: str, expiry: str) -> str:
        to_sign = "\n".join((permissions, expiry, path, SAS_VERSION)).encode("utf-8")
        return base64.b64encode(hmac.new(self._secret, to_sign, hashlib.sha256).digest()).decode()


def parse_expiry(se: str) -> Optional[float]:
    try:
        return datetime.strptime(se, EXPIRY_FORMAT).replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None


def rejection_message(verdict: str, se: str = "") -> str:
    """Azure's wording for a refused SAS, so clients can be tested against realistic text."""
    now = formatdate(usegmt=True)
    if verdict == EXPIRED:
        expiry = parse_expiry(se)
        shown = formatdate(expiry, usegmt=True) if expiry is not None else se
        return (f"{AUTH_MESSAGE} Signature not valid in the specified time frame: "
                f"Expiry [{shown}] - Current [{now}]")
    if verdict == MISSING:
        return (f"{AUTH_MESSAGE} Make sure the value of Authorization header is formed correctly "
                f"including the signature. No signature or expiry in the query string.")
    return (f"{AUTH_MESSAGE} Make sure the value of Authorization header is formed correctly "
            f"including the signature. Signature did not match.")


def azure_error_xml(code: str, message: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><Error><Code>{escape(code)}</Code>'
            f"<Message>{escape(message)}\nTime:{_azure_time()}</Message></Error>").encode()


def _azure_time() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
