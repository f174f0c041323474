"""A local Pixxel-compatible API and storage server for tests, benchmarks and demos.

    from sandbox import Sandbox, SandboxConfig
    with Sandbox(SandboxConfig(product_size="tiny", data_dir=tmp)) as sb:
        requests.get(f"{sb.api_url}/v0/aois", headers={"Authorization": sb.api_key})

Dev tool only: not shipped in the plugin.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator, Optional, Union

from .api import ApiServer
from .archive import Archive
from .atlas import Atlas
from .catalog import Catalog, size_bytes
from .downloads import DeliveryFiles, DownloadRegistry
from .faults import FaultRegistry
from .httpbase import RecordedRequest, RequestLog
from .orders import Purchases
from .previews import Thumbnails
from .signing import UrlSigner
from .storage import StorageServer

__all__ = ["RecordedRequest", "Sandbox", "SandboxConfig"]

DEMO_KEY = "pixxel-demo-key-0001"
VIEWER_KEY = "pixxel-viewer-key-0002"  # reads everything, but may not place orders (403)
RUNTIME_OPTIONS = frozenset({"page_cap", "status_case", "satellite_field", "timestamp_style",
                             "ready_after_polls", "ready_after_seconds", "url_ttl_seconds",
                             "content_md5", "order_ready_after_polls", "catalog_status_case",
                             "delivery_status_style", "stac_bbox"})
CHOICES = {"status_case": ("upper", "lower"),
           "satellite_field": ("satellite_id", "lens_satellite_id"),
           "timestamp_style": ("iso", "space", "z"),
           "catalog_status_case": ("lower", "upper"),
           "delivery_status_style": ("enum", "example"),
           "stac_bbox": ("string", "number")}


def default_data_dir() -> Path:
    return Path(os.environ.get("PIXXEL_SANDBOX_DATA") or Path.home() / ".cache" / "pixxel-sandbox")


@dataclass(frozen=True)
class SandboxConfig:
    host: str = "127.0.0.1"
    api_port: int = 0  # 0: any free port
    storage_port: int = 0
    data_dir: Path = field(default_factory=default_data_dir)  # product cache
    seed: int = 42
    api_keys: tuple = (DEMO_KEY,)  # the first one is "the demo key"
    viewer_keys: tuple = (VIEWER_KEY,)  # accepted everywhere except POST /v0/orders (403)
    product_size: Union[str, int] = "small"  # tiny | small | medium | large | bytes
    aoi_count: int = 30
    ready_after_polls: int = 1
    ready_after_seconds: float = 0.0
    url_ttl_seconds: float = 3600.0
    page_cap: Optional[int] = None  # max rows per page whatever limit is asked; None = 100
    status_case: str = "upper"  # download status "PENDING"/"SUCCESS" or "pending"/"success"
    satellite_field: str = "satellite_id"  # or "lens_satellite_id" (seen in Pixxel's pages)
    timestamp_style: str = "iso"  # "iso" | "space" | "z"
    content_md5: bool = True
    order_ready_after_polls: int = 2  # purchased-imagery polls until a live order is fulfilled
    catalog_status_case: str = "lower"  # catalog downloads: "success" (spec) or "SUCCESS"
    delivery_status_style: str = "enum"  # "enum" (schema) or "example" ("SUCCESSFUL", ...)
    stac_bbox: str = "string"  # archive items' bbox: strings (the spec) or numbers (STAC)

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        object.__setattr__(self, "api_keys", tuple(self.api_keys))
        object.__setattr__(self, "viewer_keys", tuple(self.viewer_keys))
        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, not {getattr(self, name)!r}")
        if not self.api_keys or not all(isinstance(k, str) and k for k in self.api_keys):
            raise ValueError("api_keys must hold at least one non-empty key")
        if self.page_cap is not None and self.page_cap < 1:
            raise ValueError("page_cap must be at least 1 (or None)")
        if min(self.ready_after_polls, self.ready_after_seconds, self.order_ready_after_polls) < 0:
            raise ValueError("ready_after_polls, ready_after_seconds and order_ready_after_polls "
                             "cannot be negative")
        size_bytes(self.product_size)

    @property
    def cache_dir(self) -> Path:
        # Products are cached by name; names depend on the seed and contents on the size, so
        # each (seed, size) gets its own folder in a shared data dir.
        size = self.product_size if isinstance(self.product_size, str) else f"{self.product_size}B"
        return self.data_dir / f"seed{self.seed}-{size}"


class Sandbox:
    """The API server, the storage server and the state they share."""

    def __init__(self, config: Optional[SandboxConfig] = None, *, verbose: bool = False) -> None:
        self.initial_config = config or SandboxConfig()
        self.config = self.initial_config
        self.catalog = Catalog(self.config.seed, self.config.aoi_count, self.config.product_size)
        self.faults = FaultRegistry()
        self.verbose = verbose
        self._log = RequestLog()
        self._files = DeliveryFiles(self.catalog, self.config.cache_dir)
        self._signer = UrlSigner()
        self._downloads = DownloadRegistry(self._files, self._signer, self._settings)
        self.archive = Archive(self.catalog)
        self.purchases = Purchases(self.catalog, self.archive, self._settings)
        self.atlas = Atlas(self.catalog)
        self._thumbnails = Thumbnails(self.config.cache_dir, self.purchases.item)
        self._api: Optional[ApiServer] = None
        self._storage: Optional[StorageServer] = None

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> Sandbox:
        if self._api is not None:
            return self
        config = self.config
        common = {"faults": self.faults, "log": self._log, "verbose": self.verbose}
        self._storage = StorageServer(config.host, config.storage_port, signer=self._signer,
                                      resolve=self._resolve, settings=self._settings, **common)
        try:
            self._api = ApiServer(config.host, config.api_port, catalog=self.catalog,
                                  downloads=self._downloads, settings=self._settings, admin=self,
                                  purchases=self.purchases, archive=self.archive,
                                  atlas=self.atlas, **common)
        except OSError:
            self._storage.server_close()
            self._storage = None
            raise
        self._downloads.storage_url = self._storage.url
        self._storage.start()
        self._api.start()
        return self

    def stop(self) -> None:
        for server in (self._api, self._storage):
            if server is not None:
                server.stop()
        self._api = self._storage = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return self._running(self._api).url

    @property
    def storage_url(self) -> str:
        return self._running(self._storage).url

    @property
    def api_key(self) -> str:
        return self.config.api_keys[0]

    @property
    def viewer_key(self) -> Optional[str]:
        """A key that reads everything but may not place orders, if any is configured."""
        return self.config.viewer_keys[0] if self.config.viewer_keys else None

    # -- test controls -------------------------------------------------------------------------

    @property
    def requests(self) -> list:
        return self._log.snapshot()

    def reset(self) -> None:
        """Clear faults, downloads, placed orders, recorded requests and counters; restore the
        initial config."""
        self.faults.clear()
        self._downloads.clear()
        self.purchases.clear()
        self._log.clear()
        self.config = self.initial_config

    @contextlib.contextmanager
    def reset_around(self) -> Iterator[Sandbox]:
        """For a test fixture: the sandbox reset before the test and again after it, so that no
        test sees another's faults, downloads or request log."""
        self.reset()
        try:
            yield self
        finally:
            self.reset()

    def configure(self, **changes: Any) -> None:
        unknown = set(changes) - RUNTIME_OPTIONS
        if unknown:
            raise ValueError(f"not runtime options: {sorted(unknown)}; "
                             f"configurable: {sorted(RUNTIME_OPTIONS)}")
        self.config = dataclasses.replace(self.config, **changes)

    def product_path(self, asset_id: str) -> Path:
        """The delivery file of one asset (built if needed)."""
        return self._files.build([asset_id])

    def delivery_path(self, *asset_ids: str) -> Path:
        """The file a download of these assets delivers (built if needed): the product of one
        asset, or the bundle zip of several; a test can look inside before any download."""
        return self._files.build(list(asset_ids))

    def order_body(self, *, tasking: bool = False, dry_run: bool = False, **fields: Any) -> dict:
        """A valid ``POST /v0/orders`` body with one item over the first AOI: an archive order
        of its first archive item, or (``tasking``) a ONCE tasking order with the first bandset
        from three to twenty days from now; ``fields`` override the item's fields."""
        aoi = self.catalog.aoi_at(0)
        item: dict = {"project_id": aoi["project_id"], "usecase": "agriculture",
                      "name": f"{aoi['name']} test order",
                      "geometry": {"type": "FeatureCollection", "features": [
                          {"type": "Feature", "geometry": aoi["geometry"], "properties": {}}]}}
        if tasking:
            today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
            item.update({"recurrence": "ONCE",
                         "bandset": {"bandset_id": self.purchases.bandsets[0]["id"]},
                         "start_date": f"{today + timedelta(days=3):%Y-%m-%dT%H:%M:%SZ}",
                         "end_date": f"{today + timedelta(days=20):%Y-%m-%dT%H:%M:%SZ}"})
        else:
            item["item_ids"] = [self.archive.items_of_aoi(0)[0].id]
        item.update(fields)
        return {"dry_run": dry_run, "order_items": [item]}

    def download_path(self, download_id: str) -> Path:
        """The file a download's signed URL serves (waits for its build)."""
        return self._downloads.path(download_id)

    def info(self) -> dict:
        config = dataclasses.asdict(self.config)
        config["data_dir"] = str(config["data_dir"])
        return {"api_url": self.api_url, "storage_url": self.storage_url, "api_key": self.api_key,
                "viewer_key": self.viewer_key, "config": config}

    # -- internals -----------------------------------------------------------------------------

    def _settings(self) -> SandboxConfig:
        return self.config

    def _resolve(self, area: str, key: str, file_name: str) -> Optional[Path]:
        """The file behind a storage path: a download's delivery or an item's thumbnail."""
        if area == "previews":
            return self._thumbnails.resolve(key, file_name)
        return self._downloads.resolve(key, file_name)

    @staticmethod
    def _running(server: Any) -> Any:
        if server is None:
            raise RuntimeError("the sandbox is not running: call start() first")
        return server
