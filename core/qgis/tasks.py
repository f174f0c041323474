"""Every background QgsTask that talks to Pixxel.

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
  second identical download, and cancels everything in the plugin's unload() (registry.py).
"""

import traceback
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from qgis.core import QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ..download.job import DownloadJob, DownloadResult
from ..imagery.products import ProductDescription
from ..pixxel.api import PAGE_SIZE, PixxelClient
from ..pixxel.errors import CancelledError, PixxelError, or_else
from ..pixxel.models import Aoi, Asset, Project, Satellite
from ..pixxel.redaction import pixxel_logger, redactor
from .connection import Connection
from .i18n import tr
from .layers import AddedLayers
from .overviews import OverviewTask
from .pipeline import Imagery, add_imagery, fetch_imagery, overview_task

log = pixxel_logger()


class InternalError(PixxelError):
    """Something no PixxelError describes (a bug, an unforeseen condition); the traceback is in
    the Pixxel log."""


class PixxelTask(QgsTask):
    """Base of the plugin's network tasks: subclasses implement `work(client)`, which runs in the
    worker and may raise; `run()` turns every outcome into `.error`."""

    completed = pyqtSignal(object)  # the task itself, from finished(), on the main thread

    def __init__(
        self, description: str, connection: Connection, flags: Any = QgsTask.Flag.CanCancel
    ) -> None:
        super().__init__(description, flags)
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


def incomplete_listing_notice() -> str:
    """What the dock and Processing say when a listing may be incomplete (the server repeated a
    page: core/pixxel/paging.py)."""
    return tr("The server returned the same page twice; the list may be incomplete.")


class AoiListTask(PixxelTask):
    """The AOIs matching the filters, page by page, so the dock can show rows at once.
    Afterwards `incomplete` says whether the server repeated a page (the list may lack AOIs)."""

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
        self.incomplete = False

    def work(self, client: PixxelClient) -> None:
        # The API client's own paging rules and limits (core/pixxel/paging.py), with a signal per
        # page.
        pager = client.pager("AOIs", lambda aoi: aoi.aoi_id)
        while not pager.done:
            page = client.aoi_page(
                pager.offset, self.page_size, name=self.name, project_ids=self.project_ids
            )
            first = pager.pages == 0
            fresh = pager.take(page)
            self.aois.extend(fresh)
            if page.total is not None:
                self.total = page.total
            if first:
                self.firstPage.emit(fresh, -1 if page.total is None else page.total)
            elif fresh:
                self.morePages.emit(fresh)
            if page.total:
                self.setProgress(min(100.0, 100.0 * pager.offset / page.total))
        pager.raise_if_stopped()  # after the last page was shown: what came is kept
        self.incomplete = pager.incomplete
        if self.total is None:
            self.total = len(self.aois)


class AssetListTask(PixxelTask):
    """Every asset of one AOI; `incomplete` as for AoiListTask."""

    def __init__(self, connection: Connection, aoi_id: str) -> None:
        super().__init__(tr("Listing Pixxel assets"), connection)
        self.aoi_id = aoi_id
        self.assets: List[Asset] = []
        self.incomplete = False

    def work(self, client: PixxelClient) -> None:
        listing = client.iter_assets(self.aoi_id)
        self.assets = list(listing)
        self.incomplete = listing.incomplete


class CatalogTask(PixxelTask):
    """The projects the key sees and the satellites' band tables, fetched once per session."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(tr("Reading the Pixxel catalogue"), connection)
        self.projects: List[Project] = []
        self.satellites: List[Satellite] = []

    def work(self, client: PixxelClient) -> None:
        self.projects = client.projects()
        # Satellites only name the true-colour bands, which products.py also finds from
        # wavelengths: without them the dock still lists and downloads everything.
        self.satellites = or_else(client.satellites, [], "The satellites list is unavailable: %s")


class DownloadTask(PixxelTask):
    """One download request through the download pipeline (core/qgis/pipeline.py): fetch, unpack
    and describe in the worker; layers and overviews on the main thread in finished().
    Afterwards: `.result` (DownloadResult), `.products`, `.layers` (AddedLayers or None),
    `.overview_task`, `.error`."""

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
        # The assets' names as the dock listed them, for the history while the download runs.
        self.asset_info = {name: dict(info) for name, info in (asset_info or {}).items()}
        self.canvas = canvas
        self.history_id: Optional[str] = None  # set by DownloadHistory.record_start()
        self.imagery: Optional[Imagery] = None
        self.result: Optional[DownloadResult] = None
        self.products: List[ProductDescription] = []
        self.layers: Optional[AddedLayers] = None
        self.overview_task: Optional[OverviewTask] = None

    def work(self, client: PixxelClient) -> None:
        self.imagery = fetch_imagery(
            client, self.job, rgb_band_names=self.rgb_band_names,
            on_progress=self._progress, is_cancelled=self.isCanceled,
        )
        self.result = self.imagery.result
        self.products = list(self.imagery.products)

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
        if self.imagery is None:
            return
        if self.load_layers and self.imagery.products:
            self.layers = add_imagery(self.imagery, canvas=self.canvas)
        if self.build_overviews:
            self.overview_task = overview_task(self.imagery)
            if self.overview_task is not None:
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


def download_key(aoi_id: str, asset_ids: Sequence[str]) -> Tuple[str, frozenset]:
    """What makes two download requests "the same": the AOI and the set of assets."""
    return (aoi_id, frozenset(asset_ids))


