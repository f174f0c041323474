"""The downloads history, kept across QGIS restarts in the user's profile
(`<profile>/pixxel/downloads.json`).

Main thread only: the dock records a download when it starts and when it ends, and lists the
entries newest first. The file is rewritten whole after every change (tmp file, fsync,
os.replace), so a crash mid-write leaves the previous version. An unreadable file is moved aside
to `downloads.json.bak` and the history starts empty: losing a list of past downloads must never
stop the plugin from starting.

A download still "running" when the file is read belongs to a session that ended without
recording the outcome (QGIS crashed or was killed): it is shown as "interrupted", and since the
transfer keeps its `.part` files, downloading the same assets again resumes it.

No secrets: entries hold ids, names, local paths and the (already redacted) error message, never
a key or a signed URL.
"""

import json
import os
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..download.atomic_write import write_atomically
from ..pixxel.errors import CancelledError
from ..pixxel.models import parse_timestamp
from ..pixxel.redaction import pixxel_logger, redactor

if TYPE_CHECKING:
    from .tasks import DownloadTask

log = pixxel_logger()

FILE_NAME = "downloads.json"
MAX_ENTRIES = 200
_FORMAT_VERSION = 1

RUNNING, DONE, FAILED, CANCELLED, INTERRUPTED = (
    "running", "done", "failed", "cancelled", "interrupted"
)
STATES = (RUNNING, DONE, FAILED, CANCELLED, INTERRUPTED)


def default_path() -> Path:
    return Path(QgsApplication.qgisSettingsDirPath()) / "pixxel" / FILE_NAME


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class HistoryEntry:
    id: str  # noqa: A003 - the entry's identity, as everywhere else in the plugin's models
    aoi_id: str
    aoi_name: str = ""
    asset_ids: Tuple[str, ...] = ()
    asset_names: Tuple[str, ...] = ()
    destination_root: str = ""  # what the download was asked to write into: a retry reuses it
    folder: str = ""  # where the delivery landed, once known
    state: str = RUNNING
    started_at: Optional[datetime] = None
    finished_at: Optional[datetime] = None
    message: str = ""
    files: Tuple[str, ...] = ()
    rasters: Tuple[str, ...] = ()
    kind: str = "aoi_assets"  # the job's kind (core/download/kinds.py): catalogs, order_items

    @property
    def resumable(self) -> bool:
        """Downloading the same assets again continues where this one stopped (the `.part`
        files stay after a failure, a cancellation or a crash)."""
        return self.state in (FAILED, CANCELLED, INTERRUPTED)

    def to_json(self) -> Dict[str, Any]:
        data = asdict(self)
        for key in ("started_at", "finished_at"):
            data[key] = data[key].isoformat() if data[key] else None
        for key in ("asset_ids", "asset_names", "files", "rasters"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_json(cls, data: Any) -> "HistoryEntry":
        """Raises ValueError for a record that cannot be an entry; tolerates missing optional
        fields and ignores unknown ones (a newer plugin version may add some)."""
        if not isinstance(data, Mapping) or not data.get("id") or not data.get("aoi_id"):
            raise ValueError("a history entry needs an id and an aoi_id")
        state = str(data.get("state") or "")
        return cls(
            id=str(data["id"]),
            aoi_id=str(data["aoi_id"]),
            aoi_name=_text(data.get("aoi_name")),
            asset_ids=_strings(data.get("asset_ids")),
            asset_names=_strings(data.get("asset_names")),
            destination_root=_text(data.get("destination_root")),
            folder=_text(data.get("folder")),
            # A state this version does not know (or a lost one) is treated as cut short.
            state=state if state in STATES else INTERRUPTED,
            started_at=parse_timestamp(data.get("started_at")),
            finished_at=parse_timestamp(data.get("finished_at")),
            message=_text(data.get("message")),
            files=_strings(data.get("files")),
            rasters=_strings(data.get("rasters")),
            kind=_text(data.get("kind")) or "aoi_assets",
        )


class DownloadHistory(QObject):
    """The persistent list of downloads. `changed` is emitted after every change."""

    changed = pyqtSignal()

    def __init__(
        self,
        path: Optional[Path] = None,
        max_entries: int = MAX_ENTRIES,
        parent: Optional[QObject] = None,
    ) -> None:
        super().__init__(parent)
        self.path = Path(path) if path is not None else default_path()
        self.max_entries = max_entries
        self._entries: List[HistoryEntry] = self._load()

    # -- reading -------------------------------------------------------------------------------

    def entries(self) -> List[HistoryEntry]:
        """Newest first."""
        return list(self._entries)

    def get(self, entry_id: str) -> Optional[HistoryEntry]:
        return next((entry for entry in self._entries if entry.id == entry_id), None)

    # -- changing ------------------------------------------------------------------------------

    def add(self, entry: HistoryEntry) -> HistoryEntry:
        """Put `entry` first (replacing one with the same id); the oldest beyond the cap go."""
        self._entries = [entry] + [known for known in self._entries if known.id != entry.id]
        del self._entries[self.max_entries:]
        self._changed()
        return entry

    def update(self, entry_id: str, **changes: Any) -> Optional[HistoryEntry]:
        """The entry with `changes` applied (None if it is no longer in the history)."""
        for index, entry in enumerate(self._entries):
            if entry.id == entry_id:
                self._entries[index] = replace(entry, **changes)
                self._changed()
                return self._entries[index]
        return None

    def remove(self, entry_id: str) -> bool:
        kept = [entry for entry in self._entries if entry.id != entry_id]
        if len(kept) == len(self._entries):
            return False
        self._entries = kept
        self._changed()
        return True

    def clear(self) -> None:
        self._entries = []
        self._changed()

    def record_start(self, task: "DownloadTask") -> HistoryEntry:
        """A "running" entry for `task` (a DownloadTask about to start); its id is kept on the
        task as `history_id` for record_end()."""
        job = task.job
        names = {
            str(info.get("id")): str(info.get("name") or "")
            for info in (task.asset_info or {}).values()
            if isinstance(info, Mapping)
        }
        entry = HistoryEntry(
            id=uuid.uuid4().hex,
            aoi_id=job.aoi_id,
            aoi_name=job.aoi_name or "",
            asset_ids=tuple(job.asset_ids),
            asset_names=tuple(names.get(asset_id) or asset_id for asset_id in job.asset_ids),
            destination_root=str(job.destination_root),
            started_at=_now(),
            kind=getattr(getattr(job, "kind", None), "id", "aoi_assets"),
        )
        task.history_id = entry.id
        return self.add(entry)

    def record_end(self, task: "DownloadTask") -> Optional[HistoryEntry]:
        """The outcome of a finished DownloadTask on the entry record_start() made for it."""
        if not task.history_id:
            return None
        result = task.result
        error = task.error
        if error is None and result is not None:
            state = DONE
        elif isinstance(error, CancelledError) or error is None:
            state = CANCELLED
        else:
            state = FAILED
        changes: Dict[str, Any] = {
            "state": state,
            "finished_at": _now(),
            "message": redactor.redact(str(error)) if error is not None else "",
        }
        if result is not None:
            changes.update(
                folder=str(result.folder),
                files=tuple(str(path) for path in result.files),
                rasters=tuple(str(path) for path in result.rasters),
            )
        return self.update(task.history_id, **changes)

    # -- file ----------------------------------------------------------------------------------

    def _changed(self) -> None:
        self._save()
        self.changed.emit()

    def _load(self) -> List[HistoryEntry]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as error:
            log.warning("The downloads history %s cannot be read: %s", self.path, error)
            return []
        try:
            body = json.loads(text)
            rows = body["entries"]
            if not isinstance(rows, list):
                raise TypeError("'entries' is not a list")
        except (ValueError, TypeError, KeyError) as error:
            self._set_aside(error)
            return []
        entries = []
        for row in rows:
            try:
                entry = HistoryEntry.from_json(row)
            except ValueError as error:
                log.warning("Skipping a damaged downloads history entry: %s", error)
                continue
            entries.append(replace(entry, state=INTERRUPTED) if entry.state == RUNNING else entry)
        return entries[: self.max_entries]

    def _set_aside(self, error: Exception) -> None:
        backup = self.path.with_name(self.path.name + ".bak")
        try:
            os.replace(self.path, backup)
        except OSError as move_error:
            log.warning("The damaged downloads history could not be moved aside: %s", move_error)
            return
        log.warning(
            "The downloads history was damaged (%s); it starts empty, the old file is kept as %s.",
            error, backup,
        )

    def _save(self) -> None:
        body = {"version": _FORMAT_VERSION, "entries": [e.to_json() for e in self._entries]}
        try:
            write_atomically(
                self.path, json.dumps(body, indent=1, ensure_ascii=False), sync=True
            )
        except OSError as error:
            # The history is a convenience: a full disk must not break the download it records.
            log.warning("The downloads history could not be saved to %s: %s", self.path, error)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _strings(value: Any) -> Tuple[str, ...]:
    items: Sequence[Any] = value if isinstance(value, (list, tuple)) else ()
    return tuple(str(item) for item in items)
