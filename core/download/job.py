"""One download job from start to finish: request, wait, fetch, verify, unpack, describe.

    job = DownloadJob(aoi_id, (asset_id,), Path.home() / "Pixxel")
    result = run_download(client, job, on_progress=show, is_cancelled=task.isCanceled)
    add_layers(result.rasters, result.masks)

Pure Python (no Qt, no QGIS): runs in QgsTask.run() and in Processing algorithms. Blocking; every
error is a PixxelError (CancelledError on cancel), and no message carries the key or a signed URL.

Kinds: what is downloaded (an AOI's assets, purchased catalogs, order items) is the job's `kind`
(kinds.py), which names the folder, checks what is asked for, requests the download and reads its
status; everything below is the same for every kind. Purchased imagery's "AOI" is the name and
scope kinds.purchased_job gives it.

Layout: `<destination_root>/<AOI name>/<product name>/<files>`. Names are made safe file names on
every platform yet stay readable ("Punjab wheat fields – Ludhiana" keeps its spaces and dash;
separators, control and reserved characters go), and every folder is checked to resolve inside
`destination_root`, so neither an AOI name like "../../evil" nor a symlink can lead elsewhere.
What storage delivers is recognised by its bytes: a zip is extracted into the AOI folder (its
members are `<product>/<files>`; a zip without that top folder goes into a folder named after the
zip), anything else (a bare GeoTIFF) goes to `<AOI>/<its name without extension>/`. The delivered
name is storage's Content-Disposition, else the last segment of the URL's path.

Bytes travel to `<AOI>/.pixxel-<key>.download` (+ `.part`), a name that depends only on the AOI
and the asset set: a cancelled or failed job leaves its `.part` there, and running the job again
resumes it even when Pixxel hands out a new download (transfer.fetch checks the blob's ETag).

Idempotency: `<AOI>/.pixxel-download.json` (the manifest) records each download into that folder:
its id and asset ids, and once complete every file with its size (and storage's MD5 for a file
delivered as is) plus the result's metadata. A job first looks for a complete entry covering its
assets whose files are all present at their recorded sizes; then it neither asks Pixxel for a
download nor fetches a byte (`reused=True`). It still asks for the AOI's name when the job does
not carry it, since the name locates the manifest. Sizes, not checksums, are compared: hashing
gigabytes on every run would cost more than it protects against (a file edited in place at the
same size). An earlier download of more assets serves a job for some of them when each asked
product has its own folder there; any other change downloads again. An unfinished download stays
recorded as pending, and the next run asks Pixxel about that download before requesting a new
one, so a long preparation on Pixxel's side is not started over.

Concurrency: jobs may run in parallel threads sharing one client (one gateway, one connection
pool). Jobs writing to the same AOI folder share its manifest and maybe files, so an in-process
lock runs them one after the other; jobs for different AOIs never wait for each other. Processes
(qgis_process beside the desktop) are not coordinated: do not aim both at one AOI folder at once.
"""

import contextlib
import functools
import hashlib
import os
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from ..pixxel.api import PixxelClient
from ..pixxel.errors import (
    BadRequestError,
    CancelledError,
    DownloadFailedError,
    NotFoundError,
    PixxelError,
    SignedUrlExpiredError,
)
from ..pixxel.models import DownloadStatus
from ..pixxel.redaction import pixxel_logger, server_text
from ..pixxel.retry import Deadline, never_cancelled, sleep_unless_cancelled
from .file_names import safe_component
from .files import (
    ZIP,
    classify,
    format_bytes,
    make_folder,
    suggested_filename,
)
from .kinds import AOI_ASSETS, DownloadKind
from .manifest import Manifest, aoi_folder
from .progress import (
    DONE,
    DOWNLOAD,
    REQUEST,
    UNPACK,
    WAIT,
    DownloadProgress,
    Progress,
    StageReporter,
)
from .stall import DEFAULT_STALL, StallPolicy
from .transfer import (
    FetchResult,
    fetch,
)
from .unpack import unpack

log = pixxel_logger()



@dataclass(frozen=True)
class DownloadJob:
    """What to download where. `asset_ids` may be any sequence (kept as a tuple, duplicates
    dropped); `aoi_name` is looked up with `client.aoi()` when None. `keep_zip` only matters to
    a run that downloads: a job served from earlier files (see "Idempotency") fetches no zip.

    `kind` says what is downloaded and supplies the steps that depend on it (kinds.py): an AOI's
    assets by default; for purchased imagery (kinds.purchased_job) `asset_ids` are catalog or
    order item ids, `aoi_name` the name its folder gets and `aoi_id` the scope keying that
    folder's manifest."""

    aoi_id: str
    asset_ids: Tuple[str, ...]
    destination_root: Path
    aoi_name: Optional[str] = None
    keep_zip: bool = False
    poll_timeout: float = 3600.0  # seconds Pixxel may take to prepare the download
    kind: DownloadKind = AOI_ASSETS  # or kinds.CATALOGS, kinds.ORDER_ITEMS
    stall: StallPolicy = DEFAULT_STALL  # the minimum speed of the transfer (core/download/stall.py)

    def __post_init__(self) -> None:
        ids = (self.asset_ids,) if isinstance(self.asset_ids, str) else tuple(self.asset_ids)
        object.__setattr__(self, "asset_ids", tuple(dict.fromkeys(ids)))
        object.__setattr__(self, "destination_root", Path(self.destination_root))


@dataclass(frozen=True)
class DownloadResult:
    """`files` are every product file on disk (the kept zip aside); `rasters` the GeoTIFF images,
    `masks` the `*.mask.tif` quality masks. `metadata` is JSON-ready: aoi_id, aoi_name,
    download_id, assets (id, name, date, asset_type, resolution, folder), delivery (file, kind,
    size, md5, kept), side_files (role -> paths relative to `folder`), total_size, and for a run
    that moved bytes, transfer (bytes_received, resumed, md5_verified)."""

    job: DownloadJob
    download_id: str
    folder: Path
    files: Tuple[Path, ...]
    rasters: Tuple[Path, ...]
    masks: Tuple[Path, ...]
    metadata: Dict[str, Any] = field(default_factory=dict, compare=False)
    reused: bool = False  # everything was already there: nothing was requested or fetched


@dataclass(frozen=True)
class PollPolicy:
    """Pauses between status polls: `first` seconds, growing by `growth` per poll up to
    `longest`, each varied by `jitter` (a fraction) so that many clients do not poll in step."""

    first: float = 1.0
    longest: float = 15.0
    growth: float = 1.5
    jitter: float = 0.2

    def delay(self, poll: int, rng: Optional[random.Random] = None) -> float:
        base = min(self.longest, self.first * self.growth ** min(poll - 1, 64))
        return base * (rng or random).uniform(1 - self.jitter, 1 + self.jitter)


DEFAULT_POLL = PollPolicy()


def run_download(
    client: PixxelClient,
    job: DownloadJob,
    *,
    on_progress: Optional[Callable[[DownloadProgress], None]] = None,
    is_cancelled: Callable[[], bool] = never_cancelled,
    poll_policy: PollPolicy = DEFAULT_POLL,
) -> DownloadResult:
    """Run `job` to the end (see the module docstring) and describe what is on disk.

    `on_progress` is called on this thread: at each stage change and at most every
    PROGRESS_INTERVAL seconds (core/download/progress.py) within a stage. `is_cancelled` is
    polled between stages, while waiting and between chunks; a cancelled job leaves only `.part`
    files (and the manifest's pending entry) for the next run to continue.

    Raises BadRequestError (no assets, unknown ones, or ones not ready for download),
    DownloadFailedError (Pixxel failed the download, or it was not ready within
    `job.poll_timeout`), CancelledError, DiskFullError, or whatever PixxelError the API
    client, transfer.fetch or archive.extract raise.
    """
    if not job.asset_ids:
        raise BadRequestError("Choose at least one asset to download.")
    report = StageReporter(on_progress)
    report.update(REQUEST, "Preparing the download")
    _check_cancelled(is_cancelled)
    aoi_name = job.aoi_name if job.aoi_name is not None else job.kind.name(client, job)
    root = make_folder(Path(os.path.realpath(job.destination_root.expanduser())))
    folder = aoi_folder(root, _folder_name(aoi_name, job.aoi_id), job.aoi_id)
    with _folder_lock(folder, is_cancelled):
        return _Run(client, job, aoi_name, folder, report, is_cancelled, poll_policy).run()


def run_downloads(
    client: PixxelClient,
    jobs: Sequence[DownloadJob],
    *,
    max_parallel: int = 2,
    on_progress: Optional[Callable[[int, DownloadProgress], None]] = None,
    is_cancelled: Callable[[], bool] = never_cancelled,
    poll_policy: PollPolicy = DEFAULT_POLL,
) -> List[Union[DownloadResult, PixxelError]]:
    """run_download() each job, `max_parallel` at a time, with one client. Jobs are independent:
    one failing does not stop the others, so each gets its result or the PixxelError that ended
    it, in job order. `on_progress(job_index, progress)` is called from the worker threads."""

    def run(index: int, job: DownloadJob) -> Union[DownloadResult, PixxelError]:
        report = functools.partial(on_progress, index) if on_progress else None
        try:
            return run_download(client, job, on_progress=report, is_cancelled=is_cancelled,
                                poll_policy=poll_policy)
        except PixxelError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=max_parallel, thread_name_prefix="pixxel-job") as pool:
        return list(pool.map(run, range(len(jobs)), jobs))


# --- one run -----------------------------------------------------------------------------------


class _Run:
    def __init__(self, client: PixxelClient, job: DownloadJob, aoi_name: str, folder: Path,
                 report: StageReporter, is_cancelled: Callable[[], bool],
                 policy: PollPolicy) -> None:
        self.client = client
        self.job = job
        self.aoi_name = aoi_name
        self.folder = folder
        self.report = report
        self.is_cancelled = is_cancelled
        self.policy = policy
        self.manifest = Manifest(folder)
        self.url = ""  # the latest signed URL: a credential, never logged nor put in a message

    def run(self) -> DownloadResult:
        reusable = self.manifest.reusable(self.job, self.folder)
        if reusable is None:
            return self._download()
        entry, files = reusable
        log.info("Download of %d asset(s) into %s: every file is already there",
                 len(self.job.asset_ids), self.folder)
        wanted = set(self.job.asset_ids)
        metadata = dict(entry.get("metadata") or {})
        metadata["assets"] = [a for a in metadata.get("assets", []) if a.get("id") in wanted]
        return self._result(entry["download_id"], files, metadata, reused=True)

    def _download(self) -> DownloadResult:
        items = self.job.kind.items(self.client, self.job, self.aoi_name)
        status = self._wait(self._request())
        self._check_cancelled()
        delivered = self._fetch(status)
        self._check_cancelled()
        name = suggested_filename(self.url, delivered.content_disposition, "pixxel-download")
        files, kind, kept = self._unpack(delivered.path, name)
        metadata = {
            "aoi_id": self.job.aoi_id,
            "aoi_name": self.aoi_name,
            "download_id": status.download_id,
            "assets": [_item_facts(item, files, self.folder) for item in items],
            "delivery": {"file": name, "kind": kind, "size": delivered.size,
                         "md5": delivered.md5, "kept": kept},
        }
        records = [{"path": _relative(path, self.folder), "size": path.stat().st_size,
                    "md5": delivered.md5 if kind != ZIP else None} for path in files]
        self.manifest.record(self.job, status.download_id, "complete", records, metadata)
        metadata["transfer"] = {"bytes_received": delivered.bytes_received,
                                "resumed": delivered.resumed,
                                "md5_verified": delivered.md5_verified}
        return self._result(status.download_id, files, metadata, reused=False)

    # -- stages ------------------------------------------------------------------------------------

    def _request(self) -> DownloadStatus:
        """The pending download of an earlier run when Pixxel still has it, else a new one."""
        self.report.update(REQUEST, "Requesting the download from Pixxel")
        pending = self.manifest.pending(self.job)
        if pending is not None:
            try:
                status = self._status(pending)
            except NotFoundError:
                status = None
            if status is not None and not status.is_failed:
                log.info("Continuing Pixxel download %s", pending)
                return status
            log.info("Pixxel download %s is gone or failed: requesting a new one", pending)
        status = self.job.kind.create(self.client, self.job)
        log.info("Pixxel download %s requested for %d item(s) of %s (%s)", status.download_id,
                 len(self.job.asset_ids), self.job.aoi_id, self.job.kind.id)
        self.manifest.record(self.job, status.download_id, "pending")
        return status

    def _wait(self, status: DownloadStatus) -> DownloadStatus:
        deadline = Deadline(self.job.poll_timeout)
        polls = 0
        while True:
            if status.is_ready:
                self.url = status.signed_url
                return status
            if status.is_failed:
                raise DownloadFailedError(_failure_message(status))
            if deadline.expired():
                raise DownloadFailedError(
                    f"Pixxel had not prepared the download after {_duration(self.job.poll_timeout)}"
                    f" (status: {status.status or 'none'}). Try again later: the next attempt "
                    f"continues this download.")
            polls += 1
            self.report.update(WAIT, f"Pixxel is preparing the download "
                                     f"({status.status or 'pending'})")
            pause = min(self.policy.delay(polls), deadline.remaining())
            sleep_unless_cancelled(pause, self.is_cancelled)
            status = self._status(status.download_id)

    def _fetch(self, status: DownloadStatus) -> FetchResult:
        def fresh_url() -> str:
            fresh = self._status(status.download_id)
            if fresh.is_failed:
                raise DownloadFailedError(_failure_message(fresh))
            if not fresh.is_ready:
                raise SignedUrlExpiredError(
                    f"Storage refused the download link and Pixxel has no new one yet (status: "
                    f"{fresh.status or 'none'}). Try again later.")
            self.url = fresh.signed_url
            return self.url

        def forward(progress: Progress) -> None:
            self.report.update(DOWNLOAD, "Downloading", progress.bytes_done, progress.bytes_total,
                               progress.rate_bps, progress.eta_seconds, throttled=True)

        self.report.update(DOWNLOAD, "Downloading")
        staging = self.folder / f".pixxel-{_job_key(self.job)}.download"
        return fetch(self.client.gateway, self.url, staging, refresh_url=fresh_url,
                     on_progress=forward, is_cancelled=self.is_cancelled, retry=self.client.retry,
                     stall=self.job.stall)

    def _unpack(self, staging: Path, name: str) -> Tuple[List[Path], str, Optional[str]]:
        def forward(done: int, total: int) -> None:
            self.report.update(UNPACK, "Unpacking", done, total)

        return unpack(staging, name, self.folder, keep_zip=self.job.keep_zip,
                      is_cancelled=self.is_cancelled, on_unpacking=forward)

    # -- helpers -----------------------------------------------------------------------------------

    def _result(self, download_id: str, files: Sequence[Path], metadata: Dict[str, Any],
                reused: bool) -> DownloadResult:
        rasters, masks, side = classify(files)
        metadata["side_files"] = {role: [_relative(p, self.folder) for p in paths]
                                  for role, paths in side.items()}
        metadata["total_size"] = sum(path.stat().st_size for path in files)
        self.report.update(DONE, "Already downloaded" if reused else "Downloaded", final=True)
        log.info("Download %s: %d file(s), %s in %s", download_id, len(files),
                 format_bytes(metadata["total_size"]), self.folder)
        return DownloadResult(job=self.job, download_id=download_id, folder=self.folder,
                              files=tuple(files), rasters=tuple(rasters), masks=tuple(masks),
                              metadata=metadata, reused=reused)

    def _status(self, download_id: str) -> DownloadStatus:
        return self.job.kind.status(self.client, self.job, download_id)

    def _check_cancelled(self) -> None:
        _check_cancelled(self.is_cancelled)


# --- files and folders -------------------------------------------------------------------------


def _folder_name(name: str, fallback: str) -> str:
    # Separators become underscores rather than cutting the name short: "Fields A/B" stays whole;
    # runs of white space (pasted names) become one space.
    return safe_component(" ".join((name or "").split()), safe_component(fallback, "aoi"))


def _job_key(job: DownloadJob) -> str:
    text = "\n".join([job.aoi_id, *sorted(job.asset_ids)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _relative(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def _item_facts(item: Dict[str, Any], files: Sequence[Path], folder: Path) -> Dict[str, Any]:
    # An item's product folder is the one named like the item, when the delivery has one.
    product = _folder_name(item["name"], item["id"]) if item.get("name") else ""
    tops = {_relative(path, folder).split("/")[0] for path in files}
    return {**item, "folder": product if product in tops else None}


# --- progress, cancel, locks, messages ---------------------------------------------------------


def _check_cancelled(is_cancelled: Callable[[], bool]) -> None:
    if is_cancelled():
        raise CancelledError("Download cancelled.")


_folder_locks: Dict[str, threading.Lock] = {}
_folder_locks_guard = threading.Lock()


@contextlib.contextmanager
def _folder_lock(folder: Path, is_cancelled: Callable[[], bool]) -> Iterator[None]:
    with _folder_locks_guard:
        lock = _folder_locks.setdefault(os.path.normcase(str(folder)), threading.Lock())
    if not lock.acquire(blocking=False):
        log.info("Waiting for another download into %s to finish", folder)
        while not lock.acquire(timeout=0.1):
            _check_cancelled(is_cancelled)
    try:
        yield
    finally:
        lock.release()


def _duration(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 120 else f"{seconds:g} s"


def _failure_message(status: DownloadStatus) -> str:
    """What ended the download, in Pixxel's own status (and words, when it sent some)."""
    detail = ""
    for key in ("message", "error", "detail", "reason"):
        value = status.raw.get(key)
        if isinstance(value, dict):
            value = value.get("message")
        if isinstance(value, str) and value.strip():
            detail = " ".join(value.split())
            break
    detail = server_text(detail).rstrip(".")
    said = f"(status: {status.status or 'none'})" + (f": {detail}" if detail else "")
    download_id = status.download_id
    if status.lacks_url:
        return (f"Pixxel reported the download {download_id} as ready but sent no link to fetch "
                f"it {said}. Request it again, or contact Pixxel if it keeps happening.")
    if status.status in ("cancelled", "canceled"):
        return f"Pixxel cancelled the download {download_id} {said}. Request it again."
    if status.status == "expired":
        return f"The download {download_id} expired at Pixxel {said}. Request it again."
    return (f"Pixxel could not prepare the download {download_id} {said}. Request it again, or "
            "contact Pixxel if it keeps failing.")
