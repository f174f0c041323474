"""Where the plugin may send things: the Pixxel API's address, normalised and refused unless
encrypted (plain http only for a test server on this computer)."""

import ipaddress
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
