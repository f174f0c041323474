"""Download requests: their records, readiness, signed URLs and the files they deliver.

A POST creates a record and starts building its delivery on a worker thread, so the API stays
responsive however big the product. A record belongs to a scope: an AOI id for the AOI asset
downloads, ``CATALOG_SCOPE`` for the purchased-imagery downloads (whose products are given as
ProductSpecs rather than asset ids). The record turns SUCCESS once it has been polled
``ready_after_polls`` times, ``ready_after_seconds`` have passed and the file exists; every
answer after that carries a freshly signed URL, which is how a client recovers from expiry.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

from . import products
from .catalog import Catalog
from .signing import UrlSigner

PENDING, SUCCESS, FAILED = "PENDING", "SUCCESS", "FAILED"
CATALOG_SCOPE = "catalogs"

# How long a status answer may wait for a build that is due. Long enough that tiny and small
# products are deterministically ready on the configured poll; short enough that a 1 GiB build
# shows up as "pending" instead of a hanging request.
BUILD_WAIT_SECONDS = 5.0


class DeliveryFiles:
    """The file a set of assets is delivered as: one product (zip or bare tif) or a bundle zip."""

    def __init__(self, catalog: Catalog, cache_dir: Path) -> None:
        self.catalog = catalog
        self.cache_dir = cache_dir

    def build(self, asset_ids: Sequence[str]) -> Path:
        return self.build_specs([self.catalog.product_spec(asset_id) for asset_id in asset_ids])

    def build_specs(self, specs: Sequence[products.ProductSpec]) -> Path:
        if len(specs) == 1:
            path = products.build(specs[0], self.cache_dir)
        else:
            path = products.build_bundle(specs, self.cache_dir)
        content_md5(path)  # checksum a fresh 1 GiB file here, not in the first storage request
        return path


@dataclass
class Download:
    id: str
    scope: str  # the AOI id, or CATALOG_SCOPE
    asset_ids: tuple  # what was asked for: asset ids, or catalog / order item ids
    specs: tuple = ()  # the products to deliver when they are not the asset ids' products
    created: float = field(default_factory=time.monotonic)
    polls: int = 0
    built: threading.Event = field(default_factory=threading.Event)
    path: Optional[Path] = None
    error: Optional[str] = None


class DownloadRegistry:
    def __init__(self, files: DeliveryFiles, signer: UrlSigner, settings: Callable) -> None:
        self._files = files
        self._signer = signer
        self._settings = settings  # returns the current SandboxConfig (runtime-configurable)
        self._lock = threading.Lock()
        self._downloads: dict[str, Download] = {}
        self.storage_url = ""

    def create(self, scope: str, asset_ids: Sequence[str],
               specs: Sequence[products.ProductSpec] = ()) -> Download:
        download = Download(str(uuid.uuid4()), scope, tuple(asset_ids), tuple(specs))
        with self._lock:
            self._downloads[download.id] = download
        threading.Thread(target=self._build, args=(download,), daemon=True,
                         name=f"build-{download.id[:8]}").start()
        return download

    def find(self, scope: str, download_id: str) -> Optional[Download]:
        with self._lock:
            download = self._downloads.get(download_id)
        return download if download is not None and download.scope == scope else None

    def answer(self, download: Download, *, poll: bool) -> tuple:
        """(status, signed_url) for the POST (poll=False) or a status GET (poll=True)."""
        with self._lock:
            if poll:
                download.polls += 1
            polls = download.polls
        config = self._settings()
        due = (polls >= config.ready_after_polls
               and time.monotonic() - download.created >= config.ready_after_seconds)
        if not due or not download.built.wait(BUILD_WAIT_SECONDS):
            return PENDING, ""
        if download.error is not None:
            return FAILED, ""
        return SUCCESS, self.sign(f"/deliveries/{download.id}/{download.path.name}")

    def sign(self, path: str) -> str:
        """A freshly signed storage URL for a storage path (valid for ``url_ttl_seconds``)."""
        return self._signer.sign(self.storage_url, path, self._settings().url_ttl_seconds)

    def resolve(self, download_id: str, file_name: str) -> Optional[Path]:
        """The built file behind a storage path, or None."""
        with self._lock:
            download = self._downloads.get(download_id)
        if download is None or download.path is None or download.path.name != file_name:
            return None
        return download.path

    def path(self, download_id: str) -> Path:
        with self._lock:
            download = self._downloads.get(download_id)
        if download is None:
            raise KeyError(f"unknown download {download_id}")
        download.built.wait()
        if download.path is None:
            raise RuntimeError(f"download {download_id} failed: {download.error}")
        return download.path

    def clear(self) -> None:
        with self._lock:
            self._downloads.clear()

    def _build(self, download: Download) -> None:
        try:
            if download.specs:
                download.path = self._files.build_specs(download.specs)
            else:
                download.path = self._files.build(download.asset_ids)
        except Exception as exc:  # a failed build is reported as status FAILED, like a real API
            download.error = f"{type(exc).__name__}: {exc}"
        finally:
            download.built.set()


_md5_locks: dict = {}
_md5_locks_guard = threading.Lock()


def content_md5(path: Path) -> str:
    """Base64 MD5 of a file (the Content-MD5 form), cached in ``<file>.md5`` keyed by size+mtime."""
    stat = path.stat()
    key = f"{stat.st_size} {stat.st_mtime_ns}"
    sidecar = path.with_name(path.name + ".md5")
    with _md5_locks_guard:
        lock = _md5_locks.setdefault(str(path), threading.Lock())
    with lock:
        try:
            cached_key, _, digest = sidecar.read_text().rpartition(" ")
            if cached_key == key:
                return digest
        except OSError:
            pass
        md5 = hashlib.md5(usedforsecurity=False)  # Content-MD5 is MD5 by definition
        with open(path, "rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                md5.update(chunk)
        digest = base64.b64encode(md5.digest()).decode("ascii")
        partial = sidecar.with_name(f".{sidecar.name}.{os.getpid()}.partial")
        partial.write_text(f"{key} {digest}")
        os.replace(partial, sidecar)
        return digest
