"""The "Test connection" task: is the API reachable, is the key accepted, what does it see?

Everything it needs (address, key, proxy) is read on the main thread and copied in; run() talks
to the API through PixxelClient only and never raises (an exception escaping a QgsTask's run()
aborts QGIS). The outcome arrives on the main thread through the `checked` signal, its text
already translated (QCoreApplication.translate is thread-safe).
"""

from dataclasses import dataclass
from typing import Callable, Optional, Set, Union

from qgis.core import Qgis, QgsApplication, QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ..pixxel.api import PixxelClient
from ..pixxel.errors import CancelledError, PixxelError
from ..pixxel.proxies import ProxyConfig
from ..pixxel.redaction import pixxel_logger
from ..pixxel.retry import RetryPolicy
from . import tls
from .i18n import tr, tr_n

log = pixxel_logger()

# A test should answer within seconds: fewer, shorter tries than a download would allow.
CHECK_RETRY = RetryPolicy(attempts=2, deadline=30.0)
CHECK_TIMEOUTS = (10.0, 20.0)


@dataclass(frozen=True)
class ConnectionResult:
    reachable: bool = False  # something answered at the API address
    key_accepted: bool = False  # the project listing succeeded with the key
    project_count: Optional[int] = None
    aoi_count: Optional[int] = None  # None when the server sent no total
    error: Optional[str] = None  # for the user; carries the API's own message when it sent one
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.key_accepted and self.error is None and not self.cancelled

    def describe(self) -> str:
        """One line for the user."""
        if self.cancelled:
            return tr("Connection test cancelled.")
        if self.ok:
            project_count = self.project_count or 0
            projects = tr_n("{count} project(s)", project_count).format(count=project_count)
            if self.aoi_count is None:
                return tr("Connected: {projects}").format(projects=projects)
            aois = tr_n("{count} AOI(s) visible", self.aoi_count).format(count=self.aoi_count)
            return tr("Connected: {projects}, {aois}").format(projects=projects, aois=aois)
        return self.error or tr("The connection test failed.")


class ConnectionCheckTask(QgsTask):
    checked = pyqtSignal(object)  # ConnectionResult, emitted on the main thread

    def __init__(
        self,
        base_url: str,
        api_key: Optional[str],
        proxy: ProxyConfig,
        qgis_version: str,
        verify: Union[bool, str] = True,
    ) -> None:
        super().__init__(tr("Pixxel: test connection"), QgsTask.Flag.CanCancel)
        self._base_url = base_url
        self._api_key = api_key or ""
        self._proxy = proxy
        self._qgis_version = qgis_version
        self._verify = verify  # as the panel's tasks get it: core.tls.requests_verify()
        self.result: Optional[ConnectionResult] = None

    def run(self) -> bool:
        try:
            self.result = self._check()
        except Exception as exc:  # anything escaping run() would abort QGIS
            log.exception("The connection test failed unexpectedly")
            self.result = ConnectionResult(
                error=tr("The connection test failed unexpectedly: {error}").format(
                    error=str(exc) or type(exc).__name__
                )
            )
        return self.result.ok

    def finished(self, _result: bool) -> None:
        # Cancelled before run() started: no result was made.
        self.checked.emit(self.result or ConnectionResult(cancelled=True))

    def _check(self) -> ConnectionResult:
        try:
            client = PixxelClient(
                self._api_key, self._base_url, proxies=self._proxy.proxies,
                trust_env=self._proxy.trust_env, verify=self._verify, timeouts=CHECK_TIMEOUTS,
                retry=CHECK_RETRY,
                qgis_version=self._qgis_version, is_cancelled=self.isCanceled,
            )
        except ValueError as exc:  # an unusable address
            return ConnectionResult(error=str(exc))
        reachable = key_accepted = False
        projects: Optional[int] = None
        try:
            with client:
                client.ping()  # raises when nothing answers; any HTTP status means reachable
                reachable = True
                self.setProgress(30)
                projects = len(client.projects())
                key_accepted = True
                self.setProgress(70)
                aois = client.aoi_page(0, 1).total
        except CancelledError:
            return ConnectionResult(reachable, key_accepted, projects, cancelled=True)
        except PixxelError as exc:
            error = str(exc)
            if not reachable:
                error = tr("Cannot reach the Pixxel API: {error}").format(error=error)
            return ConnectionResult(reachable, key_accepted, projects, error=error)
        return ConnectionResult(True, True, projects, aois)


_running: Set[ConnectionCheckTask] = set()


def start_connection_check(
    base_url: str,
    api_key: Optional[str],
    proxy: ProxyConfig,
    on_result: Callable[[ConnectionResult], None],
) -> ConnectionCheckTask:
    """Queue a check; `on_result` gets its ConnectionResult on the main thread. Raises
    tls.CaBundleError when REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE names a missing file."""
    # "3.22.16-Białowieża": the release name is not Latin-1, which HTTP headers must be.
    task = ConnectionCheckTask(
        base_url, api_key, proxy, Qgis.QGIS_VERSION.split("-")[0], tls.requests_verify()
    )
    # Connected before addTask: a fast task may finish before a later connect would run.
    task.checked.connect(on_result)
    task.checked.connect(lambda _result: _running.discard(task))
    # The Python side of a queued task must stay referenced until it finishes.
    _running.add(task)
    QgsApplication.taskManager().addTask(task)
    return task


def cancel_running_checks() -> None:
    """For the plugin's unload(): nothing of the plugin may keep running after it."""
    for task in list(_running):
        task.cancel()
