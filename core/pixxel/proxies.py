"""QGIS' network proxy settings (Settings > Options > Network) mapped onto requests' terms.

`requests` ignores QGIS' proxy, so the plugin maps it onto its HttpGateway itself. The keys and
their meaning follow QGIS 3.22's own reader (QgsNetworkAccessManager::setupDefaultProxyAndCache):

    proxy/proxyEnabled       bool; unchecked means QGIS connects directly
    proxy/proxyType          DefaultProxy (system proxy: on Linux the *_proxy variables),
                             Socks5Proxy, HttpProxy, HttpCachingProxy, FtpCachingProxy
    proxy/proxyHost, proxyPort, proxyUser, proxyPassword
    proxy/authcfg            an auth config holding the proxy user and password instead
    proxy/noProxyUrls        list of URL prefixes that go direct (the Options page writes these)
    proxy/proxyExcludedUrls  legacy list (older QGIS wrote it "|"-joined): URL prefixes that QGIS
                             hands to the "default" proxy, which for an explicit proxy means none

QGIS matches both lists with `url.startsWith(entry)`; an entry without a scheme is taken here as a
host name (and its subdomains), as people type them. `requests` honours a `no_proxy` entry in a
proxies mapping only against *environment* proxies, never against the mapping's own http/https
entries, so the gateway asks `request_proxies()` per request and goes direct for an excluded URL.

Pure Python: core/qgis/proxy.py reads QGIS' settings and hands them here, so the mapping is
unit-tested without QGIS and the result is plain data for worker tasks.
"""

import importlib.util
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import quote, urlsplit

from ..pixxel.errors import NetworkError
from ..pixxel.redaction import pixxel_logger

log = pixxel_logger()

NO_PROXY = "no_proxy"
SETTINGS_KEYS = (
    "proxyEnabled", "proxyType", "proxyHost", "proxyPort", "proxyUser", "proxyPassword",
    "authcfg", "noProxyUrls", "proxyExcludedUrls",
)
_HTTP_TYPES = ("HttpProxy", "HttpCachingProxy")
_SOCKS_TYPE = "Socks5Proxy"
# An FTP caching proxy carries FTP only: Qt sends HTTP(S) requests past it.
_NOT_FOR_HTTP = ("FtpCachingProxy",)


class ProxySettingsError(NetworkError):
    """The QGIS proxy settings cannot be used (no host, SOCKS without PySocks)."""


@dataclass(frozen=True)
class ProxyConfig:
    """Arguments for HttpGateway / PixxelClient: `proxies` is a requests mapping (with the
    excluded URL prefixes, comma-separated, under "no_proxy"); `trust_env` says whether the
    process environment's proxy variables apply."""

    proxies: Dict[str, str] = field(default_factory=dict)
    trust_env: bool = False


def proxy_config_from_settings(values: Mapping[str, Any]) -> ProxyConfig:
    """Map QGIS' proxy settings (keys of SETTINGS_KEYS, without the "proxy/" prefix, values as
    QgsSettings returns them: bools may be "true"/"false", lists may be one string) onto a
    ProxyConfig. Raises ProxySettingsError for a configuration no request could use."""
    if not as_bool(values.get("proxyEnabled")):
        # "No proxy" in QGIS is explicit: http_proxy variables must not sneak one back in.
        return ProxyConfig({}, trust_env=False)
    kind = str(values.get("proxyType") or "DefaultProxy")
    excluded = _as_list(values.get("noProxyUrls")) + _as_list(values.get("proxyExcludedUrls"))
    proxies: Dict[str, str] = {}
    trust_env = False
    if kind in _HTTP_TYPES or kind == _SOCKS_TYPE:
        url = _proxy_url(kind, values)
        proxies = {"http": url, "https": url}
    elif kind not in _NOT_FOR_HTTP:
        # DefaultProxy, and (as in QGIS) any type it does not know: the system's proxy.
        trust_env = True
    if excluded and (proxies or trust_env):
        proxies[NO_PROXY] = ",".join(excluded)
    return ProxyConfig(proxies, trust_env)


def bypasses_proxy(url: str, no_proxy: Sequence[str]) -> bool:
    """Whether `url` must go direct: it starts with one of the URL prefixes (QGIS' rule), or
    its host is, or lies under, one of the entries given without a scheme."""
    lowered = url.lower()
    parts = urlsplit(lowered)
    host = parts.hostname or ""
    host_port = f"{host}:{parts.port}" if parts.port else host
    for entry in (item.strip().lower() for item in no_proxy):
        if "://" in entry:
            if lowered.startswith(entry):
                return True
            continue
        bare = entry.lstrip(".")
        if bare and (entry == host_port or host == bare or host.endswith("." + bare)):
            return True
    return False


def request_proxies(url: str, proxies: Mapping[str, str]) -> Optional[Dict[str, None]]:
    """The per-request `proxies=` argument for requests: for a URL excluded by the mapping's
    "no_proxy" entries, a fresh mapping of None values (requests then drops the session's and
    the environment's proxies and connects directly); otherwise None (the session's apply).
    Fresh each time because requests adds environment entries to the dict it is given."""
    entries = [item for item in (proxies.get(NO_PROXY) or "").split(",") if item.strip()]
    if entries and bypasses_proxy(url, entries):
        return {"http": None, "https": None, "all": None}
    return None


def _proxy_url(kind: str, values: Mapping[str, Any]) -> str:
    host = str(values.get("proxyHost") or "").strip()
    if not host:
        raise ProxySettingsError(
            f"QGIS is set to use a {kind} proxy but names no proxy host: complete or untick it "
            "in Settings > Options > Network."
        )
    if kind == _SOCKS_TYPE and importlib.util.find_spec("socks") is None:
        raise ProxySettingsError(
            "QGIS is set to use a SOCKS5 proxy, which needs the PySocks Python module "
            "(Debian/Ubuntu: python3-socks; pip: PySocks). Install it or use an HTTP proxy."
        )
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    port = str(values.get("proxyPort") or "").strip()
    if port and port != "0":
        host = f"{host}:{port}"
    user = str(values.get("proxyUser") or "")
    password = str(values.get("proxyPassword") or "")
    credentials = ""
    if user:
        credentials = quote(user, safe="")
        if password:
            credentials += ":" + quote(password, safe="")
        credentials += "@"
    # socks5h: the proxy resolves host names, as Qt's SOCKS5 client does.
    scheme = "socks5h" if kind == _SOCKS_TYPE else "http"
    return f"{scheme}://{credentials}{host}"


def as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def _as_list(value: Any) -> List[str]:
    """A QStringList as QgsSettings may return it: a list, a single string, or a legacy
    "|"-joined string."""
    if value is None:
        return []
    items: Tuple[str, ...] = (value,) if isinstance(value, str) else tuple(map(str, value))
    return [part.strip() for item in items for part in item.split("|") if part.strip()]
