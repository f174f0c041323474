"""`<AOI>/.pixxel-download.json`, the manifest that makes a download idempotent: each download
into the folder with its asset ids, and once complete every file with its size (and storage's MD5
for a file delivered as is) plus the result's metadata. core/download/job.py explains when an
entry is reused.

Pure Python.
"""

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Protocol, Sequence, Tuple

from ..pixxel.redaction import pixxel_logger
from .atomic_write import write_atomically
from .file_names import name_key, path_inside, unique_component
from .files import make_folder, os_error

log = pixxel_logger()

MANIFEST_NAME = ".pixxel-download.json"
_MANIFEST_VERSION = 1


class DownloadRequest(Protocol):
    """What identifies a download in the manifest (a DownloadJob is one)."""

    aoi_id: str
    asset_ids: Tuple[str, ...]


class Manifest:
    """`<AOI>/.pixxel-download.json`: one entry per (AOI, asset set), newest last. Read and
    written under the AOI folder's lock; written atomically. An unreadable one is started anew
    (at worst, something is downloaded again)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST_NAME
        self.entries: List[Dict[str, Any]] = self._load()

    def reusable(self, job: "DownloadRequest", folder: Path
                 ) -> Optional[Tuple[Dict[str, Any], List[Path]]]:
        """(entry, files) of a complete download that covers `job` and is intact on disk."""
        wanted = set(job.asset_ids)
        for entry in reversed(self.entries):
            covered = set(entry.get("asset_ids") or ())
            records = entry.get("files") or []
            if (entry.get("state") != "complete" or entry.get("aoi_id") != job.aoi_id
                    or not wanted <= covered or not records
                    or not all(_intact(folder, record) for record in records)):
                continue
            if wanted != covered:
                records = _records_of(entry, wanted, records)
                if records is None:
                    continue
            return entry, [folder / record["path"] for record in records]
        return None

    def pending(self, job: "DownloadRequest") -> Optional[str]:
        entry = self._find(job)
        return entry["download_id"] if entry and entry.get("state") == "pending" else None

    def record(self, job: "DownloadRequest", download_id: str, state: str,
               files: Sequence[Dict[str, Any]] = (), metadata: Optional[Dict[str, Any]] = None
               ) -> None:
        old = self._find(job)
        if old is not None:
            self.entries.remove(old)
        self.entries.append({
            "aoi_id": job.aoi_id, "asset_ids": sorted(job.asset_ids), "download_id": download_id,
            "state": state, "files": list(files), "metadata": dict(metadata or {}),
            "updated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        })
        self._save()

    def _find(self, job: "DownloadRequest") -> Optional[Dict[str, Any]]:
        key = sorted(job.asset_ids)
        return next((entry for entry in self.entries
                     if entry.get("aoi_id") == job.aoi_id and entry.get("asset_ids") == key), None)

    def _load(self) -> List[Dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("Ignoring the unreadable %s: %s", self.path, exc)
            return []
        if not isinstance(data, dict) or data.get("version") != _MANIFEST_VERSION \
                or not isinstance(data.get("downloads"), list):
            log.warning("Ignoring %s: not a manifest this version understands", self.path)
            return []
        return [entry for entry in data["downloads"] if isinstance(entry, dict)]

    def _save(self) -> None:
        make_folder(self.path.parent)
        text = json.dumps({"version": _MANIFEST_VERSION, "downloads": self.entries}, indent=1,
                          ensure_ascii=False)
        try:
            write_atomically(self.path, text)
        except OSError as exc:
            raise os_error(exc, f"write {self.path}") from None


def aoi_folder(root: Path, name: str, aoi_id: str) -> Path:
    """The folder under `root` for the AOI `aoi_id`, named `name` (a safe name) unless that name
    already holds another AOI's downloads: two AOIs may share a name, or have names that differ
    only by case or Unicode normalisation, which Windows and macOS take for one folder. Then it
    is `name (2)`, `name (3)`… A folder without a manifest is taken as it is (the user's own, or
    made by hand): nothing in it is replaced without a manifest entry saying it is ours."""
    siblings = _children_by_key(root)
    taken: List[str] = []
    candidate = name
    while True:
        existing = siblings.get(name_key(candidate))
        if existing is None:
            return path_inside(root, candidate)
        owners = {entry.get("aoi_id") for entry in Manifest(root / existing).entries}
        if not owners or aoi_id in owners:
            return path_inside(root, existing)
        taken.append(existing)
        candidate = unique_component(name, taken)


def _children_by_key(root: Path) -> Dict[str, str]:
    try:
        return {name_key(child.name): child.name for child in root.iterdir() if child.is_dir()}
    except OSError:
        return {}


def _intact(folder: Path, record: Any) -> bool:
    """The recorded file is there at its recorded size (and the record names a path inside
    the AOI folder: the manifest is a file anybody could edit)."""
    if not isinstance(record, dict) or not isinstance(record.get("path"), str):
        return False
    path = record["path"]
    if path.startswith("/") or ".." in path.split("/") or any(c in path for c in ":\\"):
        return False
    try:
        return (folder / path).stat().st_size == record.get("size")
    except OSError:
        return False


def _records_of(entry: Dict[str, Any], wanted: set, records: List[Dict[str, Any]]
                ) -> Optional[List[Dict[str, Any]]]:
    """The records of the `wanted` assets' product folders, None unless each has one."""
    folders = {asset.get("id"): asset.get("folder")
               for asset in entry.get("metadata", {}).get("assets", [])
               if isinstance(asset, dict)}
    chosen = {folders.get(asset_id) for asset_id in wanted}
    if None in chosen:
        return None
    return [record for record in records if record["path"].split("/")[0] in chosen]
