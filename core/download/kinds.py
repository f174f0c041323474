"""The kinds of download: what differs between downloading an AOI's assets and purchased imagery.

job.py runs every download the same way (request → poll → fetch → unpack → manifest); a job's
`kind` supplies the four steps that depend on what is downloaded:

- `name(client, job)`: the download's name, which names its folder, when the job carries none;
- `items(client, job, name)`: the things asked for, checked (BadRequestError naming those that
  cannot be downloaded), as JSON-ready facts for the result's metadata: `id` and `name` at least
  (`name` is a product's name when the item is one product); `bands` (rows of {name, wavelength
  in nm, fwhm, scale, offset, nodata}) when the API describes them; `products` for an item that
  delivers several products, each with its `name` and maybe `bands`;
- `create(client, job)`: the download request; `status(client, job, download_id)`: its state.

Kinds: AOI_ASSETS (`job.aoi_id` an AOI, `job.asset_ids` its assets: `POST
/v0/aois/{id}/downloads`), CATALOGS (`asset_ids` are catalog ids) and ORDER_ITEMS (order item
ids; every delivered catalog of those items), both through `POST /v0/catalogs/download`, one
request per job, never mixing catalog and order item ids.

Purchased imagery lands in `<download folder>/<name>/<product>/…` like an AOI's assets. Its name
(`purchased_name`): the order item's name when everything asked for belongs to one order
item, else the catalog's product name for a single catalog, else "Pixxel purchases". Its
`job.aoi_id`, which keys the folder's manifest, the running-download registry and the layer
group, is `purchased:<name>` (purchased_job.py): purchases of one name share one folder and group,
which an AOI of that name does not (it gets `<name> (2)`).

Pure Python (no Qt).
"""

from typing import Any, Dict, List, Mapping, Optional, Protocol, Sequence, TypeVar

from ..pixxel import purchased
from ..pixxel.api import PixxelClient
from ..pixxel.errors import BadRequestError
from ..pixxel.models import DownloadStatus
from ..pixxel.purchased_models import Catalog, OrderItem
from .manifest import DownloadRequest as DownloadJob  # what the steps read of a job

T = TypeVar("T")

PURCHASED_SCOPE = "purchased:"
FALLBACK_NAME = "Pixxel purchases"


def _in_order(found: Mapping[str, T], ids: Sequence[str], missing: str) -> List[T]:
    """The records of `ids` in that order; BadRequestError "<missing>: <ids not found>."."""
    unknown = [ident for ident in ids if ident not in found]
    if unknown:
        raise BadRequestError(f"{missing}: {', '.join(unknown)}.")
    return [found[ident] for ident in ids]


class DownloadKind(Protocol):
    """The steps of a download that depend on what is downloaded (module docstring)."""

    id: str  # noqa: A003 - "aoi_assets", "catalogs", "order_items"

    def name(self, client: PixxelClient, job: DownloadJob) -> str: ...

    def items(self, client: PixxelClient, job: DownloadJob, name: str
              ) -> List[Dict[str, Any]]: ...

    def create(self, client: PixxelClient, job: DownloadJob) -> DownloadStatus: ...

    def status(self, client: PixxelClient, job: DownloadJob, download_id: str
               ) -> DownloadStatus: ...


class AoiAssets:
    """An AOI's assets (only `success` ones can be downloaded)."""

    id = "aoi_assets"  # noqa: A003 - a kind's name in saved records

    def name(self, client: PixxelClient, job: DownloadJob) -> str:
        return client.aoi(job.aoi_id).name

    def items(self, client: PixxelClient, job: DownloadJob, name: str) -> List[Dict[str, Any]]:
        listed = {asset.id: asset for asset in client.assets(job.aoi_id)}
        assets = _in_order(listed, job.asset_ids, f"These assets are not part of the AOI {name}")
        blocked = [asset for asset in assets if not asset.is_downloadable]
        if blocked:
            names = ", ".join(f"{a.name or a.id} ({a.status or 'no status'})" for a in blocked)
            raise BadRequestError(f"Only finished assets (status success) can be downloaded; "
                                  f"not ready: {names}.")
        return [{"id": asset.id, "name": asset.name,
                 "date": asset.date.date().isoformat() if asset.date else None,
                 "asset_type": asset.asset_type, "resolution": asset.resolution}
                for asset in assets]

    def create(self, client: PixxelClient, job: DownloadJob) -> DownloadStatus:
        return client.create_download(job.aoi_id, job.asset_ids)

    def status(self, client: PixxelClient, job: DownloadJob, download_id: str
               ) -> DownloadStatus:
        return client.download_status(job.aoi_id, download_id)


class _CatalogDownload:
    """What catalogs and order items share: the catalog download endpoints."""

    id = ""  # noqa: A003
    field = ""  # the request's list: catalog_ids or order_item_ids
    resource: purchased.Resource  # where the ids are looked up

    def asked(self, client: PixxelClient, job: DownloadJob) -> List[Any]:
        """The workspace's records of the job's ids, in order; BadRequestError naming those
        not in the workspace."""
        listed = self.resource.all(client, ids=job.asset_ids)
        return _in_order({self.resource.key(row): row for row in listed}, job.asset_ids,
                         f"These {self.resource.what} are not in this workspace")

    def name(self, client: PixxelClient, job: DownloadJob) -> str:
        return purchased_name(client, self, job.asset_ids)

    def create(self, client: PixxelClient, job: DownloadJob) -> DownloadStatus:
        return purchased.create_catalog_download(client, **{self.field: job.asset_ids})

    def status(self, client: PixxelClient, job: DownloadJob, download_id: str
               ) -> DownloadStatus:
        return purchased.catalog_download_status(client, download_id)


class Catalogs(_CatalogDownload):
    """Catalogs of the workspace, by catalog id; each is one product."""

    id = "catalogs"  # noqa: A003
    field = purchased.CATALOG_IDS
    resource = purchased.CATALOGS

    def items(self, client: PixxelClient, job: DownloadJob, name: str) -> List[Dict[str, Any]]:
        return [catalog_facts(catalog) for catalog in self.asked(client, job)]


class OrderItems(_CatalogDownload):
    """Order items, by id: every catalog they delivered, in one zip."""

    id = "order_items"  # noqa: A003
    field = purchased.ORDER_ITEM_IDS
    resource = purchased.ORDER_ITEMS

    def items(self, client: PixxelClient, job: DownloadJob, name: str) -> List[Dict[str, Any]]:
        items = self.asked(client, job)
        delivered = purchased.catalogs(client, order_item_ids=job.asset_ids)
        products = _catalogs_by_item(items, delivered)
        empty = [item for item in items if not products[item.order_item_id]]
        if empty:
            names = ", ".join(f"{i.display_name} ({i.status or 'no status'})" for i in empty)
            raise BadRequestError(f"Only order items with delivered imagery can be downloaded; "
                                  f"nothing delivered yet: {names}.")
        return [{"id": item.order_item_id, "name": item.name, "order_id": item.order_id,
                 "type": item.type, "status": item.status,
                 "products": [catalog_facts(c) for c in products[item.order_item_id]]}
                for item in items]


AOI_ASSETS = AoiAssets()
CATALOGS = Catalogs()
ORDER_ITEMS = OrderItems()
KINDS = {kind.id: kind for kind in (AOI_ASSETS, CATALOGS, ORDER_ITEMS)}


def catalog_facts(catalog: Catalog) -> Dict[str, Any]:
    """A catalog as a download's metadata records it (JSON-ready)."""
    facts: Dict[str, Any] = {
        "id": catalog.catalog_id, "name": catalog.item_id or catalog.name,
        "date": catalog.acquired.date().isoformat() if catalog.acquired else None,
        "platform": catalog.platform, "level": catalog.level, "resolution": catalog.gsd,
    }
    if catalog.bands:
        facts["bands"] = [band.as_row() for band in catalog.bands]
    return facts


def purchased_name(client: PixxelClient, kind: DownloadKind, ids: Sequence[str]) -> str:
    """The name purchased imagery is filed under (module docstring, `filed_name`): looks the
    order items (and for catalogs, the catalogs) up."""
    ids = [ids] if isinstance(ids, str) else list(ids)
    if kind is ORDER_ITEMS:
        return filed_name([i.display_name for i in purchased.order_items(client, ids=ids)])
    found = purchased.catalogs(client, ids=ids)
    tasks = {c.task_id for c in found}
    owners: Dict[Optional[str], str] = {}
    if None not in tasks:
        for item in purchased.iter_order_items(client):
            owners.update((t.task_id, item.display_name) for t in item.tasks if t.task_id in tasks)
            if len(owners) == len(tasks):
                break
    return filed_name([owners.get(c.task_id) for c in found], [c.item_id for c in found])


def filed_name(owners: Sequence[Optional[str]], products: Sequence[str] = ()) -> str:
    """The order item name all of `owners` share (None: not known); else the product's name
    when there is one product; else FALLBACK_NAME."""
    names = set(owners)
    if len(names) == 1 and None not in names and "" not in names:
        return names.pop()
    if len(products) == 1 and products[0]:
        return products[0]
    return FALLBACK_NAME


def _catalogs_by_item(items: Sequence[OrderItem], delivered: Sequence[Catalog]
                      ) -> Dict[str, List[Catalog]]:
    """Each order item's catalogs, through the tasks that delivered them; with a single item,
    every catalog is its own."""
    owner: Dict[Optional[str], str] = {task.task_id: item.order_item_id
                                       for item in items for task in item.tasks}
    found: Dict[str, List[Catalog]] = {item.order_item_id: [] for item in items}
    for catalog in delivered:
        item_id = owner.get(catalog.task_id)
        if item_id is None and len(items) == 1:
            item_id = items[0].order_item_id
        if item_id is not None:
            found[item_id].append(catalog)
    return found
