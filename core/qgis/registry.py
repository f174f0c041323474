"""The plugin's running tasks, in one place: QGIS deletes a task's C++ side once it has finished,
and a task whose Python side is collected while it still runs takes QGIS down, so the registry
holds each task until it has ended, refuses a second identical download, holds downloads beyond
the parallel-downloads setting, and cancels everything in the plugin's unload(). The dock, the
downloads list and the history ask it which downloads run."""

import time
from typing import Callable, List, Optional, Tuple

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QEventLoop, QObject, pyqtSignal

from ..pixxel.redaction import pixxel_logger
from . import settings
from .tasks import DownloadTask

log = pixxel_logger()


class TaskRegistry(QObject):
    """The plugin's running tasks: one per plugin instance, created in initGui and emptied with
    cancel_all() in unload().

    Downloads beyond the "parallel downloads" setting wait their turn on hold in QGIS' task
    manager (visible there, cancellable like any task) rather than competing for bandwidth and
    disk; listings are never held back."""

    started = pyqtSignal(object)  # a task handed to QGIS' task manager
    finished = pyqtSignal(object)  # a task that ended (completed, failed or cancelled)

    def __init__(
        self,
        parent: Optional[QObject] = None,
        download_limit: Callable[[], int] = lambda: settings.load().parallel_downloads,
    ) -> None:
        super().__init__(parent)
        self._tasks: List[QgsTask] = []
        self._held: List[QgsTask] = []  # downloads waiting for a free slot, oldest first
        self._download_limit = download_limit
        self._stopping = False

    def start(self, task: QgsTask) -> bool:
        """Hand `task` to QGIS' task manager and keep it until it ends. False, and the task is not
        started, when a download of the same AOI and assets is already running (a second click),
        or while cancel_all() is stopping everything."""
        key = getattr(task, "key", None)
        if self._stopping or (key is not None and self.is_running(key)):
            return False
        if isinstance(task, DownloadTask):
            task.followUp.connect(self.start)
            if self._running_downloads() >= self._download_limit():
                task.hold()
                self._held.append(task)
        self._tasks.append(task)
        # Connected before addTask: a task that fails at once may end before a later connect.
        task.taskCompleted.connect(lambda: self._forget(task))
        task.taskTerminated.connect(lambda: self._forget(task))
        QgsApplication.taskManager().addTask(task)
        self.started.emit(task)
        return True

    def running(self) -> List[QgsTask]:
        return [task for task in self._tasks if not sip.isdeleted(task)]

    def download_for(self, history_id: str) -> Optional[DownloadTask]:
        """The running (or held) download recorded under this downloads-history entry."""
        return next(
            (task for task in self.running()
             if isinstance(task, DownloadTask) and task.history_id == history_id),
            None,
        )

    def is_running(self, key: Tuple[str, frozenset]) -> bool:
        return any(getattr(task, "key", None) == key for task in self.running())

    def cancel_all(self, wait_seconds: float = 5.0) -> None:
        """Cancel every task and give them up to `wait_seconds` to end, spinning the event loop so
        that their finished() runs now, while the plugin is still loaded. A download stops within
        about 0.1 s even mid-read (transfer shuts its socket down), an API call waiting for an
        answer within about 0.05 s (HttpGateway.send). Tasks still running then are left to QGIS,
        cut off from this registry so that they cannot start follow-up work."""
        self._stopping = True
        try:
            for task in self.running():
                task.cancel()
            deadline = time.monotonic() + wait_seconds
            while self.running() and time.monotonic() < deadline:
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
                time.sleep(0.01)
            leftover = self.running()
            for task in leftover:
                if isinstance(task, DownloadTask):
                    task.followUp.disconnect(self.start)
            if leftover:
                log.warning("%d Pixxel task(s) still stopping in the background.", len(leftover))
            self._tasks = []
            self._held = []
        finally:
            self._stopping = False

    def _forget(self, task: QgsTask) -> None:
        if any(known is task for known in self._tasks):
            self._tasks = [known for known in self._tasks if known is not task]
            self._held = [held for held in self._held if held is not task]
            self.finished.emit(task)
            self._release_held()

    def _running_downloads(self) -> int:
        return sum(
            1 for task in self.running()
            if isinstance(task, DownloadTask) and not any(task is held for held in self._held)
        )

    def _release_held(self) -> None:
        while self._held and not self._stopping:
            if self._running_downloads() >= self._download_limit():
                return
            task = self._held.pop(0)
            if not sip.isdeleted(task):
                task.unhold()
