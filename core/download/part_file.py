"""A download in progress on disk: the `.part` file, the sidecar holding what storage said about
the whole blob (the validators that let a later run resume it, and the checksum that proves it
whole), the MD5 computed beside the transfer, and the hints that keep the final fsync short.

Pure Python: core/download/transfer.py drives it.
"""

import base64
import contextlib
import hashlib
import json
import os
import queue
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Tuple

from ..pixxel.errors import PixxelError
from .atomic_write import write_atomically
from .files import DISK_FULL_ERRNOS, disk_full_error

if TYPE_CHECKING:
    import requests

PART_SUFFIX = ".part"
SIDECAR_SUFFIX = ".part.json"
_SIDECAR_VERSION = 1
# Chunks waiting for the hashing thread: bounds the memory it can hold (x chunk_size).
HASH_QUEUE_DEPTH = 8
HASH_BLOCK = 1024 * 1024  # bytes read at a time when hashing a file already on disk
# Bytes written between two nudges to the kernel to start writing them to disk (start_writeback).
WRITEBACK_STEP = 64 * 1024 * 1024
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(?:(\d+)-(\d+)|\*)/(\d+|\*)\s*$", re.IGNORECASE)


def part_paths(destination: Path) -> Tuple[Path, Path]:
    """The `.part` file and its sidecar for `destination` (to clean up an abandoned download)."""
    destination = Path(destination)
    return (destination.with_name(destination.name + PART_SUFFIX),
            destination.with_name(destination.name + SIDECAR_SUFFIX))


@dataclass(frozen=True)
class Validators:
    """What storage said about the whole blob; persisted in the sidecar."""

    etag: Optional[str]
    last_modified: Optional[str]
    total: Optional[int]
    md5: Optional[str]  # base64, the Content-MD5 form

    def if_range(self) -> Optional[str]:
        # If-Range needs a strong validator; a weak ETag would always fail the comparison.
        if self.etag and not self.etag.startswith("W/"):
            return self.etag
        return self.last_modified

    def to_json(self) -> str:
        return json.dumps({"version": _SIDECAR_VERSION, "etag": self.etag,
                           "last_modified": self.last_modified, "total": self.total,
                           "md5": self.md5})

    @classmethod
    def from_json(cls, text: str) -> Optional["Validators"]:
        try:
            data = json.loads(text)
            if data.get("version") != _SIDECAR_VERSION:
                return None
            total = data.get("total")
            if total is not None and (not isinstance(total, int) or total < 0):
                return None
            return cls(data.get("etag"), data.get("last_modified"), total, data.get("md5"))
        except (ValueError, AttributeError):
            return None


class HashThread:
    """Feeds chunks to a hash on a second thread, so that MD5 (about as slow as the disk on one
    core) overlaps receiving and writing instead of adding to them: hashlib releases the GIL for
    large buffers. Leaving the `with` waits until every chunk is hashed, so the hash always
    covers exactly the bytes handed to it, whatever ended the transfer."""

    def __init__(self, md5: Any) -> None:
        self._md5 = md5
        self._chunks: queue.Queue[Optional[bytes]] = queue.Queue(HASH_QUEUE_DEPTH)
        self._thread = threading.Thread(target=self._run, name="pixxel-md5", daemon=True)

    def __enter__(self) -> "HashThread":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._chunks.put(None)
        self._thread.join()

    def update(self, chunk: bytes) -> None:
        self._chunks.put(chunk)

    def _run(self) -> None:
        for chunk in iter(self._chunks.get, None):
            self._md5.update(chunk)


def full_validators(response: "requests.Response") -> Validators:
    """Validators from a 200: Content-MD5 describes the body, which is the whole blob."""
    headers = response.headers
    length = headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    md5 = headers.get("Content-MD5") or headers.get("x-ms-blob-content-md5")
    return Validators(headers.get("ETag"), headers.get("Last-Modified"), total, md5)


def range_validators(response: "requests.Response", total: Optional[int]) -> Validators:
    """Validators from a 206/416: Content-MD5 there would describe the range, not the blob."""
    headers = response.headers
    return Validators(headers.get("ETag"), headers.get("Last-Modified"), total,
                       headers.get("x-ms-blob-content-md5"))


def parse_content_range(value: Optional[str]) -> Tuple[Optional[int], Optional[int],
                                                        Optional[int]]:
    match = _CONTENT_RANGE.match(value or "")
    if match is None:
        return None, None, None
    first, last, total = match.groups()
    return (int(first) if first else None, int(last) if last else None,
            int(total) if total != "*" else None)


def resumed_validators(response: "requests.Response", offset: int,
                       stored: Optional[Validators]) -> Validators:
    """The validators of a 206 answering a resume at `offset`; ValueError (why) when its range
    or the object it describes is not what the `.part` continues."""
    start, end, total = parse_content_range(response.headers.get("Content-Range"))
    if start != offset or total is None or end != total - 1:
        raise ValueError(f"storage sent bytes {start}-{end}/{total} to resume at {offset}")
    if stored is not None and stored.total is not None and stored.total != total:
        raise ValueError(f"the file in storage is now {total} bytes, not {stored.total}")
    etag = response.headers.get("ETag")
    if stored is not None and stored.etag and etag and etag != stored.etag:
        raise ValueError("the file in storage changed since the download started")
    validators = range_validators(response, total)
    if stored is not None and stored.md5 and not validators.md5:
        validators = Validators(validators.etag, validators.last_modified, total, stored.md5)
    return validators


def append_chunk(out: Any, chunk: bytes, done: int, total: Optional[int], part: Path) -> None:
    """`chunk` appended to the open `.part` `out` (holding `done` bytes of `total`), or a
    DiskFullError / PixxelError with the `.part` still a valid prefix of the file."""
    view = memoryview(chunk)
    try:
        while view:
            view = view[out.write(view):]
    except OSError as exc:
        # Whatever of this chunk reached the disk goes: the .part stays a valid prefix.
        out.truncate(done)
        if exc.errno in DISK_FULL_ERRNOS:
            needed = (total - done) if total is not None else len(chunk)
            raise disk_full_error(part.parent, needed) from None
        raise PixxelError(f"Could not write {part}: {exc.strerror}.") from None


def sync_part(out: Any, part: Path) -> None:
    """The `.part`'s bytes on the disk before it may be renamed."""
    try:
        os.fsync(out.fileno())
    except OSError as exc:  # network file systems may only report a full disk here
        if exc.errno in DISK_FULL_ERRNOS:
            raise disk_full_error(part.parent, None) from None
        raise


def load_sidecar(sidecar: Path) -> Optional[Validators]:
    try:
        return Validators.from_json(sidecar.read_text(encoding="utf-8"))
    except OSError:
        return None


def write_sidecar(sidecar: Path, validators: Validators) -> None:
    try:
        write_atomically(sidecar, validators.to_json())
    except OSError as exc:
        if exc.errno in DISK_FULL_ERRNOS:
            raise disk_full_error(sidecar.parent, validators.total) from None
        raise PixxelError(f"Could not write {sidecar}: {exc.strerror}.") from None


def md5_of(path: Path, size: int) -> Any:
    md5 = hashlib.md5(usedforsecurity=False)  # Content-MD5 is MD5 by definition
    with open(path, "rb") as stream:
        remaining = size
        while remaining:
            block = stream.read(min(HASH_BLOCK, remaining))
            if not block:
                raise OSError(f"{path} is shorter than {size} bytes")
            md5.update(block)
            remaining -= len(block)
    return md5


def file_md5(path: Path, size: int) -> str:
    return base64.b64encode(md5_of(path, size).digest()).decode("ascii")


def start_writeback(descriptor: int, offset: int, length: int) -> None:
    """Have the kernel start writing these bytes to disk now, without waiting for it. Left alone,
    Linux keeps a whole download dirty in memory (up to 10 % of RAM) and the fsync before the
    rename then writes it all while the user waits: about 1 s per 2 GiB. POSIX_FADV_DONTNEED on
    freshly written, still dirty pages starts their writeback and drops none of them; pages that
    are already clean leave the page cache, which a file this size would crowd anyway. Only a
    hint: where it is missing (macOS, Windows) or refused, the final fsync does the work."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    with contextlib.suppress(OSError):
        advise(descriptor, offset, length, os.POSIX_FADV_DONTNEED)


def fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; Windows cannot open a directory, and NTFS journals renames.
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
