"""The "pixxel" logger reaches QGIS' log panel under the "Pixxel" tab, redacted, and leaves no
handler behind once uninstalled."""

import logging
import threading

import pytest
from qgis.core import Qgis, QgsApplication, QgsSettings

from pixxel_qgis.core.pixxel.redaction import pixxel_logger, redactor
from pixxel_qgis.core.qgis import qgis_log

SECRET_KEY = "pk-live-4f9a8b7c6d5e"  # pragma: allowlist secret


@pytest.fixture
def received(qgis_app, monkeypatch):
    """(message, tag, level) of every Pixxel-tab message while the handler is installed."""
    monkeypatch.delenv("PIXXEL_DEBUG", raising=False)
    QgsSettings().remove("pixxel/debug_logging")
    messages = []

    def collect(message, tag, level):
        if tag == qgis_log.LOG_TAG:
            messages.append((message, tag, level))

    log_signal = QgsApplication.messageLog().messageReceived
    log_signal.connect(collect)
    qgis_log.install()
    yield messages
    qgis_log.uninstall()
    log_signal.disconnect(collect)


def test_records_arrive_under_the_pixxel_tab_with_mapped_levels(received):
    log = pixxel_logger()
    log.info("listing AOIs")
    log.warning("retrying")
    log.error("gave up")
    assert received == [
        ("listing AOIs", "Pixxel", Qgis.MessageLevel.Info),
        ("retrying", "Pixxel", Qgis.MessageLevel.Warning),
        ("gave up", "Pixxel", Qgis.MessageLevel.Critical),
    ]


def test_debug_only_when_asked(received, monkeypatch):
    pixxel_logger().debug("GET /v0/aois -> 200")
    assert received == []
    monkeypatch.setenv("PIXXEL_DEBUG", "1")
    qgis_log.install()  # a second install only refreshes the level
    pixxel_logger().debug("GET /v0/aois -> 200")
    assert [message for message, _, _ in received] == ["GET /v0/aois -> 200"]
    assert len([h for h in pixxel_logger().handlers if isinstance(h, qgis_log.QgisLogHandler)]) == 1


def test_key_authorization_and_signed_url_query_are_redacted(received):
    redactor.register(SECRET_KEY)
    signed = "https://store.blob.core.windows.net/c/f.zip?sv=2024&se=2030-01-01&sig=AbC%2Bdef"
    pixxel_logger().warning("key %s failed on %s", SECRET_KEY, signed)
    # A child logger's records skip the parent's filter; the handler's own filter still applies.
    logging.getLogger("pixxel.child").warning("headers {'Authorization': 'Bearer tok-123456'}")
    (first, _, _), (second, _, _) = received
    assert SECRET_KEY not in first
    assert "AbC%2Bdef" not in first
    assert "2030-01-01" not in first
    assert "https://store.blob.core.windows.net/c/f.zip?sv=***&se=***&sig=***" in first
    assert "tok-123456" not in second
    assert "***" in second


def test_tracebacks_are_redacted_too(received):
    redactor.register(SECRET_KEY)
    try:
        raise RuntimeError(f"GET https://store.example/f.zip?sig=AbC123 with {SECRET_KEY}")
    except RuntimeError:
        pixxel_logger().exception("download failed")
    ((message, _, level),) = received
    assert level == Qgis.MessageLevel.Critical
    assert "Traceback" in message
    assert "download failed" in message
    assert SECRET_KEY not in message
    assert "AbC123" not in message


def test_records_from_worker_threads_arrive(received):
    worker = threading.Thread(target=lambda: pixxel_logger().info("from a task"))
    worker.start()
    worker.join()
    QgsApplication.processEvents()
    assert ("from a task", "Pixxel", Qgis.MessageLevel.Info) in received


def test_uninstall_leaves_nothing(received):
    logger = pixxel_logger()
    qgis_log.uninstall()
    assert not any(isinstance(h, qgis_log.QgisLogHandler) for h in logger.handlers)
    assert logger.level == logging.NOTSET
    logger.warning("after unload")
    assert received == []
    qgis_log.uninstall()  # twice is harmless


def test_with_debug_on_urllib3s_request_lines_arrive_redacted(received, monkeypatch, sandbox):
    """PIXXEL_DEBUG brings urllib3's own records to the tab: each names a signed URL whole."""
    import requests

    from pixxel_qgis.core.pixxel.http import HttpGateway

    sandbox.configure(ready_after_polls=0)
    aoi_id = sandbox.catalog.aoi_at(0)["aoi_id"]
    asset = next(a for a in sandbox.catalog.assets(aoi_id) if a["status"] == "success")
    url = requests.post(f"{sandbox.api_url}/v0/aois/{aoi_id}/downloads", timeout=10,
                        headers={"Authorization": sandbox.api_key},
                        json={"asset_ids": [asset["id"]]}).json()["signed_url"]
    signature = url.split("sig=")[1]
    monkeypatch.setenv("PIXXEL_DEBUG", "1")
    qgis_log.install()
    with HttpGateway(user_agent="pixxel-tests", trust_env=False) as gateway:
        gateway.send("GET", url, headers={"Range": "bytes=0-0"}).close()
    lines = [message for message, _, _ in received if '"GET /deliveries/' in message]
    assert lines, received  # urllib3's request line, not only the plugin's own
    assert all("sig=***" in line for line in lines)
    assert not any(signature in message for message, _, _ in received)

    library = logging.getLogger("urllib3")
    qgis_log.uninstall()
    assert not any(isinstance(h, qgis_log.QgisLogHandler) for h in library.handlers)
    assert library.level == logging.NOTSET
    assert not logging.getLogger("urllib3.connectionpool").filters
