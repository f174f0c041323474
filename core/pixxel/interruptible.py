"""Reads a cancel can cut short: a request waiting for its answer, and a streamed body.

A read blocked on a server that stopped sending (a stalled API, storage that accepted the GET but
sends nothing, or stops half-way through a file) would otherwise hold a cancel — the plugin's
unload, QGIS' exit — until the read timeout, 60 s. One watcher thread for the whole process polls
the cancel checks registered with `waiting()` and shuts the socket of a cancelled thread's read
down; the blocked read then returns at once and fails, and `Wait.fired` tells the caller it was
the cancel. A streamed body's socket is given to `waiting()` (`body_socket()` finds it).
requests hands out no socket before an answer arrives, so for a request the connection classes
of the adapter's pools are extended: its socket is recorded when it starts reading the answer.

shutdown(), unlike close(), is safe while another thread reads the socket: the read just sees
the end of the stream. A socket is shut down only while its thread is still inside `waiting()`,
under the registry's lock, so a connection handed back to the pool is never touched.

Costs nothing per request but a dictionary lookup: no thread per request (one per request
measured +10-30 % on a 10,000-AOI listing while the GUI thread was busy, from GIL hand-offs).
The watcher sleeps while no request is registered.
"""

import contextlib
import socket
import threading
from typing import Any, Callable, Dict, Iterator, Optional, Type

from requests.adapters import HTTPAdapter

# How soon a cancel ends a wait for an answer (and how often the watcher looks).
CANCEL_POLL_INTERVAL = 0.05


class Wait:
    """One thread's request in flight: its cancel check and, once it reads, its socket."""

    __slots__ = ("is_cancelled", "sock", "fired")

    def __init__(self, is_cancelled: Callable[[], bool]) -> None:
        self.is_cancelled = is_cancelled
        self.sock: Optional[socket.socket] = None
        self.fired = False


_lock = threading.Condition()
_waits: Dict[int, Wait] = {}
_watcher: Optional[threading.Thread] = None
_watcher_stop = threading.Event()


@contextlib.contextmanager
def waiting(
    is_cancelled: Callable[[], bool], sock: Optional[socket.socket] = None
) -> Iterator[Wait]:
    """Register the calling thread's read for the block's duration: of `sock` (a streamed body,
    see body_socket()), or else of the request it sends in the block."""
    wait = Wait(is_cancelled)
    wait.sock = sock
    ident = threading.get_ident()
    with _lock:
        _waits[ident] = wait
        _ensure_watcher()
        _lock.notify_all()
    try:
        yield wait
    finally:
        with _lock:
            _waits.pop(ident, None)


def stop_watcher(timeout: float = 1.0) -> None:
    """For the plugin's unload(): the watcher thread ends once no request is registered (one
    registered later starts a new watcher), so that nothing of the plugin keeps running."""
    global _watcher
    with _lock:
        thread, _watcher = _watcher, None
        if thread is None:
            return
        _watcher_stop.set()
        _lock.notify_all()
    thread.join(timeout)


def body_socket(response: Any) -> Optional[socket.socket]:
    """The socket a streamed requests response reads its body from, None when not found.
    urllib3 (1.26 and 2.x) keeps the connection of a streamed body as HTTPResponse.connection,
    and http.client's connection keeps its socket in `sock`; without them the read timeout still
    ends a stalled read, only later."""
    connection = getattr(getattr(response, "raw", None), "connection", None)
    sock = getattr(connection, "sock", None)
    return sock if isinstance(sock, socket.socket) else None


class InterruptibleAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections (direct, through an HTTP proxy or SOCKS) record their
    socket for `waiting()` when they start reading an answer."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        _extend_pools(self.poolmanager)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        _extend_pools(manager)
        return manager


# --- internals -----------------------------------------------------------------------------------


class _RecordsSocket:
    """Mixed into a urllib3 connection class: getresponse() is where the wait for an answer
    blocks (http.client's, which urllib3 1.26 and 2.x both call)."""

    def getresponse(self, *args, **kwargs):
        wait = _waits.get(threading.get_ident())
        if wait is not None:
            with _lock:
                wait.sock = getattr(self, "sock", None)
        return super().getresponse(*args, **kwargs)


_extended: Dict[type, type] = {}


def _extend_pools(manager) -> None:
    classes = getattr(manager, "pool_classes_by_scheme", None)
    if not classes or getattr(manager, "_pixxel_interruptible", False):
        return
    manager.pool_classes_by_scheme = {
        scheme: _extended_pool(pool_class) for scheme, pool_class in classes.items()
    }
    manager._pixxel_interruptible = True


def _extended_pool(pool_class: type) -> type:
    extended = _extended.get(pool_class)
    if extended is None:
        connection_class: Type = pool_class.ConnectionCls
        connection = type(
            f"Interruptible{connection_class.__name__}", (_RecordsSocket, connection_class), {}
        )
        extended = type(
            f"Interruptible{pool_class.__name__}", (pool_class,), {"ConnectionCls": connection}
        )
        _extended[pool_class] = extended
    return extended


def _ensure_watcher() -> None:
    global _watcher, _watcher_stop
    if _watcher is None or not _watcher.is_alive():
        _watcher_stop = threading.Event()
        _watcher = threading.Thread(
            target=_watch, args=(_watcher_stop,), name="pixxel-cancel-watch", daemon=True
        )
        _watcher.start()


def _watch(stop: threading.Event) -> None:
    while True:
        _shut_down_cancelled()
        with _lock:
            _lock.wait(CANCEL_POLL_INTERVAL)
            while not _waits:
                if stop.is_set():
                    return
                _lock.wait()


def _shut_down_cancelled() -> None:
    # A function of its own so that no Wait (whose check may hold a whole QgsTask) outlives the
    # pass in the watcher's locals while it sleeps.
    with _lock:
        reading = [wait for wait in _waits.values() if wait.sock is not None and not wait.fired]
    for wait in reading:
        if wait.is_cancelled():
            _shut_down(wait)


def _shut_down(wait: Wait) -> None:
    with _lock:
        # Still registered and reading: the socket is not back in the pool.
        if wait.sock is None or not any(known is wait for known in _waits.values()):
            return
        wait.fired = True
        # socket.socket's own shutdown, also for a TLS socket: SSLSocket.shutdown() would drop
        # the TLS state the reading thread is using. Already closed: the read ends anyway.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(wait.sock, socket.SHUT_RDWR)
