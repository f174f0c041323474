"""What the Pixxel algorithms share: the connection read on the main thread, the feedback as
cancel check and log, errors as QgsProcessingException, and the base class with group and help.

Threads. In the QGIS app an algorithm's processAlgorithm() runs on a worker thread, while
prepareAlgorithm() and postProcessAlgorithm() run on the main thread; in qgis_process and in
`processing.run()` from the Python console everything runs on the calling (main) thread. The API
key may live in the QGIS authentication database, which is read on the main thread only (it may
open the master-password dialog). So prepareAlgorithm() takes the snapshot the dock's tasks use
(core/qgis/connection.current_connection: `PIXXEL_API_KEY` first, so headless runs need no
authentication database at all, else the stored key) and processAlgorithm() only uses that
snapshot. Should a Processing host call prepare or post-processing off the main thread (newer
Graphical Modelers may run a whole model in the background), `call_on_main_thread` hands the
work to the main thread and waits for it.

Secrets. The key is never a parameter (so it is in no Processing history, model or batch file),
and nothing written to the feedback comes unredacted: errors carry the core's messages, built
redacted, and log records pass the redacting filter.
"""

import logging
import threading
from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, Optional, Tuple, TypeVar

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import (
    QCoreApplication,
    QObject,
    Qt,
    pyqtSignal,
    pyqtSlot,
)
from qgis.PyQt.QtGui import QIcon

from ..pixxel.api import PixxelClient
from ..pixxel.errors import PixxelError
from ..pixxel.plugin_info import metadata, resource_path
from ..pixxel.redaction import RedactingFilter, pixxel_logger
from ..qgis.connection import Connection, SetupError, current_connection
from ..qgis.i18n import tr
from ..qgis.main_thread import is_main_thread

T = TypeVar("T")
# An algorithm's parameter values as Processing passes them, and the results it returns.
Parameters = Dict[str, Any]

GROUP_ID = "pixxel"
AOI_ID = "AOI_ID"
NAME_FILTER = "NAME_FILTER"
CRS = "EPSG:4326"  # Pixxel's geometries are GeoJSON
QGIS_PROCESS_PLATFORM = "qgis_process"
_WAIT_STEP = 0.1  # seconds between cancel checks while the main thread works for a worker


def in_qgis_process() -> bool:
    """Whether this is the qgis_process command line (no map, no project worth loading into)."""
    return QgsApplication.instance().platform() == QGIS_PROCESS_PLATFORM


def cancel_check(feedback: Optional[QgsProcessingFeedback]) -> Callable[[], bool]:
    """The feedback as the core's `is_cancelled` (Processing may run an algorithm without one)."""
    if feedback is None:
        return lambda: False
    return feedback.isCanceled


def processing_error(error: PixxelError) -> QgsProcessingException:
    """The exception Processing shows for a failure of the core: the core's own message, which
    carries the API's text when the API sent one (and never the key)."""
    if isinstance(error, SetupError):
        # Its message points at the options page, which scripts and qgis_process have not got.
        return QgsProcessingException(
            tr("{error} Scripts and qgis_process can set the PIXXEL_API_KEY and PIXXEL_API_URL "
               "environment variables instead.").format(error=error.message)
        )
    return QgsProcessingException(error.message)


# --- the main thread -----------------------------------------------------------------------------


class _MainThreadRunner(QObject):
    """Lives on the main thread; a queued signal makes it run jobs there."""

    requested = pyqtSignal(object)

    def __init__(self) -> None:
        super().__init__()
        self.requested.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @pyqtSlot(object)
    def _run(self, job: Callable[[], None]) -> None:
        job()


_runner: Optional[_MainThreadRunner] = None
_runner_lock = threading.Lock()


def _main_thread_runner() -> _MainThreadRunner:
    global _runner
    with _runner_lock:
        if _runner is None:
            runner = _MainThreadRunner()
            # Made on whichever thread asks first; a queued slot runs in its object's thread.
            runner.moveToThread(QCoreApplication.instance().thread())
            _runner = runner
        return _runner


def call_on_main_thread(function: Callable[[], T], feedback: Optional[QgsProcessingFeedback]) -> T:
    """`function()` run on the main thread (directly when already there), its exception
    re-raised here. From a worker it waits for the main thread's event loop, checking for
    cancellation instead of blocking blindly, so a busy main thread cannot hang the worker for
    good."""
    if is_main_thread():
        return function()
    done = threading.Event()
    outcome: Dict[str, Any] = {}

    def job() -> None:
        try:
            outcome["value"] = function()
        except Exception as error:  # handed back to the waiting worker
            outcome["error"] = error
        finally:
            done.set()

    _main_thread_runner().requested.emit(job)
    is_cancelled = cancel_check(feedback)
    while not done.wait(_WAIT_STEP):
        if is_cancelled():
            raise QgsProcessingException(tr("Cancelled."))
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


# --- the Processing log --------------------------------------------------------------------------


class _FeedbackHandler(logging.Handler):
    """Forwards the core's log records (retries, resumed transfers) of one thread to a feedback."""

    def __init__(self, feedback: QgsProcessingFeedback) -> None:
        super().__init__(logging.INFO)
        self._feedback = feedback
        self._thread = threading.get_ident()
        self.addFilter(RedactingFilter())
        self.setFormatter(logging.Formatter("%(message)s"))

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: A003 - logging API name
        # The logger is process-wide: the dock's downloads must not show in this algorithm's log.
        return record.thread == self._thread and super().filter(record)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = self.format(record)
            if record.levelno >= logging.WARNING:
                self._feedback.reportError(message, False)
            else:
                self._feedback.pushInfo(message)
        except Exception:  # logging must never raise into the code that logged
            self.handleError(record)


@contextmanager
def core_log_to(feedback: Optional[QgsProcessingFeedback]) -> Iterator[None]:
    """While active, the core's INFO and WARNING records of this thread go to `feedback`."""
    if feedback is None:
        yield
        return
    logger = pixxel_logger()
    handler = _FeedbackHandler(feedback)
    previous_level = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


# --- parameters ----------------------------------------------------------------------------------


def parse_id_list(text: str) -> Tuple[str, ...]:
    """"a, b,,c " -> ("a", "b", "c"), first occurrence kept."""
    ids = [part.strip() for part in (text or "").split(",")]
    return tuple(dict.fromkeys(item for item in ids if item))


# --- the base class ------------------------------------------------------------------------------


class PluginAlgorithm(QgsProcessingAlgorithm):
    """What every algorithm of the plugin shares: instances of its own class, the icon, the help
    link, and reading and declaring the parameters they all have."""

    def createInstance(self) -> "PluginAlgorithm":  # noqa: N802 - QGIS API name
        return type(self)()

    def icon(self) -> QIcon:
        return QIcon(resource_path("icon.svg"))

    def helpUrl(self) -> str:  # noqa: N802 - QGIS API name
        return metadata()["repository"] + "#processing-algorithms"

    def add_optional_text(self, name: str, label: str, default: Optional[str] = None) -> None:
        self.addParameter(
            QgsProcessingParameterString(name, label, defaultValue=default, optional=True)
        )

    def text(self, parameters: Parameters, name: str, context: QgsProcessingContext) -> str:
        """A string parameter without surrounding blanks ("" when not given)."""
        return self.parameterAsString(parameters, name, context).strip()


class PixxelAlgorithm(PluginAlgorithm):
    """Group, the connection snapshot, the client and the AOI id and name filter parameters shared
    by the algorithms that talk to Pixxel."""

    def __init__(self) -> None:
        super().__init__()
        # Read by prepareAlgorithm on the main thread, used by processAlgorithm on any thread.
        self._connection: Optional[Connection] = None
        self._setup_error: Optional[PixxelError] = None

    def group(self) -> str:
        return tr("Pixxel")

    def groupId(self) -> str:  # noqa: N802 - QGIS API name
        return GROUP_ID

    def prepareAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> bool:
        try:
            # PIXXEL_API_KEY first; else the key from the authentication database, which may ask
            # for the master password: that is why this happens here and not in processAlgorithm.
            self._connection = call_on_main_thread(current_connection, feedback)
        except PixxelError as error:  # no key, a locked database, unusable address or proxy
            # Raised from processAlgorithm: a failed prepare reaches processing.run() callers
            # only as "There were errors executing the algorithm", without the reason.
            self._setup_error = error
        return True

    def connection(self) -> Connection:
        """The snapshot prepareAlgorithm took; raises QgsProcessingException saying what to set
        up when it could not take one."""
        if self._connection is None:
            raise processing_error(
                self._setup_error or SetupError(tr("The Pixxel settings were not read."))
            )
        return self._connection

    @contextmanager
    def client(self, feedback: QgsProcessingFeedback) -> Iterator[PixxelClient]:
        """A client on that snapshot, cancelled by `feedback` and logging to it; the core's errors
        leave as the QgsProcessingException Processing shows."""
        try:
            with core_log_to(feedback), self.connection().client(cancel_check(feedback)) as client:
                yield client
        except PixxelError as error:
            raise processing_error(error) from None

    def add_aoi_id_parameter(self) -> None:
        self.addParameter(QgsProcessingParameterString(AOI_ID, tr("AOI id")))

    def add_name_filter_parameter(self) -> None:
        self.add_optional_text(NAME_FILTER, tr("Name filter"))

    def name_filter(self, parameters: Parameters, context: QgsProcessingContext) -> str:
        """The NAME_FILTER parameter ("" for none)."""
        return self.text(parameters, NAME_FILTER, context)

    def aoi_id(self, parameters: Parameters, context: QgsProcessingContext) -> str:
        """The AOI_ID parameter; raises QgsProcessingException when it is blank."""
        aoi_id = self.text(parameters, AOI_ID, context)
        if not aoi_id:
            raise QgsProcessingException(tr("An AOI id is needed."))
        return aoi_id
