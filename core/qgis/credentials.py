"""The Pixxel API key, kept only in the QGIS authentication database (encrypted with the user's
master password). QgsSettings holds nothing but the auth config id.

Main thread only: reading a secret may open QGIS' master-password dialog, and the auth manager is
not to be used from QgsTask.run(). Tasks get the key as a plain value read here beforehand.

Storage format: QGIS >= 3.24 has the "APIHeader" method, whose config map is header name to
header value ({"Authorization": key}), the shape QGIS itself would send. QGIS 3.22 lacks it, so
the key goes into a "Basic" config as its password, under a fixed username. Either way the plugin
adds the header itself (requests, not QGIS' network stack), so the method only decides how the
key is stored and shown in QGIS' authentication manager.
"""

from typing import Dict, Optional

from qgis.core import QgsApplication, QgsAuthManager, QgsAuthMethodConfig, QgsSettings

from . import settings
from .i18n import tr
from .main_thread import require_main_thread

AUTH_CONFIG_ID_KEY = settings.PREFIX + "auth_config_id"
CONFIG_NAME = "Pixxel API key"
BASIC_USERNAME = "pixxel-api-key"
API_HEADER_METHOD = "APIHeader"
BASIC_METHOD = "Basic"
HEADER = "Authorization"


class CredentialsError(Exception):
    """The key could not be stored, read or removed. The message is translated and shown as is."""


def api_key() -> Optional[str]:
    """The key to use: `PIXXEL_API_KEY` when set, else the stored one (None if neither). May
    ask for the master password; raises CredentialsError if the database stays locked."""
    return settings.env_api_key() or load_api_key()


def has_stored_key() -> bool:
    """Whether a key is stored, without decrypting anything (so without a master-password
    prompt): the options page asks this just to say so."""
    config_id = _stored_config_id()
    return bool(config_id) and config_id in QgsApplication.authManager().configIds()


def store_api_key(key: str) -> str:
    """Save `key`, updating the plugin's existing auth config or creating one; returns its id."""
    key = key.strip()
    if not key:
        raise CredentialsError(tr("The API key is empty: nothing was saved."))
    manager = _unlocked_manager()
    method = API_HEADER_METHOD if API_HEADER_METHOD in manager.authMethodsKeys() else BASIC_METHOD
    config = QgsAuthMethodConfig(method)
    config.setName(CONFIG_NAME)
    config.setConfigMap(_config_map(method, key))
    existing = _stored_config_id()
    if existing and existing in manager.configIds():
        config.setId(existing)
        saved = manager.updateAuthenticationConfig(config)
    else:
        saved, config = manager.storeAuthenticationConfig(config)
    if not saved or not config.id():
        raise CredentialsError(
            tr("QGIS could not save the API key in its authentication database.")
        )
    QgsSettings().setValue(AUTH_CONFIG_ID_KEY, config.id())
    return config.id()


def load_api_key() -> Optional[str]:
    """The stored key, or None when there is none (never stored, cleared, or its config deleted
    in QGIS' authentication manager). Raises CredentialsError when it cannot be read."""
    config_id = _stored_config_id()
    # Checked before unlocking: with nothing stored, no master-password prompt is needed.
    if not config_id or config_id not in QgsApplication.authManager().configIds():
        return None
    manager = _unlocked_manager()
    loaded, config = manager.loadAuthenticationConfig(config_id, QgsAuthMethodConfig(), True)
    if not loaded:
        raise CredentialsError(
            tr("QGIS could not read the API key from its authentication database.")
        )
    key = config.config(HEADER) if config.method() == API_HEADER_METHOD else config.config(
        "password"
    )
    return key.strip() or None


def clear_api_key() -> None:
    """Delete the stored key and forget its config id."""
    config_id = _stored_config_id()
    if config_id and config_id in QgsApplication.authManager().configIds():
        manager = _unlocked_manager()
        if not manager.removeAuthenticationConfig(config_id):
            raise CredentialsError(
                tr("QGIS could not remove the API key from its authentication database.")
            )
    QgsSettings().remove(AUTH_CONFIG_ID_KEY)


def load_basic_credentials(config_id: str) -> Dict[str, str]:
    """`username` and `password` of another Basic auth config (QGIS' proxy credentials), {} when
    the config does not exist. Raises CredentialsError when it cannot be read."""
    if config_id not in QgsApplication.authManager().configIds():
        return {}
    loaded, config = _unlocked_manager().loadAuthenticationConfig(
        config_id, QgsAuthMethodConfig(), True
    )
    if not loaded:
        raise CredentialsError(
            tr("QGIS could not read the proxy credentials from its authentication database.")
        )
    return {"username": config.config("username"), "password": config.config("password")}


def _config_map(method: str, key: str) -> Dict[str, str]:
    if method == API_HEADER_METHOD:
        return {HEADER: key}
    return {"username": BASIC_USERNAME, "password": key}


def _stored_config_id() -> str:
    return str(QgsSettings().value(AUTH_CONFIG_ID_KEY, "") or "")


def _unlocked_manager() -> QgsAuthManager:
    """The auth manager with its master password entered: asks for it (QGIS' own dialog) when
    needed. A cancelled prompt, a database without a master password in a session that cannot
    ask, or a disabled auth system all end in CredentialsError."""
    require_main_thread("the QGIS authentication database is read on the main thread only")
    manager = QgsApplication.authManager()
    if manager.isDisabled():
        raise CredentialsError(
            tr("The QGIS authentication system is disabled, so the API key cannot be kept: {why}")
            .format(why=manager.disabledMessage())
        )
    if not manager.masterPasswordIsSet() and not manager.setMasterPassword(True):
        raise CredentialsError(
            tr(
                "The QGIS authentication database is locked: its master password was not "
                "entered. Enter it when QGIS asks (or set one under Settings > Options > "
                "Authentication), then try again."
            )
        )
    return manager
