"""HTTPS verified with the CAs QGIS trusts: the sandbox serves HTTPS with a certificate from a
throw-away CA; without that CA the plugin fails with its TLS message, once the CA is imported
into the (isolated) QGIS authentication database listing, downloading and Processing work."""

import logging
import ssl
import threading
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsAuthCertUtils, QgsProcessingFeedback
from qgis.PyQt.QtNetwork import QSsl, QSslCertificate

from pixxel_qgis.core.download.job import DownloadJob
from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.errors import NetworkError
from pixxel_qgis.core.pixxel.http import default_ca_bundle
from pixxel_qgis.core.pixxel.retry import RetryPolicy
from pixxel_qgis.core.processing.provider import PixxelProvider
from pixxel_qgis.core.qgis import tls
from pixxel_qgis.core.qgis.connection import Connection, current_connection
from pixxel_qgis.core.qgis.registry import TaskRegistry
from pixxel_qgis.core.qgis.tasks import AoiListTask, DownloadTask
from pixxel_qgis.ui.options_page import PixxelOptionsPage

from .conftest import TEST_MASTER_PASSWORD

TIMEOUT_MS = 60_000
UNTRUSTED = QgsAuthCertUtils.CertTrustPolicy.Untrusted


def rebuild_trust(manager) -> None:
    # What QGIS' Certificate Manager does after an import or a trust change.
    assert manager.rebuildCaCertsCache()
    assert manager.rebuildCertTrustCache()
    assert manager.rebuildTrustedCaCertsCache()


def qgis_certificate(pem_file: Path) -> QSslCertificate:
    (certificate,) = QSslCertificate.fromPath(str(pem_file), QSsl.EncodingFormat.Pem)
    return certificate


def bundle_path() -> Path:
    return Path(QgsApplication.qgisSettingsDirPath()) / "pixxel" / tls.BUNDLE_FILE_NAME


def default_ders() -> list:
    return tls.pem_certificates(Path(default_ca_bundle()).read_bytes())


@pytest.fixture
def https(https_sandbox, auth_manager, monkeypatch):
    """The plugin pointed at the HTTPS sandbox through the environment, with no CA bundle from
    the environment (this machine sets REQUESTS_CA_BUNDLE), and no bundle file left over."""
    monkeypatch.setenv("PIXXEL_API_URL", https_sandbox.api_url)
    monkeypatch.setenv("PIXXEL_API_KEY", https_sandbox.api_key)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    bundle_path().unlink(missing_ok=True)
    https_sandbox.reset()
    yield https_sandbox
    https_sandbox.reset()


@pytest.fixture
def ca_in_qgis(auth_manager, throwaway_ca):
    """The throw-away CA imported into QGIS' authentication database, as the user would in
    Settings → Options → Authentication → Certificate Manager; removed afterwards."""
    certificate = qgis_certificate(throwaway_ca["ca"])
    assert auth_manager.storeCertAuthority(certificate)
    rebuild_trust(auth_manager)
    yield certificate
    auth_manager.removeCertTrustPolicy(certificate)
    assert auth_manager.removeCertAuthority(certificate)
    rebuild_trust(auth_manager)


@pytest.fixture
def registry(qgis_app):
    registry = TaskRegistry()
    yield registry
    registry.cancel_all(wait_seconds=30)
    assert registry.running() == []


@pytest.fixture
def pixxel_log():
    """Every record of the "pixxel" logger, after its redacting filter."""
    records = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append
    logger = logging.getLogger("pixxel")
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(previous)


def run(qtbot, registry, task):
    with qtbot.waitSignal(task.completed, timeout=TIMEOUT_MS):
        assert registry.start(task)
    return task


def reaches_the_api(connection: Connection) -> bool:
    """One try with the connection's TLS settings: a task retries a failed handshake for
    seconds, which the first test shows once."""
    client = PixxelClient(connection.api_key, connection.base_url, trust_env=connection.trust_env,
                          verify=connection.verify, retry=RetryPolicy(attempts=1))
    with client:
        try:
            client.aoi_page(0, 1)
        except NetworkError:
            return False
    return True


def test_without_the_ca_in_qgis_the_listing_fails_with_the_tls_message(
    https, registry, qtbot, pixxel_log
):
    connection = current_connection()
    assert connection.verify is True  # QGIS trusts nothing beyond the default bundle
    assert not bundle_path().exists()
    task = run(qtbot, registry, AoiListTask(connection))
    host = https.api_url.split("://")[1]
    assert isinstance(task.error, NetworkError)
    assert str(task.error) == (
        f"The secure (TLS) connection to {host} failed: its certificate is not trusted "
        "(unable to get local issuer certificate)."
    )
    assert https.requests == []  # refused at the handshake: the key never left this computer
    logged = "\n".join(record.getMessage() for record in pixxel_log)
    assert "CERTIFICATE_VERIFY_FAILED" in logged  # the exact reason is in the Pixxel log
    assert https.api_key not in str(task.error) + logged


def test_with_the_ca_imported_in_qgis_listing_and_download_succeed(
    https, ca_in_qgis, throwaway_ca, registry, qtbot, project, tmp_path
):
    connection = current_connection()
    assert connection.verify == str(bundle_path())
    bundle = tls.pem_certificates(bundle_path().read_bytes())
    company = ssl.PEM_cert_to_DER_cert(throwaway_ca["ca"].read_text())
    assert bundle == [*default_ders(), company]

    listing = run(qtbot, registry, AoiListTask(connection))
    assert listing.error is None
    assert len(listing.aois) == https.catalog.aoi_count

    aoi = https.catalog.aoi_at(0)
    asset_ids = tuple(a["id"] for a in https.catalog.assets(aoi["aoi_id"])
                      if a["status"] == "success")[:2]
    job = DownloadJob(aoi["aoi_id"], asset_ids, tmp_path, aoi_name=aoi["name"])
    download = run(qtbot, registry, DownloadTask(connection, job, load_layers=False))
    assert download.error is None
    assert download.result.files
    assert all(Path(path).is_file() for path in download.result.files)
    storage = [request for request in https.requests if request.server == "storage"]
    assert storage  # fetched from the HTTPS storage host with the same bundle
    assert all("authorization" not in {name.lower() for name in r.headers} for r in storage)


def test_processing_uses_the_cas_qgis_trusts(https, ca_in_qgis, qgis_processing):
    from qgis import processing

    registry = QgsApplication.processingRegistry()
    provider = PixxelProvider()
    assert registry.addProvider(provider)
    try:
        results = processing.run("pixxel:listaois", {"OUTPUT": "memory:"},
                                 feedback=QgsProcessingFeedback())
    finally:
        registry.removeProvider(provider)
    assert results["OUTPUT"].featureCount() == https.catalog.aoi_count


def test_the_bundle_is_written_once_and_follows_trust_changes_in_qgis(
    https, ca_in_qgis, auth_manager
):
    path = tls.requests_verify()
    written = Path(path).stat()
    assert tls.requests_verify() == path
    again = Path(path).stat()
    assert (again.st_ino, again.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)

    # A CA of the default bundle marked untrusted in QGIS is left out of the bundle.
    default = default_ders()
    distrusted = QSslCertificate(default[0], QSsl.EncodingFormat.Der)
    assert QgsAuthCertUtils.shaHexForCert(distrusted) == tls.sha1_hex(default[0])
    assert auth_manager.storeCertTrustPolicy(distrusted, UNTRUSTED)
    try:
        rebuild_trust(auth_manager)
        assert tls.requests_verify() == path
        assert default[0] not in tls.pem_certificates(Path(path).read_bytes())
    finally:
        assert auth_manager.removeCertTrustPolicy(distrusted)
        rebuild_trust(auth_manager)

    # "Untrusted" as QGIS' default policy: only the CAs explicitly trusted there remain.
    assert auth_manager.storeCertTrustPolicy(ca_in_qgis, QgsAuthCertUtils.CertTrustPolicy.Trusted)
    assert auth_manager.setDefaultCertTrustPolicy(UNTRUSTED)
    try:
        rebuild_trust(auth_manager)
        assert tls.requests_verify() == path
        assert tls.pem_certificates(Path(path).read_bytes()) == [bytes(ca_in_qgis.toDer())]
        assert reaches_the_api(current_connection())
    finally:
        assert auth_manager.setDefaultCertTrustPolicy(QgsAuthCertUtils.CertTrustPolicy.DefaultTrust)
        rebuild_trust(auth_manager)

    # The imported CA marked untrusted: back to the default bundle, and HTTPS fails again.
    assert auth_manager.storeCertTrustPolicy(ca_in_qgis, UNTRUSTED)
    rebuild_trust(auth_manager)
    assert tls.requests_verify() is True
    assert not reaches_the_api(current_connection())


def test_a_locked_database_still_gives_the_cas_without_a_prompt(https, ca_in_qgis, auth_manager):
    auth_manager.clearMasterPassword()
    try:
        assert not auth_manager.masterPasswordIsSet()
        path = tls.requests_verify()
        assert path == str(bundle_path())
        assert not auth_manager.masterPasswordIsSet()  # nothing asked for it
    finally:
        assert auth_manager.setMasterPassword(TEST_MASTER_PASSWORD, True)


def test_requests_ca_bundle_replaces_the_cas_qgis_trusts(
    https, ca_in_qgis, throwaway_ca, monkeypatch
):
    assert reaches_the_api(current_connection())
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", default_ca_bundle())
    connection = current_connection()
    assert connection.verify == default_ca_bundle()
    assert not reaches_the_api(connection)

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(throwaway_ca["ca"]))
    assert reaches_the_api(current_connection())

    missing = str(throwaway_ca["ca"]) + ".missing"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", missing)
    with pytest.raises(tls.CaBundleError, match="REQUESTS_CA_BUNDLE") as raised:
        current_connection()
    assert missing in str(raised.value)


def test_the_cas_are_read_on_the_main_thread_only(qgis_app):
    outcome = []

    def read():
        try:
            tls.requests_verify()
        except RuntimeError as exc:
            outcome.append(str(exc))

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    assert outcome == ["QGIS' trusted CA certificates are read on the main thread only"]


def test_test_connection_in_the_options_trusts_the_cas_qgis_trusts(
    https, throwaway_ca, qtbot, auth_manager
):
    page = PixxelOptionsPage()
    qtbot.addWidget(page)

    def test_connection() -> str:
        page.test_button.click()
        qtbot.waitUntil(page.test_button.isEnabled, timeout=60_000)
        return page.test_result_label.text()

    host = https.api_url.split("://")[1]
    assert f"The secure (TLS) connection to {host} failed: its certificate" in test_connection()
    certificate = qgis_certificate(throwaway_ca["ca"])
    assert auth_manager.storeCertAuthority(certificate)
    rebuild_trust(auth_manager)
    try:
        assert test_connection().startswith("Connected:")
    finally:
        auth_manager.removeCertTrustPolicy(certificate)
        assert auth_manager.removeCertAuthority(certificate)
        rebuild_trust(auth_manager)

