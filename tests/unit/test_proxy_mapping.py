"""QGIS proxy settings → requests proxies mapping (pure: no QGIS, no network)."""

import importlib.util

import pytest

from pixxel_qgis.core.pixxel.proxies import (
    ProxyConfig,
    ProxySettingsError,
    bypasses_proxy,
    proxy_config_from_settings,
    request_proxies,
)


def http_proxy(**overrides):
    values = {
        "proxyEnabled": "true", "proxyType": "HttpProxy", "proxyHost": "proxy.example.org",
        "proxyPort": "3128",
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize("enabled", [None, False, "false", ""])
def test_disabled_means_direct_and_ignores_the_environment(enabled):
    config = proxy_config_from_settings({"proxyEnabled": enabled, "proxyType": "HttpProxy",
                                         "proxyHost": "proxy.example.org"})
    assert config == ProxyConfig({}, trust_env=False)


def test_default_proxy_uses_the_system_settings():
    config = proxy_config_from_settings({"proxyEnabled": True, "proxyType": "DefaultProxy"})
    assert config == ProxyConfig({}, trust_env=True)


def test_unknown_or_missing_type_is_treated_as_the_system_proxy_like_qgis_does():
    assert proxy_config_from_settings({"proxyEnabled": True}).trust_env is True
    assert proxy_config_from_settings({"proxyEnabled": True, "proxyType": "Gopher"}).trust_env


def test_http_proxy_for_both_schemes_without_the_environment():
    config = proxy_config_from_settings(http_proxy())
    assert config.proxies == {"http": "http://proxy.example.org:3128",
                              "https": "http://proxy.example.org:3128"}
    assert config.trust_env is False


def test_http_caching_proxy_is_an_http_proxy():
    config = proxy_config_from_settings(http_proxy(proxyType="HttpCachingProxy", proxyPort=8080))
    assert config.proxies["https"] == "http://proxy.example.org:8080"


def test_credentials_are_url_encoded():
    awkward = {
        "proxyUser": "DOMAIN\\jane doe",
        "proxyPassword": "p@ss:w/rd%#?",  # pragma: allowlist secret
    }
    config = proxy_config_from_settings(http_proxy(**awkward))
    assert config.proxies["http"] == (
        "http://DOMAIN%5Cjane%20doe:p%40ss%3Aw%2Frd%25%23%3F"  # pragma: allowlist secret
        "@proxy.example.org:3128"
    )


def test_user_without_password_and_missing_port():
    config = proxy_config_from_settings(http_proxy(proxyUser="jane", proxyPort=""))
    assert config.proxies["http"] == "http://jane@proxy.example.org"


def test_ipv6_proxy_host_is_bracketed():
    config = proxy_config_from_settings(http_proxy(proxyHost="::1"))
    assert config.proxies["http"] == "http://[::1]:3128"


def test_enabled_http_proxy_without_host_is_a_clear_error():
    with pytest.raises(ProxySettingsError, match="names no proxy host"):
        proxy_config_from_settings(http_proxy(proxyHost="  "))


@pytest.mark.skipif(importlib.util.find_spec("socks") is None, reason="PySocks not installed")
def test_socks5_lets_the_proxy_resolve_names():
    config = proxy_config_from_settings(
        http_proxy(
            proxyType="Socks5Proxy", proxyPort="1080", proxyUser="u",
            proxyPassword="p w",  # pragma: allowlist secret
        )
    )
    url = "socks5h://u:p%20w@proxy.example.org:1080"  # pragma: allowlist secret
    assert config.proxies == {"http": url, "https": url}
    assert config.trust_env is False


def test_socks5_without_pysocks_is_a_clear_error(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "socks" else real_find_spec(name, *a))
    with pytest.raises(ProxySettingsError, match="python3-socks"):
        proxy_config_from_settings(http_proxy(proxyType="Socks5Proxy"))


def test_ftp_caching_proxy_does_not_carry_http():
    config = proxy_config_from_settings(http_proxy(proxyType="FtpCachingProxy"))
    assert config == ProxyConfig({}, trust_env=False)


@pytest.mark.parametrize(
    ("no_proxy", "excluded"),
    [
        (["https://api.pixxel.space", "http://127.0.0.2"], None),  # list, as QGIS 3.22 writes
        ("https://api.pixxel.space", "http://127.0.0.2"),  # single strings, as an ini reads back
        (None, "https://api.pixxel.space|http://127.0.0.2|"),  # legacy "|"-joined
    ],
)
def test_exclusions_from_both_lists_and_every_stored_shape(no_proxy, excluded):
    config = proxy_config_from_settings(
        http_proxy(noProxyUrls=no_proxy, proxyExcludedUrls=excluded)
    )
    assert config.proxies["no_proxy"] == "https://api.pixxel.space,http://127.0.0.2"


def test_exclusions_apply_to_the_system_proxy_too_but_not_when_disabled():
    system = proxy_config_from_settings(
        {"proxyEnabled": True, "proxyType": "DefaultProxy", "noProxyUrls": ["intranet.local"]}
    )
    assert system.proxies == {"no_proxy": "intranet.local"}
    disabled = proxy_config_from_settings({"proxyEnabled": False, "noProxyUrls": ["x.org"]})
    assert disabled.proxies == {}


@pytest.mark.parametrize(
    ("url", "entries", "bypass"),
    [
        ("https://api.pixxel.space/v0/aois", ["https://api.pixxel.space"], True),
        ("https://API.Pixxel.space/v0/aois", ["https://api.pixxel.space/"], True),
        ("http://api.pixxel.space/v0/aois", ["https://api.pixxel.space"], False),  # scheme
        ("http://127.0.0.1:8000/ping", ["http://127.0.0.1:8000"], True),
        ("http://127.0.0.1:8001/ping", ["http://127.0.0.1:8000"], False),
        ("https://store.blob.core.windows.net/c/f.zip?sig=x", ["blob.core.windows.net"], True),
        ("https://store.blob.core.windows.net/f", [".core.windows.net"], True),
        ("https://notwindows.net/f", ["windows.net"], False),
        ("http://localhost:8080/x", ["localhost:8080"], True),
        ("http://localhost:9090/x", ["localhost:8080"], False),
        ("https://api.pixxel.space/v0", ["", "  "], False),
    ],
)
def test_bypass_matching(url, entries, bypass):
    assert bypasses_proxy(url, entries) is bypass


def test_request_proxies_go_direct_only_for_excluded_urls_and_are_fresh():
    proxies = proxy_config_from_settings(http_proxy(noProxyUrls=["http://127.0.0.2"])).proxies
    direct = request_proxies("http://127.0.0.2:5000/v0/projects", proxies)
    assert direct == {"http": None, "https": None, "all": None}
    direct["no"] = "added by requests"
    assert request_proxies("http://127.0.0.2:5000/", proxies) == {
        "http": None, "https": None, "all": None}
    assert request_proxies("https://api.pixxel.space/v0/projects", proxies) is None
    assert request_proxies("http://127.0.0.2/", {}) is None
