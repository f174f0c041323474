"""Where the plugin may send things: the Pixxel API's address, normalised and refused unless
encrypted (plain http only for a test server on this computer); storage links and redirects
under the same rule."""

import ipaddress
from typing import Optional
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://api.pixxel.space"


def checked_base_url(base_url: str) -> str:
    """The base URL, normalised, or ValueError: https, or http for loopback test servers only.
    The settings page validates with the same rule."""
    parts = urlsplit((base_url or "").strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"The Pixxel API address must be an https:// URL, not {base_url!r}.")
    if parts.query or parts.fragment:
        raise ValueError("The Pixxel API address cannot carry a query or fragment.")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError(
            f"Refusing to send the Pixxel API key unencrypted to {parts.hostname}: use https:// "
            "(http:// is only allowed for a test server on this computer)."
        )
    return parts.geturl().rstrip("/")


def is_loopback(host: str) -> bool:
    """Whether `host` names this computer: the one place plain http is acceptable."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cleartext_refusal(url: str) -> Optional[str]:
    """Why a storage URL must not be fetched, None when it may: https, or plain http to this
    computer (the sandbox, a local test server). A signed URL's query is a credential: over
    plain http, it and the file would travel readable by anybody on the way."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host)):
        return None
    how = "over unencrypted http" if parts.scheme == "http" else "over anything but https"
    return (f"Refusing to download from {host or 'an address without a host'} {how}: the file "
            f"and its download link would travel readable by anyone on the way. Pixxel's "
            f"download links use https; request the download again, and contact Pixxel if "
            f"this keeps happening.")


def redirect_refusal(from_url: str, to_url: str) -> Optional[str]:
    """Why a redirect must not be followed, None when it may: never from https to plain http,
    and to plain http only between addresses of this computer."""
    source, target = urlsplit(from_url), urlsplit(to_url)
    host = target.hostname or ""
    if target.scheme == "https" or (
        target.scheme == "http" and source.scheme == "http" and is_loopback(host)
    ):
        return None
    where = f"{target.scheme}://{target.netloc}" if target.netloc else to_url
    return (f"{source.netloc} redirected the request to unencrypted {where}; the plugin did "
            f"not follow it, so nothing travelled in the clear. Try again later, and contact "
            f"Pixxel if this keeps happening.")
