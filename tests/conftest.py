"""Fixtures shared by every test tier: the plugin importable as `pixxel_qgis`, and the sandbox."""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional, Tuple

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PLUGIN_PACKAGE = "pixxel_qgis"


def _plugin_parent_dir() -> Path:
    # The repository root *is* the plugin folder, whatever the clone is called; QGIS imports it as
    # `pixxel_qgis`, so tests see it under that name through a symlink in a throw-away folder.
    parent = Path(tempfile.mkdtemp(prefix="pixxel-plugins-"))
    (parent / PLUGIN_PACKAGE).symlink_to(REPO_ROOT, target_is_directory=True)
    return parent


PLUGINS_DIR = _plugin_parent_dir()
sys.path.insert(0, str(PLUGINS_DIR))


@pytest.fixture(scope="session")
def plugins_dir() -> Path:
    """A folder holding the plugin as `pixxel_qgis`, usable as a QGIS plugin path."""
    return PLUGINS_DIR


@pytest.fixture(scope="session")
def start_sandbox(tmp_path_factory):
    """Starts a sandbox of one's own: `start_sandbox(**SandboxConfig fields)` -> a running Sandbox,
    with tiny products in the session's product cache unless told otherwise; every one started is
    stopped when the session ends."""
    from sandbox import Sandbox, SandboxConfig

    # PIXXEL_SANDBOX_DATA lets repeated local runs reuse generated products; CI starts empty.
    data_dir = os.environ.get("PIXXEL_SANDBOX_DATA") or tmp_path_factory.mktemp("sandbox-data")
    started = []

    def start(**config) -> Sandbox:
        config.setdefault("data_dir", Path(data_dir))
        config.setdefault("product_size", "tiny")
        running = Sandbox(SandboxConfig(**config)).start()
        started.append(running)
        return running

    yield start
    for running in reversed(started):
        running.stop()


@pytest.fixture(scope="session")
def sandbox_session(start_sandbox):
    return start_sandbox()


@pytest.fixture
def sandbox(sandbox_session):
    """The session's sandbox, reset to a fresh state (no faults, downloads or request log)."""
    with sandbox_session.reset_around() as running:
        yield running


@pytest.fixture
def small_disk(tmp_path):
    """Makes tiny tmpfs file systems for disk-full tests: `small_disk(size_mib)` -> mount point.
    Needs root and mount rights (as here and in CI); skips elsewhere."""
    mounted_points = []

    def mount(size_mib: int) -> Path:
        mount_point = tmp_path / f"disk{len(mounted_points)}"
        mount_point.mkdir()
        command = ["mount", "-t", "tmpfs", "-o", f"size={size_mib}m", "tmpfs", str(mount_point)]
        mounted = subprocess.run(command, capture_output=True, check=False)  # noqa: S603
        if mounted.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
        mounted_points.append(mount_point)
        return mount_point

    yield mount
    for mount_point in mounted_points:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)  # noqa: S603, S607


@pytest.fixture(scope="session")
def throwaway_ca(tmp_path_factory):
    """A CA made for this session and a server certificate it signed for 127.0.0.1 and localhost,
    made with the openssl command (Debian's `openssl`, which ca-certificates depends on). Returns
    {"ca": ca.pem, "cert": server.pem, "key": server.key} (paths)."""
    folder = tmp_path_factory.mktemp("tls")
    ca, ca_key = folder / "ca.pem", folder / "ca.key"
    cert, key, request = folder / "server.pem", folder / "server.key", folder / "server.csr"
    extensions = folder / "server.ext"
    extensions.write_text(
        "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
        "basicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature\n"
        "extendedKeyUsage = serverAuth\n"
        "authorityKeyIdentifier = keyid\n"
    )
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for command in (
        ["openssl", "req", "-x509", *new_key, "-keyout", ca_key, "-out", ca, "-days", "2",
         "-subj", "/CN=Pixxel test CA (throw-away)",
         "-addext", "basicConstraints = critical, CA:TRUE",
         "-addext", "keyUsage = critical, keyCertSign, cRLSign"],
        ["openssl", "req", *new_key, "-keyout", key, "-out", request, "-subj", "/CN=127.0.0.1"],
        ["openssl", "x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key,
         "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", extensions],
    ):
        subprocess.run([str(part) for part in command], check=True, capture_output=True)
    return {"ca": ca, "cert": cert, "key": key}


@pytest.fixture(scope="session")
def https_sandbox(start_sandbox, throwaway_ca):
    """A sandbox of its own serving HTTPS (API and storage) with `throwaway_ca`'s server
    certificate. Session-wide: reset it in the test."""
    from sandbox.httpbase import serving_tls

    with serving_tls(throwaway_ca["cert"], throwaway_ca["key"]):
        return start_sandbox()


@pytest.fixture
def cancel_mid_call():
    """`run(call, started)`: runs `call(is_cancelled)` on a thread of its own, waits until
    `started()` holds (the request is out) and `settle` seconds more, runs `before_cancel()` if
    given, cancels, and returns (what ended the call, seconds from the cancel to its end). The
    call must still be running when cancelled, and end within 5 s of it."""

    def run(
        call: Callable[[Callable[[], bool]], object],
        started: Callable[[], bool],
        *,
        settle: float = 0.2,
        before_cancel: Optional[Callable[[], None]] = None,
    ) -> Tuple[Optional[BaseException], float]:
        cancelled = threading.Event()
        outcome: dict = {}

        def target() -> None:
            try:
                call(cancelled.is_set)
            except BaseException as error:  # noqa: BLE001 - whatever ends it is the test's subject
                outcome["error"] = error
            outcome["ended"] = time.monotonic()

        caller = threading.Thread(target=target)
        caller.start()
        deadline = time.monotonic() + 5
        while not started() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(settle)
        assert caller.is_alive(), "the call ended before the cancel"
        if before_cancel is not None:
            before_cancel()
        cancelled_at = time.monotonic()
        cancelled.set()
        caller.join(5)
        assert not caller.is_alive(), "the call did not end after the cancel"
        return outcome.get("error"), outcome["ended"] - cancelled_at

    return run


class _Recorder(BaseHTTPRequestHandler):
    """Records every request it gets and answers with a small TIFF-looking file (or, for the
    API's paths, an empty AOI page)."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self.server.seen.append((self.path, dict(self.headers.items())))
        if "/v0/" in self.path:
            body = json.dumps({"aois": [], "pagination": {"limit": 10, "offset": 0,
                                                          "total": 0}}).encode()
        else:
            body = b"II*\0" + bytes(1000)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"eavesdropped"')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def eavesdropper():
    """A plain-http server on loopback standing for the network between the plugin and a
    plain-http host: as the proxy the request goes through, or as the redirect's target. What
    it records is what anybody on the way could have read."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.seen = []
    server.port = server.server_address[1]
    server.url = f"http://127.0.0.1:{server.port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()
