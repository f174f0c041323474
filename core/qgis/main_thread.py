"""Whether the calling thread is QGIS' main thread: the authentication database (and its
master-password prompt), the project and the widgets may be used there only."""

from qgis.PyQt.QtCore import QCoreApplication, QThread


def is_main_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() == app.thread()


def require_main_thread(message: str) -> None:
    """RuntimeError(message) off the main thread: a programming error, which elsewhere would
    deadlock or crash QGIS."""
    if not is_main_thread():
        raise RuntimeError(message)
