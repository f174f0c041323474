"""TLS without QGIS: the pure CA-bundle helpers of core/tls.py, and the gateway verifying the
sandbox's HTTPS API and storage with the CA bundle it is given (the plumbing Connection uses)."""

import contextlib
import os
import socket
import ssl
import subprocess
import threading
from pathlib import Path

import pytest

from pixxel_qgis.core.download.job import DownloadJob, PollPolicy, run_download
from pixxel_qgis.core.pixxel.api import PixxelClient
from pixxel_qgis.core.pixxel.errors import CancelledError, NetworkError, UntrustedCertificateError
from pixxel_qgis.core.pixxel.http import default_ca_bundle
from pixxel_qgis.core.pixxel.retry import RetryPolicy
from pixxel_qgis.core.qgis import tls

FAST = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.05, deadline=10.0)
QUICK = PollPolicy(first=0.01, longest=0.05)


@pytest.fixture(scope="module")
def default_ders():
    return tls.pem_certificates(Path(default_ca_bundle()).read_bytes())


def der_of(pem_file: Path) -> bytes:
    return ssl.PEM_cert_to_DER_cert(pem_file.read_text())


# -- environment ----------------------------------------------------------------------------------


def test_requests_ca_bundle_comes_before_curl_ca_bundle_and_empty_means_unset():
    assert tls.env_ca_bundle({}) is None
    assert tls.env_ca_bundle({"REQUESTS_CA_BUNDLE": "", "CURL_CA_BUNDLE": ""}) is None
    assert tls.env_ca_bundle({"CURL_CA_BUNDLE": "/c.pem"}) == ("CURL_CA_BUNDLE", "/c.pem")
    both = {"REQUESTS_CA_BUNDLE": "/r.pem", "CURL_CA_BUNDLE": "/c.pem"}
    assert tls.env_ca_bundle(both) == ("REQUESTS_CA_BUNDLE", "/r.pem")
    assert tls.env_ca_bundle({"REQUESTS_CA_BUNDLE": "", "CURL_CA_BUNDLE": "/c.pem"}) == (
        "CURL_CA_BUNDLE", "/c.pem")


# -- PEM ------------------------------------------------------------------------------------------


def test_pem_parsing_reads_every_certificate_of_the_default_bundle(default_ders):
    text = Path(default_ca_bundle()).read_text()
    assert len(default_ders) == text.count("-----BEGIN CERTIFICATE-----") > 50
    assert default_ders[0] == ssl.PEM_cert_to_DER_cert(
        text[: text.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")]
        [text.index("-----BEGIN CERTIFICATE-----"):]
    )


def test_pem_parsing_skips_comments_keys_and_broken_blocks(throwaway_ca):
    ca = throwaway_ca["ca"].read_text()
    server = throwaway_ca["cert"].read_text()
    mixed = (
        "# Issuer: CN=Pixxel test CA\n# a comment as in certifi's bundle\n"
        + ca.replace("\n", "\r\n")
        + throwaway_ca["key"].read_text()
        + "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n"
        + "trailing words\n" + server
    ).encode()
    assert tls.pem_certificates(mixed) == [der_of(throwaway_ca["ca"]), der_of(throwaway_ca["cert"])]


def test_a_written_bundle_is_what_openssl_loads(tmp_path, default_ders, throwaway_ca):
    ders = default_ders[:3] + [der_of(throwaway_ca["ca"])]
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(tls.pem_bundle(ders))
    assert tls.pem_certificates(bundle.read_bytes()) == ders
    context = ssl.create_default_context(cafile=str(bundle))
    assert context.cert_store_stats()["x509_ca"] == 4


# -- merging --------------------------------------------------------------------------------------


def test_nothing_beyond_the_default_bundle_means_the_default_bundle(default_ders):
    assert tls.merged_ca_certificates(default_ders, [], set()) is None
    assert tls.merged_ca_certificates(default_ders, default_ders[5:20], set()) is None
    # Distrusting a CA the default bundle does not hold changes nothing either.
    assert tls.merged_ca_certificates(default_ders, [], {"00" * 20}) is None


def test_trusted_extras_are_added_once_after_the_default_bundle(default_ders, throwaway_ca):
    company = der_of(throwaway_ca["ca"])
    merged = tls.merged_ca_certificates(default_ders, [default_ders[0], company, company], set())
    assert merged == [*default_ders, company]


def test_cas_marked_untrusted_are_left_out(default_ders, throwaway_ca):
    company = der_of(throwaway_ca["ca"])
    distrusted = tls.sha1_hex(default_ders[1])
    merged = tls.merged_ca_certificates(default_ders, [company], {distrusted})
    assert merged == [default_ders[0], *default_ders[2:], company]
    assert tls.merged_ca_certificates(default_ders, [], {distrusted}) == (
        [default_ders[0], *default_ders[2:]])


def test_sha1_is_the_certificate_fingerprint_qgis_and_openssl_show(throwaway_ca):
    shown = subprocess.run(
        ["openssl", "x509", "-in", str(throwaway_ca["ca"]), "-noout", "-fingerprint", "-sha1"],
        check=True, capture_output=True, text=True,
    ).stdout
    assert tls.sha1_hex(der_of(throwaway_ca["ca"])) == shown.split("=")[1].strip().replace(
        ":", "").lower()


# -- the file -------------------------------------------------------------------------------------


def test_the_bundle_file_is_rewritten_only_when_its_content_changes(tmp_path):
    path = tmp_path / "pixxel" / "ca-bundle.pem"
    assert tls.write_if_changed(path, b"first") is True
    first = path.stat()
    assert tls.write_if_changed(path, b"first") is False
    again = path.stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert tls.write_if_changed(path, b"second") is True
    assert path.read_bytes() == b"second"
    # Replaced by a rename, not rewritten in place: a reader holds the old or the new file.
    assert path.stat().st_ino != first.st_ino
    assert sorted(os.listdir(path.parent)) == ["ca-bundle.pem"]


def test_the_default_bundle_is_parsed_again_only_when_it_changes(tmp_path, throwaway_ca):
    bundle = tmp_path / "default.pem"
    bundle.write_bytes(throwaway_ca["ca"].read_bytes())
    first = tls.default_certificates(str(bundle))
    assert tls.default_certificates(str(bundle)) is first
    bundle.write_bytes(throwaway_ca["ca"].read_bytes() + throwaway_ca["cert"].read_bytes())
    assert tls.default_certificates(str(bundle)) == [
        der_of(throwaway_ca["ca"]), der_of(throwaway_ca["cert"])]


# -- the gateway over HTTPS -----------------------------------------------------------------------


def count_sends(client: PixxelClient) -> list:
    """The requests the client's gateway was asked to send (each attempt), recorded."""
    sent = []
    send = client.gateway.send

    def recording(*args, **kwargs):
        sent.append(args[:2])
        return send(*args, **kwargs)

    client.gateway.send = recording
    return sent


@pytest.fixture
def https(https_sandbox):
    https_sandbox.reset()
    yield https_sandbox
    https_sandbox.reset()


def test_the_https_sandbox_is_refused_with_the_default_bundle(https, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    assert https.api_url.startswith("https://127.0.0.1:")
    client = PixxelClient(https.api_key, https.api_url, trust_env=False, retry=FAST)
    sent = count_sends(client)
    with client, pytest.raises(UntrustedCertificateError) as raised:
        client.projects()
    host = https.api_url.split("://")[1]
    assert str(raised.value) == (
        f"The secure (TLS) connection to {host} failed: its certificate is not trusted "
        "(unable to get local issuer certificate)."
    )
    assert https.api_key not in str(raised.value)
    assert https.requests == []  # the handshake failed: no request reached the API
    assert len(sent) == 1  # a certificate does not become trusted by asking again


def test_a_tls_handshake_cut_short_is_retried(monkeypatch):
    """The control for the test above: a TLS failure that is not about the certificate."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        stop = threading.Event()

        def hang_up() -> None:
            listener.settimeout(0.2)
            while not stop.is_set():
                with contextlib.suppress(OSError):
                    connection, _ = listener.accept()
                    connection.close()

        thread = threading.Thread(target=hang_up, daemon=True)
        thread.start()
        port = listener.getsockname()[1]
        client = PixxelClient("pk-test", f"https://127.0.0.1:{port}", trust_env=False, retry=FAST)
        sent = count_sends(client)
        try:
            with client, pytest.raises(NetworkError) as raised:
                client.projects()
        finally:
            stop.set()
            thread.join()
    assert not isinstance(raised.value, UntrustedCertificateError)
    assert len(sent) == FAST.attempts


@pytest.mark.parametrize("trust_env", [False, True])
def test_the_given_ca_bundle_verifies_api_and_storage(https, throwaway_ca, tmp_path, monkeypatch,
                                                      trust_env):
    # With trust_env, requests would let this variable replace a session's bundle.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", default_ca_bundle())
    aoi = https.catalog.aois[0]
    asset = next(a for a in https.catalog.assets(aoi["aoi_id"])
                 if a["status"] == "success" and a["path"].endswith(".zip"))
    with PixxelClient(https.api_key, https.api_url, trust_env=trust_env, retry=FAST,
                      verify=str(throwaway_ca["ca"])) as client:
        assert len(client.aois()) == https.catalog.aoi_count
        result = run_download(client, DownloadJob(aoi["aoi_id"], [asset["id"]], tmp_path),
                              poll_policy=QUICK)
    assert result.files
    assert all(Path(path).stat().st_size > 0 for path in result.files)
    storage = [r for r in https.requests if r.server == "storage"]
    assert storage
    assert all("authorization" not in {k.lower() for k in r.headers} for r in storage)


def test_cancel_while_an_https_answer_is_awaited_ends_at_once(
    https, throwaway_ca, cancel_mid_call
):
    """HTTPS connections are interruptible too (their pool's connection class is extended like
    plain HTTP's): the call ends with CancelledError, not a TLS error, well before the answer."""
    https.faults.add("aois", "slow", delay=10)

    def list_aois(is_cancelled) -> None:
        with PixxelClient(https.api_key, https.api_url, trust_env=False, retry=FAST,
                          verify=str(throwaway_ca["ca"]), timeouts=(10, 30),
                          is_cancelled=is_cancelled) as client:
            client.aois()

    error, seconds = cancel_mid_call(list_aois, lambda: bool(https.requests))
    assert isinstance(error, CancelledError)
    assert seconds < 1.0
