"""Plugin settings in a real QgsSettings: defaults, round trip, validation, env overrides."""

from pathlib import Path

import pytest
from qgis.core import QgsSettings

from pixxel_qgis.core.pixxel.address import DEFAULT_BASE_URL
from pixxel_qgis.core.qgis import settings
from pixxel_qgis.core.qgis.settings import PluginSettings


@pytest.fixture
def clean_settings(qgis_app, monkeypatch):
    for name in (settings.ENV_KEY, settings.ENV_URL, settings.ENV_DEBUG):
        monkeypatch.delenv(name, raising=False)
    QgsSettings().remove("pixxel")
    yield monkeypatch
    QgsSettings().remove("pixxel")


def test_defaults(clean_settings):
    stored = settings.load_stored()
    assert stored == PluginSettings(download_folder=settings.default_download_folder())
    assert stored.base_url == DEFAULT_BASE_URL == "https://api.pixxel.space"
    assert stored.parallel_downloads == 2
    assert (stored.load_after_download, stored.keep_zips, stored.build_overviews) == (
        True, False, True)
    assert Path(stored.download_folder).name == "Pixxel"
    assert Path(stored.download_folder).is_absolute()
    assert settings.load() == stored


def test_round_trip(clean_settings, tmp_path):
    wanted = PluginSettings(
        base_url="https://api.example.test/pixxel/", download_folder=str(tmp_path),
        parallel_downloads=5, load_after_download=False, keep_zips=True, build_overviews=False,
    )
    settings.save(wanted)
    loaded = settings.load_stored()
    assert loaded.base_url == "https://api.example.test/pixxel"  # normalised like the client
    assert loaded == PluginSettings(**{**wanted.__dict__, "base_url": loaded.base_url})
    assert QgsSettings().value("pixxel/parallel_downloads", type=int) == 5


@pytest.mark.parametrize(
    "url",
    ["http://api.pixxel.space", "ftp://api.pixxel.space", "https://api.pixxel.space/?x=1",
     "api.pixxel.space", "", "https://"],
)
def test_unusable_base_urls_are_refused_with_a_reason(clean_settings, url):
    error = settings.base_url_error(url)
    assert error
    assert error.startswith("Invalid API address")
    with pytest.raises(ValueError, match="Invalid API address"):
        settings.save(PluginSettings(base_url=url))
    assert QgsSettings().value("pixxel/base_url") is None  # nothing written


@pytest.mark.parametrize(
    "url", ["https://api.pixxel.space", "http://127.0.0.1:8000", "http://localhost:9/", "http://[::1]:80"]
)
def test_https_or_loopback_http_is_accepted(clean_settings, url):
    assert settings.base_url_error(url) is None


def test_http_to_another_host_names_the_danger(clean_settings):
    assert "unencrypted" in settings.base_url_error("http://10.0.0.5:8000")


@pytest.mark.parametrize("count", [0, 9, -1])
def test_parallel_downloads_out_of_range_are_refused(clean_settings, count):
    with pytest.raises(ValueError, match="between 1 and 8"):
        settings.save(PluginSettings(parallel_downloads=count))


@pytest.mark.parametrize(("stored", "read"), [(50, 8), (0, 1), ("garbage", 2)])
def test_hand_edited_values_are_tamed(clean_settings, stored, read):
    QgsSettings().setValue("pixxel/parallel_downloads", stored)
    assert settings.load_stored().parallel_downloads == read


def test_pixxel_api_url_wins_over_the_stored_address(clean_settings):
    settings.save(PluginSettings(base_url="https://stored.example.test"))
    assert not settings.api_url_overridden()
    clean_settings.setenv("PIXXEL_API_URL", " http://127.0.0.1:5000 ")
    assert settings.api_url_overridden()
    assert settings.env_api_url() == "http://127.0.0.1:5000"
    assert settings.load().base_url == "http://127.0.0.1:5000"
    assert settings.load_stored().base_url == "https://stored.example.test"
    assert settings.load().parallel_downloads == settings.load_stored().parallel_downloads


def test_blank_overrides_are_not_overrides(clean_settings):
    clean_settings.setenv("PIXXEL_API_URL", "  ")
    clean_settings.setenv("PIXXEL_API_KEY", "")
    assert not settings.api_url_overridden()
    assert not settings.api_key_overridden()
    assert settings.load().base_url == DEFAULT_BASE_URL


def test_pixxel_api_key_override_is_reported(clean_settings):
    clean_settings.setenv("PIXXEL_API_KEY", "env-key-123456")
    assert settings.api_key_overridden()
    assert settings.env_api_key() == "env-key-123456"


def test_debug_logging_from_environment_or_setting(clean_settings):
    assert not settings.debug_logging()
    clean_settings.setenv("PIXXEL_DEBUG", "1")
    assert settings.debug_logging()
    clean_settings.setenv("PIXXEL_DEBUG", "no")
    assert not settings.debug_logging()
    QgsSettings().setValue("pixxel/debug_logging", True)
    assert settings.debug_logging()


def test_snapshot_is_frozen_plain_data(clean_settings):
    snapshot = settings.load()
    with pytest.raises(AttributeError):
        snapshot.parallel_downloads = 3  # type: ignore[misc]
    assert all(isinstance(value, (str, int, float, bool)) for value in snapshot.__dict__.values())


@pytest.mark.parametrize(("stored", "expected"), [
    ({}, (1024.0, 60.0)),
    ({"stall_min_bytes_per_second": "4096", "stall_window_seconds": "2.5"}, (4096.0, 2.5)),
    ({"stall_min_bytes_per_second": "0"}, (0.0, 60.0)),  # an explicit 0: never a stall
    ({"stall_min_bytes_per_second": "fast", "stall_window_seconds": "-1"}, (1024.0, 60.0)),
])
def test_minimum_download_speed_comes_from_the_advanced_settings(clean_settings, stored,
                                                                 expected):
    for key, value in stored.items():
        QgsSettings().setValue(f"pixxel/{key}", value)
    stall = settings.load().stall
    assert (stall.min_bytes_per_second, stall.window_seconds) == expected
    assert stall.enabled == (expected[0] > 0)
