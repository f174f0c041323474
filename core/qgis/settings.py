"""The plugin's own settings, kept in QgsSettings under "pixxel/", and their environment overrides.

Workers never read QgsSettings: the main thread takes a `load()` snapshot (a frozen dataclass of
plain values) and hands it to the task. The API key is not here: it lives in the QGIS
authentication database (core/credentials.py); only its auth config id is a setting.

`PIXXEL_API_URL` and `PIXXEL_API_KEY` win over stored values, so headless runs (qgis_process, CI)
work without touching a profile; the options page shows when they are in force.
`PIXXEL_API_DEADLINE` shortens (or lengthens) the time one API call may take, retries included
(core/pixxel/limits.py): for scripts that would rather fail fast, and for tests.
"""

import dataclasses
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QStandardPaths

from ..download.stall import DEFAULT_STALL, StallPolicy
from ..pixxel.address import DEFAULT_BASE_URL, checked_base_url
from .i18n import tr

T = TypeVar("T")

PREFIX = "pixxel/"
ENV_KEY = "PIXXEL_API_KEY"
ENV_URL = "PIXXEL_API_URL"
ENV_DEBUG = "PIXXEL_DEBUG"
ENV_DEADLINE = "PIXXEL_API_DEADLINE"
MIN_PARALLEL_DOWNLOADS = 1
MAX_PARALLEL_DOWNLOADS = 8

_BASE_URL = PREFIX + "base_url"
_DOWNLOAD_FOLDER = PREFIX + "download_folder"
_PARALLEL_DOWNLOADS = PREFIX + "parallel_downloads"
_LOAD_AFTER_DOWNLOAD = PREFIX + "load_after_download"
_KEEP_ZIPS = PREFIX + "keep_zips"
_BUILD_OVERVIEWS = PREFIX + "build_overviews"
_DEBUG_LOGGING = PREFIX + "debug_logging"
# No UI, like debug_logging: for links that are slow by nature, and for tests. Defaults and
# meaning: core/download/stall.py.
_STALL_MIN_SPEED = PREFIX + "stall_min_bytes_per_second"
_STALL_WINDOW = PREFIX + "stall_window_seconds"


def default_download_folder() -> str:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return str(Path(documents or Path.home()) / "Pixxel")


@dataclass(frozen=True)
class PluginSettings:
    """Plain values, safe to copy into a QgsTask."""

    base_url: str = DEFAULT_BASE_URL
    download_folder: str = ""  # "" means default_download_folder(); load() always fills it in
    parallel_downloads: int = 2
    load_after_download: bool = True
    keep_zips: bool = False
    build_overviews: bool = True
    # The minimum download speed (core/download/stall.py), as plain numbers.
    stall_min_bytes_per_second: float = DEFAULT_STALL.min_bytes_per_second
    stall_window_seconds: float = DEFAULT_STALL.window_seconds

    @property
    def stall(self) -> StallPolicy:
        return StallPolicy(self.stall_min_bytes_per_second, self.stall_window_seconds)


def load() -> PluginSettings:
    """The settings in force: stored values with `PIXXEL_API_URL` applied. Main thread."""
    stored = load_stored()
    override = env_api_url()
    return stored if override is None else dataclasses.replace(stored, base_url=override)


def load_stored() -> PluginSettings:
    """What the user saved (defaults for anything unset or unreadable), ignoring the environment."""
    settings = QgsSettings()
    defaults = PluginSettings()
    parallel = _read(settings, _PARALLEL_DOWNLOADS, defaults.parallel_downloads, int)
    return PluginSettings(
        base_url=_read(settings, _BASE_URL, defaults.base_url, str).strip() or defaults.base_url,
        download_folder=_read(settings, _DOWNLOAD_FOLDER, "", str).strip()
        or default_download_folder(),
        # A hand-edited profile must not start 50 downloads at once.
        parallel_downloads=min(max(parallel, MIN_PARALLEL_DOWNLOADS), MAX_PARALLEL_DOWNLOADS),
        load_after_download=_read(
            settings, _LOAD_AFTER_DOWNLOAD, defaults.load_after_download, bool
        ),
        keep_zips=_read(settings, _KEEP_ZIPS, defaults.keep_zips, bool),
        build_overviews=_read(settings, _BUILD_OVERVIEWS, defaults.build_overviews, bool),
        **_stall_values(settings),
    )


def save(values: PluginSettings) -> None:
    """Store `values`. Raises ValueError (message through tr()) for an unusable base URL or an
    out-of-range number of parallel downloads; nothing is written then."""
    error = base_url_error(values.base_url)
    if error:
        raise ValueError(error)
    if not MIN_PARALLEL_DOWNLOADS <= values.parallel_downloads <= MAX_PARALLEL_DOWNLOADS:
        raise ValueError(
            tr("Parallel downloads must be between {low} and {high}.").format(
                low=MIN_PARALLEL_DOWNLOADS, high=MAX_PARALLEL_DOWNLOADS
            )
        )
    settings = QgsSettings()
    settings.setValue(_BASE_URL, checked_base_url(values.base_url))
    settings.setValue(_DOWNLOAD_FOLDER, values.download_folder.strip())
    settings.setValue(_PARALLEL_DOWNLOADS, int(values.parallel_downloads))
    settings.setValue(_LOAD_AFTER_DOWNLOAD, bool(values.load_after_download))
    settings.setValue(_KEEP_ZIPS, bool(values.keep_zips))
    settings.setValue(_BUILD_OVERVIEWS, bool(values.build_overviews))


def base_url_error(url: str) -> Optional[str]:
    """None when `url` can be the API address (https, or http to this computer only), else why
    not, for an inline message. The rule is the API client's own, so the two never disagree."""
    try:
        checked_base_url(url)
    except ValueError as exc:
        return tr("Invalid API address: {reason}").format(reason=exc)
    return None


def env_api_url() -> Optional[str]:
    """`PIXXEL_API_URL` when set and not blank."""
    return _env(ENV_URL)


def env_api_key() -> Optional[str]:
    """`PIXXEL_API_KEY` when set and not blank."""
    return _env(ENV_KEY)


def env_api_deadline() -> Optional[float]:
    """`PIXXEL_API_DEADLINE` in seconds when it is a positive, finite number; None otherwise (an
    unusable value leaves the built-in deadline in force rather than none at all)."""
    try:
        seconds = float(_env(ENV_DEADLINE) or "")
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None


def api_url_overridden() -> bool:
    return env_api_url() is not None


def api_key_overridden() -> bool:
    return env_api_key() is not None


def debug_logging() -> bool:
    """Whether DEBUG records go to the Pixxel log tab: `PIXXEL_DEBUG` (1/true/yes/on) or the
    `pixxel/debug_logging` setting (no UI: an advanced-settings switch for support cases)."""
    flag = (os.environ.get(ENV_DEBUG) or "").strip().lower()
    if flag in ("1", "true", "yes", "on"):
        return True
    return _read(QgsSettings(), _DEBUG_LOGGING, False, bool)


def _stall_values(settings: QgsSettings) -> dict:
    """The minimum speed from the advanced settings; the defaults for missing or unusable
    values (a hand-edited profile must not switch the stall detection off by accident: only an
    explicit 0 does)."""
    try:
        policy = StallPolicy(
            _read(settings, _STALL_MIN_SPEED, DEFAULT_STALL.min_bytes_per_second, float),
            _read(settings, _STALL_WINDOW, DEFAULT_STALL.window_seconds, float),
        )
    except ValueError:
        policy = DEFAULT_STALL
    return {"stall_min_bytes_per_second": float(policy.min_bytes_per_second),
            "stall_window_seconds": float(policy.window_seconds)}


def _env(name: str) -> Optional[str]:
    value = (os.environ.get(name) or "").strip()
    return value or None


def _read(settings: QgsSettings, key: str, default: T, kind: Callable[[Any], T]) -> T:
    # A value of the wrong type (hand-edited ini, older plugin version) falls back to the default
    # instead of breaking the options page.
    try:
        value = settings.value(key, default, type=kind)
    except (TypeError, ValueError):
        return default
    return default if value is None else value
