"""The proxy QGIS itself uses (Settings > Options > Network), read on the main thread and mapped by
core/pixxel/proxies.py onto plain data for the HTTP gateway."""

from qgis.core import QgsSettings

from ..pixxel.proxies import SETTINGS_KEYS, ProxyConfig, as_bool, proxy_config_from_settings
from ..pixxel.redaction import pixxel_logger
from .credentials import CredentialsError, load_basic_credentials

log = pixxel_logger()


def current_proxy_config() -> ProxyConfig:
    """The proxy configuration QGIS itself uses now. Main thread: it reads QgsSettings and, when
    the proxy credentials live in an auth config, the authentication database."""
    settings = QgsSettings()
    values = {key: settings.value("proxy/" + key) for key in SETTINGS_KEYS}
    authcfg = str(values.get("authcfg") or "")
    if authcfg and as_bool(values.get("proxyEnabled")):
        try:
            credentials = load_basic_credentials(authcfg)
        except CredentialsError as exc:
            # The proxy will answer 407 and the user sees a proxy error; this says why.
            log.warning("Proxy credentials not available: %s", exc)
        else:
            values["proxyUser"] = credentials.get("username") or values.get("proxyUser")
            values["proxyPassword"] = credentials.get("password") or values.get("proxyPassword")
    return proxy_config_from_settings(values)
