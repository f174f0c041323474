"""What a delivery is (by its first bytes), and safe extraction of the zips Pixxel may deliver.

The whole archive is checked before anything is written: no member may land outside the
destination (absolute names, `..`, drive letters, colons, symlinked folders), be a link or a device,
collide with another member, or expand absurdly.

Extraction is all-or-nothing, and it never costs what was there before (a file of an earlier
download may be on the map at that moment). Each member is streamed to a hidden staging file
beside its target (`.pixxel-<token>-<n>.new`: a name no member can take, unlike `<name>.part`,
which a member `<name>.part` would overwrite), its size and CRC checked as it is read. Only when
every member is whole are they swapped in, each replaced file first renamed aside
(`….old`); if a swap fails, those already made are undone, so a failure at any point leaves
exactly the files and folders that were there. A crash in the middle of the swaps (a matter of
milliseconds) can leave `.pixxel-*.old` or `.new` files behind; they are never taken for
products.

Pure Python (runs in QgsTask.run()).
"""

import contextlib
import os
import re
import secrets
import shutil
import stat
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Dict, List, Optional, Set, Tuple

from ..pixxel.errors import (
    CancelledError,
    DiskFullError,
    IncompleteTransferError,
    PixxelError,
    UnexpectedResponseError,
    UnsafeArchiveError,
)
from ..pixxel.redaction import pixxel_logger
from .file_names import is_device_name, name_key
from .files import DISK_FULL_ERRNOS, format_bytes, os_error

log = pixxel_logger()

# Imagery compresses a few times at most; 200:1 only happens with crafted or degenerate data.
# Below the floor, even an absurd ratio cannot hurt (and tiny text members do reach it).
MAX_RATIO = 200
RATIO_FLOOR = 64 * 1024 * 1024
COPY_CHUNK = 1024 * 1024
# Deflate output is bounded per read; zipfile decompresses bzip2/LZMA reads unbounded in memory,
# so one small read of a crafted member could take gigabytes. Pixxel's zips use neither.
_SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_DRIVE = re.compile(r"^[A-Za-z]:")
_BAD_COMPONENT_CHARS = re.compile(r"[\x00-\x1f:]")


def extract(
    zip_path: Path,
    destination_dir: Path,
    *,
    keep_zip: bool = True,
    is_cancelled: Callable[[], bool] = lambda: False,
    on_progress: Optional[Callable[[int, int], None]] = None,
) -> List[Path]:
    """Extract every file of `zip_path` under `destination_dir`; return them in archive order.

    `on_progress(bytes_done, bytes_total)` counts uncompressed bytes, once per chunk. The zip is
    deleted only when `keep_zip` is False and everything was extracted.
    Raises UnsafeArchiveError (nothing written), DiskFullError, IncompleteTransferError (a
    damaged or truncated zip), UnexpectedResponseError (encrypted or an unsupported compression),
    CancelledError.
    """
    zip_path = Path(zip_path)
    root = _real(Path(destination_dir))
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise IncompleteTransferError(
            f"{zip_path.name} is damaged or incomplete ({exc}). Download it again.") from None
    with archive:
        folders, files = _plan(archive, root, _real(zip_path))
        total = sum(info.file_size for info, _ in files)
        free = shutil.disk_usage(_existing_ancestor(root)).free
        if total > free:
            raise DiskFullError(f"Not enough free space in {root} to extract {zip_path.name}: "
                                f"{format_bytes(total)} needed, {format_bytes(free)} free.")
        staging = _Staging([target for _, target in files])
        try:
            for folder in folders + [target.parent for _, target in files]:
                staging.make_folder(folder)
            done = 0
            for info, target in files:
                done = _extract_member(archive, info, staging.path_for(target), target, done,
                                       total, is_cancelled, on_progress)
            staging.swap_in()  # every member is whole: only now is anything replaced
        except BaseException:
            staging.roll_back()
            raise
        extracted = [target for _, target in files]
    if not keep_zip:
        zip_path.unlink()
    log.info("Extracted %d file(s), %s, from %s to %s", len(extracted), format_bytes(total),
             zip_path.name, root)
    return extracted


def _plan(archive: zipfile.ZipFile, root: Path, zip_path: Path
          ) -> Tuple[List[Path], List[Tuple[zipfile.ZipInfo, Path]]]:
    """Every folder to create and (member, target) to write, or UnsafeArchiveError."""
    folders: List[Path] = []
    files: List[Tuple[zipfile.ZipInfo, Path]] = []
    seen: Dict[str, str] = {}  # name_key(path) -> member name: Windows and macOS fold case
    parents: Set[str] = set()
    compressed = 0
    for info in archive.infolist():
        name = info.filename
        parts = _safe_parts(name)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeArchiveError(f"The archive holds a link ({name}); it was not extracted.")
        if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
            raise UnsafeArchiveError(f"The archive holds a special file ({name}); it was not "
                                     f"extracted.")
        target = root.joinpath(*parts)
        # Existing symlinked folders under the destination must not lead elsewhere either.
        if root not in _real(target).parents:
            raise UnsafeArchiveError(f"The archive member {name} would be written outside "
                                     f"{root}; nothing was extracted.")
        key = name_key("/".join(parts))
        for depth in range(1, len(parts)):
            parents.add(name_key("/".join(parts[:depth])))
        if info.is_dir():
            folders.append(target)
            continue
        if key in seen:
            raise UnsafeArchiveError(f"The archive holds {name} twice (as {seen[key]} and "
                                     f"{name}); nothing was extracted.")
        seen[key] = name
        if _real(target) == zip_path:
            raise UnsafeArchiveError(f"The archive member {name} would overwrite the archive.")
        if info.flag_bits & 0x1:
            raise UnexpectedResponseError(f"The archive member {name} is password-protected.")
        if info.compress_type not in _SUPPORTED_COMPRESSION:
            raise UnexpectedResponseError(
                f"The archive member {name} uses a compression method ({info.compress_type}) "
                f"this plugin does not extract; extract it with another tool.")
        _check_ratio(info.file_size, info.compress_size, f"The archive member {name}")
        compressed += info.compress_size
        files.append((info, target))
    clash = parents & set(seen)
    if clash:
        raise UnsafeArchiveError(f"The archive holds {seen[min(clash)]} both as a file and as a "
                                 f"folder; nothing was extracted.")
    _check_ratio(sum(info.file_size for info, _ in files), compressed, "The archive")
    return folders, files


def _safe_parts(name: str) -> List[str]:
    # Zips made on Windows may use backslashes; on Windows they would be separators.
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise UnsafeArchiveError(f"The archive member {name} has an absolute path; nothing was "
                                 f"extracted.")
    parts = [part for part in re.split(r"[/\\]", name) if part not in ("", ".")]
    for part in parts:
        if part == "..":
            raise UnsafeArchiveError(f"The archive member {name} points outside its folder "
                                     f"(..); nothing was extracted.")
        if _BAD_COMPONENT_CHARS.search(part) or is_device_name(part):
            raise UnsafeArchiveError(f"The archive member name {name!r} is not a safe file "
                                     f"name; nothing was extracted.")
    if not parts:
        raise UnsafeArchiveError(f"The archive member name {name!r} is empty.")
    return parts


def _check_ratio(size: int, compressed: int, what: str) -> None:
    if size > RATIO_FLOOR and size > MAX_RATIO * max(compressed, 1):
        raise UnsafeArchiveError(
            f"{what} would expand from {format_bytes(compressed)} to "
            f"{format_bytes(size)}: refusing a likely zip bomb.")


def _extract_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, staged: Path, target: Path, done: int,
    total: int, is_cancelled: Callable[[], bool],
    on_progress: Optional[Callable[[int, int], None]],
) -> int:
    written = 0
    try:
        with archive.open(info) as source, open(staged, "wb") as sink:
            while True:
                if is_cancelled():
                    raise CancelledError("Extraction cancelled.")
                block = source.read(COPY_CHUNK)
                if not block:
                    break
                written += len(block)
                if written > info.file_size:  # zipfile caps this already; never trust one check
                    raise UnsafeArchiveError(f"The archive member {info.filename} is larger "
                                             f"than it declares.")
                sink.write(block)
                done += len(block)
                if on_progress is not None:
                    on_progress(done, total)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise IncompleteTransferError(f"The archive member {info.filename} is damaged ({exc}). "
                                      f"Download the file again.") from None
    except OSError as exc:
        if exc.errno in DISK_FULL_ERRNOS:
            raise DiskFullError(f"The disk filled up while extracting {info.filename} to "
                                f"{target.parent}.") from None
        raise PixxelError(f"Could not write {target}: {exc.strerror}.") from None
    return done


class _Staging:
    """The hidden files members are written to, the folders made for them, and the swap of the
    finished members into place, undone on failure (see the module docstring)."""

    def __init__(self, targets: List[Path]) -> None:
        names = {target.name for target in targets}
        self.token = secrets.token_hex(6)
        while any(name.startswith(f".pixxel-{self.token}-") for name in names):
            self.token = secrets.token_hex(6)  # a member with this very name: practically never
        self.staged: List[Tuple[Path, Path]] = []  # (staging file, target)
        self.swapped: List[Tuple[Path, Optional[Path]]] = []  # (target, its old file set aside)
        self.created: List[Path] = []  # folders that did not exist, parents first

    def make_folder(self, folder: Path) -> None:
        missing = []
        while not folder.exists() and folder.parent != folder:
            missing.append(folder)
            folder = folder.parent
        for path in reversed(missing):
            try:
                path.mkdir()
            except OSError as exc:
                raise os_error(exc, f"create the folder {path}") from None
            self.created.append(path)

    def path_for(self, target: Path) -> Path:
        staged = target.with_name(f".pixxel-{self.token}-{len(self.staged)}.new")
        self.staged.append((staged, target))
        return staged

    def swap_in(self) -> None:
        for _staged, target in self.staged:
            if target.is_dir() and not target.is_symlink():
                raise PixxelError(f"Could not replace {target}: a folder of that name is in the "
                                  f"way.")
        for staged, target in self.staged:
            aside = staged.with_suffix(".old") if os.path.lexists(target) else None
            try:
                if aside is not None:
                    os.replace(target, aside)
                self.swapped.append((target, aside))
                os.replace(staged, target)
            except OSError as exc:
                raise PixxelError(f"Could not replace {target}: {exc.strerror}. Is it open in "
                                  f"another program?") from None
        for _target, aside in self.swapped:
            if aside is not None:
                _remove(aside)

    def roll_back(self) -> None:
        for target, aside in reversed(self.swapped):
            try:
                if aside is not None:
                    os.replace(aside, target)
                else:
                    target.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("Could not put %s back as it was: %s", target, exc)
        for staged, _target in self.staged:
            _remove(staged)
        for folder in reversed(self.created):
            # Not empty: something else wrote there meanwhile, and that stays.
            with contextlib.suppress(OSError):
                folder.rmdir()


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("Could not remove %s: %s", path, exc)


def _real(path: Path) -> Path:
    # os.path.realpath, not Path.resolve: before Python 3.10, resolve() of a path that does not
    # exist yet could come back relative on Windows (bpo-38671), and QGIS 3.22 ships 3.9 there.
    return Path(os.path.realpath(path))


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path
