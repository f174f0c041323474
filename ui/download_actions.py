"""Downloads started from the dock: a DownloadTask through the registry, its progress in the
downloads view, its end in the message bar, and what the view asks for (cancel, add to map again /
resume / retry, remove).

A download outlives the dock: the registry owns its task and the history records its start and
end, so closing the dock only stops this object from listening.
"""

from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

from qgis.PyQt.QtCore import QObject

from ..core.download.kinds import AOI_ASSETS, KINDS
from ..core.pixxel.errors import CancelledError
from ..core.pixxel.models import Asset, Satellite
from ..core.qgis import settings
from ..core.qgis.connection import Connection
from ..core.qgis.i18n import tr, tr_n
from ..core.qgis.registry import TaskRegistry
from ..core.qgis.tasks import DownloadTask, download_key
from .downloads_view import DownloadsView
from .lifetime import alive, disconnect
from .notices import Notices


class DownloadActions(QObject):
    """`connection` gives the dock's connection, or None once the dock has said why not;
    `satellite_of` gives a listed AOI's satellite (for its true-colour bands)."""

    def __init__(
        self,
        *,
        registry: TaskRegistry,
        history: Any,
        view: DownloadsView,
        connection: Callable[[], Optional[Connection]],
        satellite_of: Callable[[str], Optional[Satellite]],
        notices: Notices,
        iface: Any,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._registry = registry
        self._history = history
        self._view = view
        self._connection = connection
        self._satellite_of = satellite_of
        self._notices = notices
        self._iface = iface
        view.cancelRequested.connect(self.cancel)
        view.againRequested.connect(self.again)
        view.removeRequested.connect(self._remove)

    def start(
        self,
        aoi_id: str,
        aoi_name: str,
        assets: List[Asset],
        destination_root: Optional[str] = None,
        load_layers: Optional[bool] = None,
    ) -> Optional[DownloadTask]:
        """Start (or refuse as a duplicate) the download of `assets`; None when not started.
        `load_layers` None follows the "load after download" setting."""
        from ..core.download.job import DownloadJob

        values = settings.load()
        job = DownloadJob(
            aoi_id,
            tuple(asset.id for asset in assets),
            Path(destination_root or values.download_folder),
            aoi_name=aoi_name or None,
            keep_zip=values.keep_zips,
            stall=values.stall,
        )
        satellite = self._satellite_of(aoi_id)
        rgb = satellite.rgb_composite if satellite and satellite.rgb_band_names else None
        asset_info = {asset.name or asset.id: {"id": asset.id, "name": asset.name}
                      for asset in assets}
        return self._launch(job, asset_info, rgb, load_layers)

    def start_purchased(
        self,
        kind: Any,
        ids: Sequence[str],
        name: str,
        destination_root: Optional[str] = None,
        load_layers: Optional[bool] = None,
        names: Optional[Dict[str, str]] = None,
    ) -> Optional[DownloadTask]:
        """Start the download of catalogs or order items (`kind`, core/download/kinds.py) filed
        under `name`; `names` gives their names by id (for the downloads list). None when not
        started."""
        from ..core.download.purchased_job import purchased_job

        values = settings.load()
        job = purchased_job(kind, ids, Path(destination_root or values.download_folder),
                            name=name, keep_zip=values.keep_zips, stall=values.stall)
        info = {label: {"id": key, "name": label} for key, label in (names or {}).items()}
        return self._launch(job, info, None, load_layers)

    def _launch(self, job: Any, asset_info: Dict[str, Dict[str, str]], rgb: Optional[Dict],
                load_layers: Optional[bool]) -> Optional[DownloadTask]:
        if self._registry.is_running(download_key(job.aoi_id, job.asset_ids)):
            self._notices.notify("info", tr("This download is already running."))
            return None
        connection = self._connection()
        if connection is None:
            self._notices.notify("critical", tr("Set your Pixxel API key before downloading."))
            return None
        values = settings.load()
        task = DownloadTask(
            connection,
            job,
            rgb_band_names=rgb,
            load_layers=values.load_after_download if load_layers is None else load_layers,
            build_overviews=values.build_overviews,
            asset_info=asset_info,
            canvas=self._iface.mapCanvas() if self._iface is not None else None,
        )
        entry = self._history.record_start(task)
        view = self._view

        def show_progress(progress: Any, entry_id: str = entry.id) -> None:
            if alive(view):
                view.set_progress(entry_id, progress)

        task.downloadProgress.connect(show_progress)
        # The history first, and not through the dock: a download outlives a closed dock.
        task.completed.connect(self._history.record_end)
        task.completed.connect(self._completed)
        if not self._registry.start(task):
            # Refused after all (a second click racing, or the plugin unloading).
            self._history.remove(entry.id)
            self._notices.notify("info", tr("This download is already running."))
            return None
        self._view.download_started(entry.id)
        return task

    def _completed(self, task: DownloadTask) -> None:
        self._view.download_ended(task.history_id)
        what = task.job.aoi_name or task.job.aoi_id
        if task.error is None:
            images = list(task.layers.image_layers) if task.layers is not None else []
            folder = str(task.result.folder) if task.result is not None else ""
            if images:
                text = tr_n("{aoi}: {count} image(s) added to the map.", len(images)).format(
                    aoi=what, count=len(images)
                )
            else:
                text = tr("{aoi}: downloaded to {folder}.").format(aoi=what, folder=folder)
            self._notices.notify("success", text, folder=folder, layers=images)
        elif isinstance(task.error, CancelledError):
            self._notices.notify(
                "info", tr("The download of {aoi} was cancelled.").format(aoi=what)
            )
        else:
            self._notices.notify(
                "critical",
                tr("The download of {aoi} failed: {error} Details are in the Pixxel tab of the "
                   "log messages panel.").format(aoi=what, error=task.error),
            )

    def cancel(self, entry_id: str) -> bool:
        task = self._registry.download_for(entry_id)
        if not alive(task):
            return False
        task.cancel()
        return True

    def again(self, entry_id: str) -> Optional[DownloadTask]:
        """Add to map again / resume / retry: the same request once more. Files already complete
        are not fetched again and `.part` files are continued."""
        entry = self._history.get(entry_id)
        if entry is None:
            return None
        names = dict(zip(entry.asset_ids, entry.asset_names))
        assets = [Asset(id=asset_id, aoi_id=entry.aoi_id, name=names.get(asset_id, ""))
                  for asset_id in entry.asset_ids]
        # "Add to map" on a finished download is an explicit request for the layers, whatever
        # the load-after-download setting says; Resume and Retry follow the setting.
        options = {"destination_root": entry.destination_root or None,
                   "load_layers": True if entry.state == "done" else None}
        kind = KINDS.get(entry.kind, AOI_ASSETS)
        if kind is AOI_ASSETS:
            task = self.start(entry.aoi_id, entry.aoi_name, assets, **options)
        else:
            task = self.start_purchased(kind, entry.asset_ids, entry.aoi_name, names=names,
                                        **options)
        if task is not None:
            self._history.remove(entry_id)  # the new entry stands for the same request
        return task

    def _remove(self, entry_id: str) -> None:
        if self._registry.download_for(entry_id) is None:
            self._history.remove(entry_id)

    def detach(self) -> None:
        """Stop listening to the running downloads; they go on, and the history records them."""
        for task in self._registry.running():
            if isinstance(task, DownloadTask) and alive(task):
                disconnect(task.completed, self._completed)
