"""The one download pipeline, shared by the dock's DownloadTask and Processing's
pixxel:downloadassets: in the worker, download → describe → default styles (`fetch_imagery`);
on the main thread, layers (`add_imagery`) and, for big images, an overview task
(`overview_task`).

Nothing here is a QgsTask: callers bring the thread, the progress and the cancel check.
"""

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from ..download.job import DownloadJob, DownloadResult, run_download
from ..download.progress import DownloadProgress
from ..imagery.default_style import write_default_styles
from ..imagery.products import ProductDescription, describe_products
from ..pixxel.api import PixxelClient
from ..pixxel.errors import or_else
from ..pixxel.redaction import pixxel_logger
from ..pixxel.retry import never_cancelled
from .i18n import tr
from .layers import AddedLayers, add_products_to_project
from .overviews import OverviewTask

log = pixxel_logger()


@dataclass(frozen=True)
class Imagery:
    """What a download delivered, described in the worker: plain values for the main thread.
    `products` is empty when the caller asked for no description (qgis_process loads nothing)."""

    job: DownloadJob
    result: DownloadResult
    products: Tuple[ProductDescription, ...]

    @property
    def asset_info(self) -> Dict[str, Dict[str, Any]]:
        """Asset id and name per product name, for the layers' metadata, from what the download
        recorded: Pixxel names a product after its asset (or catalog)."""
        return {
            asset["name"]: {"id": asset.get("id"), "name": asset["name"]}
            for asset in recorded_products(self.result)
        }


def recorded_products(result: DownloadResult) -> List[Mapping[str, Any]]:
    """What the download recorded of each item it asked for and of each product an item
    delivered (an order item's catalogs: core/download/kinds.py), those with a name."""
    found = []
    for item in result.metadata.get("assets", []):
        if isinstance(item, Mapping):
            found += [item] + [p for p in item.get("products") or () if isinstance(p, Mapping)]
    return [entry for entry in found if entry.get("name")]


def band_tables(result: DownloadResult) -> Dict[str, Any]:
    """Per product name, the bands the API described (purchased imagery's STAC bands), for the
    products whose files carry no wavelengths."""
    return {entry["name"]: entry["bands"] for entry in recorded_products(result)
            if isinstance(entry.get("bands"), list)}


def fetch_imagery(
    client: PixxelClient,
    job: DownloadJob,
    *,
    rgb_band_names: Optional[Mapping[str, str]] = None,
    satellite_id: Optional[str] = None,
    describe: bool = True,
    on_progress: Optional[Callable[[DownloadProgress], None]] = None,
    is_cancelled: Callable[[], bool] = never_cancelled,
) -> Imagery:
    """Worker: run the download, then (with `describe`) find each product's bands, true colour
    and stretch and write its default style. True colour comes from `rgb_band_names`, else from
    the satellite's band table when `satellite_id` is given, else from the wavelengths."""
    result = run_download(client, job, on_progress=on_progress, is_cancelled=is_cancelled)
    if not describe:
        return Imagery(job, result, ())
    if rgb_band_names is None and satellite_id:
        rgb_band_names = satellite_rgb_bands(client, satellite_id)
    products = describe_products(
        result.files, rgb_band_names=rgb_band_names, band_tables=band_tables(result),
        is_cancelled=is_cancelled,
    )
    write_default_styles(products)
    return Imagery(job, result, tuple(products))


def satellite_rgb_bands(client: PixxelClient, satellite_id: str) -> Optional[Dict[str, str]]:
    """The satellite's true-colour bands, None when Pixxel does not name them."""
    # describe_products finds true colour from the wavelengths too: the download stands.
    satellites = or_else(client.satellites, [], "The satellites list is unavailable: %s")
    satellite = next((s for s in satellites if s.id == satellite_id), None)
    return satellite.rgb_composite if satellite is not None else None


def add_imagery(imagery: Imagery, *, project: Any = None, canvas: Any = None) -> AddedLayers:
    """Main thread: the products as styled layers in the AOI's group of `project` (the open
    project by default); `canvas` zooms to them when the map showed nothing."""
    return add_products_to_project(
        imagery.products,
        aoi_name=imagery.job.aoi_name or "",
        aoi_id=imagery.job.aoi_id,
        asset_info=imagery.asset_info,
        project=project,
        canvas=canvas,
    )


def overview_task(imagery: Imagery) -> Optional[OverviewTask]:
    """A task building overviews for the images that need them (big, none built in), or None."""
    slow = [product.image for product in imagery.products if product.needs_overviews]
    if not slow:
        return None
    what = imagery.job.aoi_name or imagery.job.aoi_id
    return OverviewTask(slow, tr("Building overviews for {aoi}").format(aoi=what))
