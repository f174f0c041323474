"""Every background QgsTask that talks to Pixxel, and the registry that keeps them alive.

The dock and Processing start network work only through here. The rules they rely on:

- Inputs are plain values read on the main thread (`current_connection()`: settings, the key from
  the auth database, QGIS' proxy), so `run()` never touches QgsSettings, the auth manager,
  QgsProject or a widget.
- `run()` never raises: an exception escaping it aborts QGIS. A PixxelError is stored in `.error`
  as is (its message is written for the user); anything else is a bug, stored as InternalError
  with its traceback in the Pixxel log (redacted like every record). A cancellation leaves a
  CancelledError in `.error`.
- Every task emits `completed(task)` from `finished()`, on the main thread, once its results (and,
  for a download, its layers) are in place, whatever the outcome.
- QGIS deletes a task's C++ side once it has finished, and a task whose Python side is collected
  while it still runs takes QGIS down. TaskRegistry holds each task until it has ended, refuses a
  second identical download, and cancels everything in the plugin's unload().
"""

import time
import traceback
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from qgis.core import Qgis, QgsApplication, QgsTask
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QEventLoop, QObject, pyqtSignal

from ..download.job import DownloadJob, DownloadResult, run_download
from ..imagery.default_style import write_default_styles
from ..imagery.products import ProductDescription, describe_products
from ..pixxel.api import PAGE_SIZE, PixxelClient
from ..pixxel.errors import CancelledError, PixxelError
from ..pixxel.models import Aoi, Asset, Project, Satellite
from ..pixxel.redaction import pixxel_logger, redactor
from . import credentials, settings, tls
from .i18n import tr
from .layers import AddedLayers, add_products_to_project
from .overviews import OverviewTask
from .proxy import current_proxy_config

log = pixxel_logger()


class SetupError(PixxelError):
    """The plugin cannot connect yet: no API key, an unusable API address, or an authentication
    database that stayed locked. The message says what to fix and where."""


class InternalError(PixxelError):
    """Something no PixxelError describes (a bug, an unforeseen condition); the traceback is in
    the Pixxel log."""


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Connection:
    """What a worker needs to reach Pixxel, as plain values read on the main thread."""

    api_key: str = field(repr=False)
    base_url: str
    proxies: Mapping[str, str] = field(default_factory=dict, hash=False)
    trust_env: bool = False
    # requests' `verify`: True for its default CA bundle, or the CA bundle file (core/tls.py).
    verify: Union[bool, str] = True
    qgis_version: str = ""

    def __post_init__(self) -> None:
        # Registered as soon as the key is in hand, not when a client is built: an error raised
        # before that (an unusable address, say) must not show the key either.
        redactor.register(self.api_key)

    def client(self, is_cancelled: Callable[[], bool] = _never) -> PixxelClient:
        """A new client (and connection pool) for one task; close it when done."""
        return PixxelClient(
            self.api_key, self.base_url, proxies=dict(self.proxies), trust_env=self.trust_env,
            verify=self.verify, qgis_version=self.qgis_version, is_cancelled=is_cancelled,
        )


def current_connection() -> Connection:
    """The connection the user configured. Main thread only (QgsSettings, the auth database,
    possibly its master-password prompt, the CAs QGIS trusts). Raises SetupError when there is no
    key, the address is unusable or the key cannot be read, ProxySettingsError for an unusable
    QGIS proxy and tls.CaBundleError for a REQUESTS_CA_BUNDLE that does not exist."""
    values = settings.load()
    address_error = settings.base_url_error(values.base_url)
    if address_error:
        raise SetupError(address_error)
    try:
        key = credentials.api_key()
    except credentials.CredentialsError as error:
        raise SetupError(str(error)) from error
    if not key:
        raise SetupError(tr("Set your Pixxel API key in Settings → Options → Pixxel."))
    proxy = current_proxy_config()
    return Connection(
        api_key=key,
        base_url=values.base_url,
        proxies=MappingProxyType(dict(proxy.proxies)),
        trust_env=proxy.trust_env,
        verify=tls.requests_verify(),
        qgis_version=Qgis.QGIS_VERSION,
    )


class PixxelTask(QgsTask):
    """Base of the plugin's network tasks: subclasses implement `work(client)`, which runs in the
    worker and may raise; `run()` turns every outcome into `.error`."""

    completed = pyqtSignal(object)  # the task itself, from finished(), on the main thread

    def __init__(self, description: str, connection: Connection) -> None:
        super().__init__(description, QgsTask.Flag.CanCancel)
        self.connection = connection
        self.error: Optional[PixxelError] = None

    def work(self, client: PixxelClient) -> None:
        raise NotImplementedError

    def run(self) -> bool:
        try:
            with self.connection.client(self.isCanceled) as client:
                self.work(client)
        except PixxelError as error:
            self.error = error
        # BaseException too: whatever escapes run() aborts QGIS, SystemExit from a library included.
        except BaseException as error:
            self.error = _unexpected_error(error, self.description())
        if self.error is None and self.isCanceled():
            self.error = CancelledError(tr("Cancelled."))
        return self.error is None

    def finished(self, ok: bool) -> None:
        # Cancelled before run() started: QGIS calls finished(False) without running anything.
        if not ok and self.error is None:
            self.error = CancelledError(tr("Cancelled."))
        self.completed.emit(self)

    @property
    def cancelled(self) -> bool:
        return isinstance(self.error, CancelledError)


def _unexpected_error(error: BaseException, what: str) -> InternalError:
    """An InternalError for the user; the full traceback goes to the log. The traceback is put
    into the message text, not passed as exc_info, because the redacting filter sees only the
    message: a request's exception text can carry a signed URL."""
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    log.error("%s failed unexpectedly:\n%s", what, trace)
    detail = redactor.redact(f"{type(error).__name__}: {error}")
    return InternalError(
        tr("{what} failed unexpectedly ({detail}). Details are in the Pixxel log.").format(
            what=what, detail=detail
        )
    )


class AoiListTask(PixxelTask):
    """The AOIs matching the filters, page by page, so the dock can show rows at once."""

    firstPage = pyqtSignal(object, int)  # noqa: N815 - Qt signal naming; (list[Aoi], total or -1)
    morePages = pyqtSignal(object)  # noqa: N815 - Qt signal naming; list[Aoi], one per page

    def __init__(
        self,
        connection: Connection,
        *,
        name: Optional[str] = None,
        project_ids: Optional[Sequence[str]] = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(tr("Listing Pixxel AOIs"), connection)
        self.name = name
        self.project_ids = tuple(project_ids) if project_ids is not None else None
        self.page_size = page_size
        self.aois: List[Aoi] = []
        self.total: Optional[int] = None

    def work(self, client: PixxelClient) -> None:
        # The API client's own paging rules (advance by the rows received, stop at the total or at
        # a page with nothing new), with a signal per page.
        seen: set = set()
        offset = 0
        while True:
            page = client.aoi_page(
                offset, self.page_size, name=self.name, project_ids=self.project_ids
            )
            fresh = [aoi for aoi in page.items if aoi.aoi_id not in seen]
            seen.update(aoi.aoi_id for aoi in fresh)
            self.aois.extend(fresh)
            if page.total is not None:
                self.total = page.total
            if offset == 0:
                self.firstPage.emit(fresh, -1 if page.total is None else page.total)
            elif fresh:
                self.morePages.emit(fresh)
            offset += len(page.items)
            if page.total:
                self.setProgress(min(100.0, 100.0 * offset / page.total))
            if not fresh or (page.total is not None and offset >= page.total):
                break
        if self.total is None:
            self.total = len(self.aois)


class AssetListTask(PixxelTask):
    """Every asset of one AOI."""

    def __init__(self, connection: Connection, aoi_id: str) -> None:
        super().__init__(tr("Listing Pixxel assets"), connection)
        self.aoi_id = aoi_id
        self.assets: List[Asset] = []

    def work(self, client: PixxelClient) -> None:
        self.assets = client.assets(self.aoi_id)


class CatalogTask(PixxelTask):
    """The projects the key sees and the satellites' band tables, fetched once per session."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(tr("Reading the Pixxel catalogue"), connection)
        self.projects: List[Project] = []
        self.satellites: List[Satellite] = []

    def work(self, client: PixxelClient) -> None:
        self.projects = client.projects()
        try:
            self.satellites = client.satellites()
        except CancelledError:
            raise
        except PixxelError as error:
            # Satellites only name the true-colour bands, which products.py also finds from
            # wavelengths: without them the dock still lists and downloads everything.
            log.warning("The satellites list is unavailable: %s", error)


class DownloadTask(PixxelTask):
    """One download request: fetch, unpack and describe in the worker; layers and overviews on the
    main thread in finished(). Afterwards: `.result` (DownloadResult), `.products`, `.layers`
    (AddedLayers or None), `.overview_task`, `.error`."""

    downloadProgress = pyqtSignal(object)  # noqa: N815 - Qt signal naming; core.download progress
    # A task to start after this one (building overviews). TaskRegistry starts it; a download
    # started some other way leaves it in `.overview_task` for its caller.
    followUp = pyqtSignal(object)  # noqa: N815 - Qt signal naming

    def __init__(
        self,
        connection: Connection,
        job: DownloadJob,
        *,
        rgb_band_names: Optional[Mapping[str, str]] = None,
        load_layers: bool = True,
        build_overviews: bool = True,
        asset_info: Optional[Mapping[str, Mapping]] = None,
        canvas: Any = None,  # QgsMapCanvas to zoom when the project was empty; no gui import here
    ) -> None:
        super().__init__(
            tr("Downloading {aoi} from Pixxel").format(aoi=job.aoi_name or job.aoi_id), connection
        )
        self.job = job
        self.key: Tuple[str, frozenset] = download_key(job.aoi_id, job.asset_ids)
        self.rgb_band_names = dict(rgb_band_names) if rgb_band_names else None
        self.load_layers = load_layers
        self.build_overviews = build_overviews
        self.asset_info = {name: dict(info) for name, info in (asset_info or {}).items()}
        self.canvas = canvas
        self.history_id: Optional[str] = None  # set by DownloadHistory.record_start()
        self.result: Optional[DownloadResult] = None
        self.products: List[ProductDescription] = []
        self.layers: Optional[AddedLayers] = None
        self.overview_task: Optional[OverviewTask] = None

    def work(self, client: PixxelClient) -> None:
        self.result = run_download(
            client, self.job, on_progress=self._progress, is_cancelled=self.isCanceled
        )
        self.products = describe_products(
            self.result.files, rgb_band_names=self.rgb_band_names, is_cancelled=self.isCanceled
        )
        write_default_styles(self.products)

    def _progress(self, progress: Any) -> None:
        self.setProgress(100.0 * progress.fraction)
        self.downloadProgress.emit(progress)

    def finished(self, ok: bool) -> None:
        if ok:
            try:
                self._show_products()
            # Nothing may escape into QGIS' task manager; the user learns through `.error`.
            except BaseException as error:
                self.error = _unexpected_error(error, tr("Adding the downloaded layers"))
        super().finished(ok)
        self._log_outcome()

    def _show_products(self) -> None:
        if self.load_layers and self.products:
            self.layers = add_products_to_project(
                self.products,
                aoi_name=self.job.aoi_name or "",
                aoi_id=self.job.aoi_id,
                asset_info=self.asset_info or _assets_by_product(self.result),
                canvas=self.canvas,
            )
        slow = [product.image for product in self.products if product.needs_overviews]
        if self.build_overviews and slow:
            self.overview_task = OverviewTask(
                slow,
                tr("Building overviews for {aoi}").format(
                    aoi=self.job.aoi_name or self.job.aoi_id
                ),
            )
            self.followUp.emit(self.overview_task)

    def _log_outcome(self) -> None:
        what = self.job.aoi_name or self.job.aoi_id
        if self.error is None and self.result is not None:
            log.info(
                "Downloaded %d asset(s) of %s to %s: %d image(s)%s.",
                len(self.job.asset_ids), what, self.result.folder, len(self.products),
                " (already on disk)" if self.result.reused else "",
            )
        elif self.cancelled:
            log.info("The download of %s was cancelled.", what)
        else:
            log.warning("The download of %s failed: %s", what, self.error)


def _assets_by_product(result: Optional[DownloadResult]) -> Dict[str, Dict[str, Any]]:
    """Asset id and name per product name, for the layers' metadata, from what the download
    recorded: Pixxel names a product after its asset."""
    assets = result.metadata.get("assets", []) if result is not None else []
    return {
        asset["name"]: {"id": asset.get("id"), "name": asset["name"]}
        for asset in assets
        if isinstance(asset, Mapping) and asset.get("name")
    }


def download_key(aoi_id: str, asset_ids: Sequence[str]) -> Tuple[str, frozenset]:
    """What makes two download requests "the same": the AOI and the set of assets."""
    return (aoi_id, frozenset(asset_ids))


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
