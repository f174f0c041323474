"""HTTP plumbing shared by the API and storage servers.

Every request goes through ``BaseHandler._handle``: count it, let the fault registry decide
whether it misbehaves, record it, answer it. ``send`` is the only place bytes go on the wire,
so a fault distorts any answer (JSON page or 1 GiB file) the same way.

HTTPS: servers created inside ``serving_tls(cert, key)`` (by the same thread) serve TLS with that
certificate and give https:// URLs. ``Sandbox.start()`` creates both servers, so

    with serving_tls("server.pem", "server.key"):
        sandbox = Sandbox(config).start()

gives an HTTPS API whose signed URLs point at HTTPS storage. Plain HTTP stays the default.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import socket
import socketserver
import ssl
import struct
import sys
import termios
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator, Optional
from urllib.parse import parse_qsl, unquote, urlsplit

from .faults import Fault, FaultRegistry, fault_reply, rewrite_reply

MAX_REQUEST_BODY = 8 * 1024 * 1024
DROP_GRACE_SECONDS = 0.1
DEFAULT_DISTORT_AT = 0.5

_new_servers = threading.local()  # .tls: the SSLContext servers created now get, if any


@contextlib.contextmanager
def serving_tls(cert_file: Any, key_file: Any = None) -> Iterator[ssl.SSLContext]:
    """Sandbox servers created inside the block by this thread serve HTTPS with the certificate
    (chain) in `cert_file` and its key (`key_file`, or in `cert_file` too)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert_file), str(key_file) if key_file else None)
    previous = getattr(_new_servers, "tls", None)
    _new_servers.tls = context
    try:
        yield context
    finally:
        _new_servers.tls = previous


@dataclass(frozen=True)
class RecordedRequest:
    server: str  # "api" | "storage"
    method: str
    path: str
    query: dict
    headers: dict  # as received, original header-name case
    endpoint: str  # fault endpoint name ("aois", "storage", ...; "unknown" for unrouted paths)
    fault: Optional[str] = None  # kind of the fault that fired on this request

    def as_dict(self) -> dict:
        return asdict(self)


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[RecordedRequest] = []

    def append(self, item: RecordedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


@dataclass
class Reply:
    """An answer to send: a byte body, or a slice of a file streamed with sendfile."""

    status: int
    headers: list = field(default_factory=list)  # [(name, value)], Content-Length added by send
    body: bytes = b""
    file: Optional[Path] = None
    offset: int = 0
    length: int = 0

    @classmethod
    def json(cls, status: int, data: Any, headers: tuple = ()) -> Reply:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return cls(status, [("Content-Type", "application/json"), *headers], body)

    @property
    def size(self) -> int:
        return self.length if self.file is not None else len(self.body)

    def byte_at(self, index: int) -> int:
        if self.file is None:
            return self.body[index]
        with open(self.file, "rb") as stream:
            stream.seek(self.offset + index)
            return stream.read(1)[0]

    def write(self, handler: BaseHTTPRequestHandler, start: int, end: int) -> None:
        if end <= start:
            return
        if self.file is None:
            handler.wfile.write(self.body[start:end])
            return
        with open(self.file, "rb") as stream:
            # sendfile keeps a 1 GiB transfer in the kernel: loopback curl speed, no Python loop.
            handler.connection.sendfile(stream, self.offset + start, end - start)


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, host: str, port: int, handler: type, *, name: str,
                 faults: FaultRegistry, log: RequestLog, verbose: bool = False) -> None:
        self.name = name
        self.faults = faults
        self.log = log
        self.verbose = verbose
        self.closing = threading.Event()  # wakes handlers sleeping in slow/stall faults on stop
        self._connections: set = set()
        self._connections_lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None
        self.tls: Optional[ssl.SSLContext] = getattr(_new_servers, "tls", None)
        super().__init__((host, port), handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name (getfqdn), which can stall on bad DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if host in ("0.0.0.0", ""):  # noqa: S104 - a wildcard bind is reached via loopback
            host = "127.0.0.1"
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host}:{port}"

    def get_request(self) -> tuple:
        conn, address = super().get_request()
        if self.tls is not None:
            # The handshake runs at the handler's first read, on its own thread: a client that
            # never completes one cannot hold up the accept loop.
            conn = self.tls.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        return conn, address

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"sandbox-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.closing.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
        self.server_close()
        # Keep-alive connections would otherwise keep answering from a stopped sandbox.
        with self._connections_lock:
            for conn in list(self._connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)

    def track(self, conn: socket.socket, active: bool) -> None:
        with self._connections_lock:
            if active:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, ssl.SSLError)):
            # Clients hang up mid-transfer all the time (and faults make them); over HTTPS,
            # clients that do not trust the test CA refusing the handshake is what tests check.
            return
        super().handle_error(request, client_address)


class BaseHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # small JSON answers must not wait for delayed ACKs
    server: SandboxServer
    server_banner = "pixxel-sandbox"
    fault: Optional[Fault] = None  # the fault firing on the request being answered, if any

    # -- what subclasses provide -----------------------------------------------------------------

    def endpoint_for(self, method: str, path: str) -> str:
        raise NotImplementedError

    def respond(self, method: str, path: str, query: dict, body: bytes) -> Reply:
        raise NotImplementedError

    def admin(self, method: str, path: str, query: dict, body: bytes) -> Optional[Reply]:
        """A reply for out-of-band control requests (never counted, faulted or recorded)."""
        return None

    def error_reply(self, status: int, message: str) -> Reply:
        raise NotImplementedError

    def expired_reply(self) -> Reply:
        return self.error_reply(403, "signed URL expired")

    def raw_reply(self, status: int, content_type: str, body: bytes) -> Reply:
        return Reply(status, [("Content-Type", content_type)], body)

    def redirect_reply(self, status: int, scheme: str, host: Optional[str],
                       port: Optional[int]) -> Reply:
        """A redirect to this request's path and query at `scheme://host:port` (this server's
        own host and port unless given)."""
        own_host, own_port = self.server.server_address[:2]
        location = f"{scheme}://{host or own_host}:{port or own_port}{self.path}"
        return Reply(status, [("Location", location), ("Content-Type", "text/plain")],
                     b"Moved.")

    # -- plumbing ------------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def version_string(self) -> str:
        return self.server_banner

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._handle()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET  # noqa: N815

    def _handle(self) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        body = self._read_body()
        if body is None:
            return
        reply = self.admin(self.command, path, query, body)
        if reply is not None:
            send(self, reply, None)
            return
        endpoint = self.endpoint_for(self.command, path)
        fault = self.server.faults.take(endpoint)
        self.server.log.append(RecordedRequest(
            self.server.name, self.command, path, query, dict(self.headers.items()), endpoint,
            fault.kind if fault else None))
        self.fault = fault  # for faults an endpoint applies itself (faults.API_KINDS)
        reply = fault_reply(fault, self) if fault else None
        if reply is None:
            try:
                reply = rewrite_reply(fault, self.respond(self.command, path, query, body))
            except Exception:  # a sandbox bug must look like a 500, not a dropped connection
                traceback.print_exc()
                reply = self.error_reply(500, "internal sandbox error")
        send(self, reply, fault)

    def _read_body(self) -> Optional[bytes]:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_REQUEST_BODY:
            send(self, self.error_reply(400, "bad Content-Length"), None)
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""


def send(handler: BaseHandler, reply: Reply, fault: Optional[Fault]) -> None:
    kind = fault.kind if fault else None
    params = fault.params if fault else {}
    if kind == "slow" and handler.server.closing.wait(float(params.get("delay", 2.0))):
        return
    handler.send_response(reply.status)
    for name, value in reply.headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(reply.size))
    handler.end_headers()
    if handler.command == "HEAD":
        return
    if kind == "corrupt" and reply.size:
        # The same length as announced, one byte flipped: only a checksum or the format tells.
        cut = _cut_point(params, reply.size)
        reply.write(handler, 0, cut)
        handler.wfile.write(bytes([reply.byte_at(cut) ^ 0xFF]))
        reply.write(handler, cut + 1, reply.size)
        return
    if kind not in ("stall", "drop", "short"):
        reply.write(handler, 0, reply.size)
        return
    cut = _cut_point(params, reply.size)
    reply.write(handler, 0, cut)
    handler.close_connection = True
    if kind == "stall":
        handler.server.closing.wait(float(params.get("seconds", 10.0)))
    elif kind == "drop":
        _abort(handler)
    # "short" (and a stall once over) end with the server's ordinary FIN: a clean close that
    # looks like the end of a complete body to a client that does not count bytes.


def _wait_until_delivered(sock: socket.socket, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    queued = struct.pack("i", 0)
    while time.monotonic() < deadline:
        try:
            # SIOCOUTQ: bytes written but not yet acknowledged by the peer (Linux).
            if struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, queued))[0] == 0:
                return
        except OSError:
            return
        time.sleep(0.005)


def _cut_point(params: dict, size: int) -> int:
    if "after_bytes" in params:
        cut = int(params["after_bytes"])
    else:
        cut = int(size * float(params.get("at", DEFAULT_DISTORT_AT)))
    return max(0, min(cut, size - 1))


def _abort(handler: BaseHandler) -> None:
    """Close with RST: the client sees a reset connection, not an end of stream.

    A reset discards whatever the peer has not read yet, so first let the bytes already written
    reach the client (send queue drained, then a moment for it to read them): "dropped at 50 %"
    must mean the client really holds 50 %, as after a real network drop."""
    sock = handler.connection
    _wait_until_delivered(sock, timeout=2.0)
    handler.server.closing.wait(DROP_GRACE_SECONDS)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    # The buffered rfile holds a reference to the socket; close it so close() really closes.
    handler.rfile.close()
    sock.close()
