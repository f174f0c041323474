"""How a worker reaches Pixxel: the connection the user configured, read on the main thread into
plain values (`current_connection()`), from which each task builds its own client."""

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping, Optional, Union

from qgis.core import Qgis

from ..pixxel.api import DEFAULT_RETRY, PixxelClient
from ..pixxel.errors import PixxelError
from ..pixxel.redaction import redactor
from ..pixxel.retry import never_cancelled
from . import credentials, settings, tls
from .i18n import tr
from .proxy import current_proxy_config


class SetupError(PixxelError):
    """The plugin cannot connect yet: no API key, an unusable API address, or an authentication
    database that stayed locked. The message says what to fix and where."""




@dataclass(frozen=True)
class Connection:
    """What a worker needs to reach Pixxel, as plain values read on the main thread."""

    api_key: str = field(repr=False)
    base_url: str
    proxies: Mapping[str, str] = field(default_factory=dict, hash=False)
    trust_env: bool = False
    # requests' `verify`: True for its default CA bundle, or the CA bundle file (core/tls.py).
    verify: Union[bool, str] = True
    qgis_version: str = ""
    # Seconds one API call may take, retries included (PIXXEL_API_DEADLINE); None: the default.
    call_deadline: Optional[float] = None

    def __post_init__(self) -> None:
        # Registered as soon as the key is in hand, not when a client is built: an error raised
        # before that (an unusable address, say) must not show the key either.
        redactor.register(self.api_key)

    def client(self, is_cancelled: Callable[[], bool] = never_cancelled) -> PixxelClient:
        """A new client (and connection pool) for one task; close it when done."""
        retry = DEFAULT_RETRY
        if self.call_deadline is not None:
            retry = dataclasses.replace(retry, deadline=self.call_deadline)
        return PixxelClient(
            self.api_key, self.base_url, proxies=dict(self.proxies), trust_env=self.trust_env,
            verify=self.verify, qgis_version=self.qgis_version, is_cancelled=is_cancelled,
            retry=retry,
        )


def current_connection() -> Connection:
    """The connection the user configured. Main thread only (QgsSettings, the auth database,
    possibly its master-password prompt, the CAs QGIS trusts). Raises SetupError when there is no
    key, the address is unusable or the key cannot be read, ProxySettingsError for an unusable
    QGIS proxy and tls.CaBundleError for a REQUESTS_CA_BUNDLE that does not exist."""
    values = settings.load()
    address_error = settings.base_url_error(values.base_url)
    if address_error:
        raise SetupError(address_error)
    try:
        key = credentials.api_key()
    except credentials.CredentialsError as error:
        raise SetupError(str(error)) from error
    if not key:
        raise SetupError(tr("Set your Pixxel API key in Settings → Options → Pixxel."))
    proxy = current_proxy_config()
    return Connection(
        api_key=key,
        base_url=values.base_url,
        proxies=MappingProxyType(dict(proxy.proxies)),
        trust_env=proxy.trust_env,
        verify=tls.requests_verify(),
        qgis_version=Qgis.QGIS_VERSION,
        call_deadline=settings.env_api_deadline(),
    )
