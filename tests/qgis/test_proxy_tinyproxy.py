"""Requests really follow QGIS' proxy settings: a real tinyproxy on loopback between the plugin and
the sandbox, configured the way Settings > Options > Network stores it.

Proof of passage: tinyproxy adds `Via: 1.1 <host> (tinyproxy/…)` to what it forwards, which the
sandbox records, and logs each request line. Loopback needs no special address: with an explicit
proxy the gateway runs with trust_env=False, and requests then proxies every host, 127.0.0.1
included (only the *environment's* no_proxy could exempt it).
"""

import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings

from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.errors import CancelledError, UnexpectedResponseError
from pixxel_qgis.core.pixxel.http import HttpGateway
from pixxel_qgis.core.pixxel.retry import RetryPolicy
from pixxel_qgis.core.qgis.proxy import current_proxy_config

PROXY_USER = "pixxel-proxy"
PROXY_PASSWORD = "s3cret.pass"  # noqa: S105 - a throw-away test proxy's  # pragma: allowlist secret
# tinyproxy closes its client connection after every answer without saying so (no "Connection:
# close"), so a pooled connection can be reused just as it closes: the client's retry covers that,
# as it would with any proxy that drops idle connections.
RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05, deadline=10.0)


@dataclass
class Tinyproxy:
    port: int
    log: Path

    def request_lines(self) -> list:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [line for line in text.splitlines() if "Request (file descriptor" in line]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def tinyproxy(tmp_path):
    executable = shutil.which("tinyproxy") or shutil.which("tinyproxy", path="/usr/bin:/usr/sbin")
    if executable is None:
        pytest.skip("tinyproxy is not installed (Debian: apt-get install tinyproxy)")
    port = _free_port()
    log = tmp_path / "tinyproxy.log"
    config = tmp_path / "tinyproxy.conf"
    config.write_text(
        f'Port {port}\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 30\nMaxClients 20\n'
        f'LogFile "{log}"\nPidFile "{tmp_path / "tinyproxy.pid"}"\nLogLevel Info\n'
        f"BasicAuth {PROXY_USER} {PROXY_PASSWORD}\n"
    )
    process = subprocess.Popen(
        [executable, "-d", "-c", str(config)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"tinyproxy did not start: {process.stderr.read().decode()}"
                    ) from None
                time.sleep(0.05)
        yield Tinyproxy(port, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


@pytest.fixture
def qgis_proxy(qgis_app):
    """Write QGIS' proxy settings as the Options dialog does; removed again afterwards."""
    settings = QgsSettings()

    def configure(**values):
        for key, value in values.items():
            settings.setValue(f"proxy/{key}", value)

    yield configure
    settings.remove("proxy")


@pytest.fixture
def no_proxy_environment(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


def _http_proxy(tinyproxy, **extra):
    values = {
        "proxyEnabled": True, "proxyType": "HttpProxy", "proxyHost": "127.0.0.1",
        "proxyPort": str(tinyproxy.port), "proxyUser": PROXY_USER,
        "proxyPassword": PROXY_PASSWORD,
    }
    values.update(extra)
    return values


def _client(sandbox) -> PixxelClient:
    config = current_proxy_config()
    return PixxelClient(
        sandbox.api_key, sandbox.api_url, proxies=config.proxies, trust_env=config.trust_env,
        retry=RETRY,
    )


def _download_through(client, sandbox) -> int:
    """API calls to get a signed URL, then the storage GET (one attempt, so on a gateway of its
    own: a fresh connection, see RETRY) configured the same way: its status."""
    aoi_id = sandbox.catalog.aoi_at(0)["aoi_id"]
    asset = next(a["id"] for a in sandbox.catalog.assets(aoi_id) if a["status"] == "success")
    created = client.create_download(aoi_id, [asset])
    url = client.download_status(aoi_id, created.download_id).signed_url
    config = current_proxy_config()
    with HttpGateway(
        user_agent="pixxel-qgis tests", proxies=config.proxies, trust_env=config.trust_env
    ) as storage:
        return storage.send("GET", url).status_code


def _proxied(request) -> bool:
    return "tinyproxy" in request.headers.get("Via", "")


def test_api_and_storage_go_through_the_http_proxy(
    sandbox, tinyproxy, qgis_proxy, no_proxy_environment
):
    qgis_proxy(**_http_proxy(tinyproxy))
    with _client(sandbox) as client:
        assert client.ping()
        assert client.projects()
        assert _download_through(client, sandbox) == 200
    servers = {request.server for request in sandbox.requests}
    assert servers == {"api", "storage"}
    assert all(_proxied(request) for request in sandbox.requests)
    logged = tinyproxy.request_lines()
    assert len(logged) == len(sandbox.requests)
    assert any(sandbox.storage_url in line for line in logged)


def test_a_cancel_cuts_short_a_wait_for_an_answer_through_the_proxy(
    sandbox, tinyproxy, qgis_proxy, no_proxy_environment
):
    """The proxy manager's connections are interruptible like direct ones."""
    qgis_proxy(**_http_proxy(tinyproxy))
    sandbox.faults.add("projects", "slow", delay=10)
    config = current_proxy_config()
    cancelled = threading.Event()
    client = PixxelClient(
        sandbox.api_key, sandbox.api_url, proxies=config.proxies, trust_env=config.trust_env,
        retry=RETRY, timeouts=(10, 30), is_cancelled=cancelled.is_set,
    )
    cancelled_at = []

    def cancel() -> None:
        cancelled_at.append(time.monotonic())
        cancelled.set()

    timer = threading.Timer(0.5, cancel)  # the request is at the proxy by then
    timer.start()
    with client, pytest.raises(CancelledError):
        client.projects()
    ended = time.monotonic()
    timer.join()
    assert ended - cancelled_at[0] < 1.0  # the answer would have taken 10 s
    assert [_proxied(request) for request in sandbox.requests] == [True]


def test_an_excluded_url_goes_direct_while_the_rest_is_proxied(
    sandbox, tinyproxy, qgis_proxy, no_proxy_environment
):
    qgis_proxy(**_http_proxy(tinyproxy, noProxyUrls=[sandbox.api_url]))
    with _client(sandbox) as client:
        assert _download_through(client, sandbox) == 200
    api = [request for request in sandbox.requests if request.server == "api"]
    storage = [request for request in sandbox.requests if request.server == "storage"]
    assert api
    assert not any(_proxied(request) for request in api)
    assert storage
    assert all(_proxied(request) for request in storage)
    assert not any(sandbox.api_url in line for line in tinyproxy.request_lines())


def test_proxy_credentials_from_an_auth_config(
    sandbox, tinyproxy, qgis_proxy, no_proxy_environment, auth_manager
):
    config = QgsAuthMethodConfig("Basic")
    config.setName("test proxy")
    config.setConfigMap({"username": PROXY_USER, "password": PROXY_PASSWORD})
    stored, config = auth_manager.storeAuthenticationConfig(config)
    assert stored
    try:
        qgis_proxy(**_http_proxy(tinyproxy, proxyUser="", proxyPassword="", authcfg=config.id()))
        with _client(sandbox) as client:
            assert client.projects()
        assert all(_proxied(request) for request in sandbox.requests)
    finally:
        QgsApplication.authManager().removeAuthenticationConfig(config.id())


def test_wrong_proxy_password_is_reported_as_the_proxy_answering(
    sandbox, tinyproxy, qgis_proxy, no_proxy_environment
):
    qgis_proxy(**_http_proxy(tinyproxy, proxyPassword="wrong"))  # pragma: allowlist secret
    with _client(sandbox) as client, pytest.raises(UnexpectedResponseError) as raised:
        client.projects()
    assert "proxy" in str(raised.value)
    assert sandbox.requests == []


def test_system_proxy_comes_from_the_environment(
    sandbox, tinyproxy, qgis_proxy, no_proxy_environment
):
    no_proxy_environment.setenv(
        "http_proxy", f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{tinyproxy.port}"
    )
    qgis_proxy(proxyEnabled=True, proxyType="DefaultProxy")
    with _client(sandbox) as client:
        assert client.projects()
    assert sandbox.requests
    assert all(_proxied(request) for request in sandbox.requests)


def test_proxy_unticked_in_qgis_ignores_the_environment(
    sandbox, tinyproxy, qgis_proxy, no_proxy_environment
):
    no_proxy_environment.setenv(
        "http_proxy", f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{tinyproxy.port}"
    )
    qgis_proxy(**_http_proxy(tinyproxy, proxyEnabled=False))
    with _client(sandbox) as client:
        assert client.projects()
    assert sandbox.requests
    assert not any(_proxied(request) for request in sandbox.requests)
    assert tinyproxy.request_lines() == []
