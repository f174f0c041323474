"""Fetch one signed storage URL to a verified local file: resumable, cancellable, constant memory.

Bytes go to `<destination>.part`. Beside it, `<destination>.part.json` (the sidecar) records what
makes a later resume safe, even after a QGIS restart: the blob's ETag, Last-Modified, total size and
whole-file MD5. It never records the URL: a signed URL is a credential, and it changes on every
refresh. A `.part` without a readable sidecar cannot be validated and is thrown away.

A file only gets its final name (os.replace, after fsync) once its length equals what storage
announced and its MD5 matches when storage states one, so a file under the final name is complete.
Storage's own error document served as the file (content_check.py) never becomes a `.part`; a
`.part` is resumed only with a validator to send as If-Range (else a changed object's remainder
would be joined to the old one's start); links must be https, or plain http to this computer.

Already complete: when the final file exists (and no `.part`), one `GET` with `Range: bytes=0-0`
asks storage for the size and MD5; a matching file is kept and nothing else is transferred. A GET,
not a HEAD, because URLs presigned for GET (S3-style) refuse other methods.

MD5 across a resume: the MD5 is computed while writing (on a second thread, see HashThread); a
resume that starts in a new call first hashes the existing `.part` from disk (streaming), so the
final digest always covers the whole file.

Pure Python (runs in QgsTask.run()); every request goes through the HttpGateway, which adds no
credentials: storage never sees the API key.
"""

import base64
import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, List, Optional

from ..pixxel import interruptible
from ..pixxel.address import cleartext_refusal
from ..pixxel.errors import (
    CancelledError,
    IncompleteTransferError,
    InsecureConnectionError,
    NetworkError,
    PixxelError,
    SignedUrlExpiredError,
    UntrustedCertificateError,
)
from ..pixxel.http import HttpGateway
from ..pixxel.redaction import pixxel_logger, redact_url
from ..pixxel.retry import (
    Deadline,
    RetryPolicy,
    sleep_unless_cancelled,
)
from .content_check import error_document_refusal
from .files import ensure_free_space, format_bytes
from .part_file import (
    WRITEBACK_STEP,
    HashThread,
    Validators,
    append_chunk,
    file_md5,
    fsync_dir,
    full_validators,
    load_sidecar,
    md5_of,
    parse_content_range,
    part_paths,
    range_validators,
    resumed_validators,
    start_writeback,
    sync_part,
    write_sidecar,
)
from .progress import Progress, TransferMeter
from .stall import DEFAULT_STALL, StallPolicy, StallWatch, read_some, stalled_error
from .storage_answers import (
    READ_ERRORS,
    closed_early_error,
    read_error,
    status_error,
    web_page_error,
)

if TYPE_CHECKING:
    import requests

log = pixxel_logger()

DEFAULT_CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class FetchResult:
    path: Path
    size: int
    etag: Optional[str]
    md5_verified: bool  # storage stated an MD5 and the file matches it
    resumed: bool  # continued a .part left by an earlier attempt or call
    # Body bytes written during this call. A chunk cut short by a broken connection is not
    # counted: it never reaches the .part and is fetched again.
    bytes_received: int
    attempts: int  # requests sent to storage during this call
    md5: Optional[str] = None  # the whole-file MD5 storage stated (base64), if it stated one
    # Storage's Content-Disposition, which may name the file better than the URL does.
    content_disposition: Optional[str] = None


def fetch(
    gateway: HttpGateway,
    url: str,
    destination: Path,
    *,
    refresh_url: Optional[Callable[[], str]] = None,
    on_progress: Optional[Callable[[Progress], None]] = None,
    is_cancelled: Callable[[], bool] = lambda: False,
    retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen dataclass, safe as a default
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_url_refreshes: int = 3,
    expected_size: Optional[int] = None,
    stall: StallPolicy = DEFAULT_STALL,
) -> FetchResult:
    """Download `url` (a presigned storage URL) to `destination`, resuming any `.part` left there.

    `refresh_url` is called for a fresh signed URL when storage refuses the current one (401/403),
    at most `max_url_refreshes` times. `on_progress` is called from this thread, at most every
    PROGRESS_INTERVAL seconds plus once at the end. Dropped or stalled connections, short bodies,
    429 and 5xx are retried from where the bytes stopped; `retry.attempts` and `retry.deadline`
    bound the consecutive failures since the last byte arrived, so a long download that keeps
    making progress is never cut short; an attempt slower than `stall` allows (core/download/
    stall.py) is such a failure too. `expected_size`, when known, only lets the free-space check
    run before any request; storage's own size is what gets verified.

    `is_cancelled` is also polled from another thread while the body is read, so a cancel ends
    even a read stalled on storage within interruptible.CANCEL_POLL_INTERVAL (it must be safe to
    call from there).
    Raises CancelledError (the `.part` and its sidecar stay for a later resume), DiskFullError,
    SignedUrlExpiredError, NotFoundError, UnexpectedResponseError (a web page or storage's error
    document instead of the file; nothing is kept),
    IncompleteTransferError, InsecureConnectionError (a plain-http link or redirect; nothing
    sent), or the last NetworkError/ServerError/RateLimitedError/RequestTimeoutError.
    Safe to call from several threads with one gateway, for different destinations.
    """
    return _Fetch(
        gateway, url, Path(destination), refresh_url, on_progress, is_cancelled, retry,
        chunk_size, max_url_refreshes, stall,
    ).run(expected_size)


# --- internals ---------------------------------------------------------------------------------


class _TransientError(Exception):
    """A failure the next attempt may not meet; `error` is what the user sees if none remain."""

    def __init__(self, error: PixxelError, retry_after: Optional[float] = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry_after = retry_after


class _BadPartError(Exception):
    """The `.part` cannot become the file (wrong length, range or checksum): start from zero."""


class _StalledError(Exception):
    """This attempt is slower than the stall policy allows."""


class _Fetch:
    def __init__(
        self, gateway: HttpGateway, url: str, destination: Path,
        refresh_url: Optional[Callable[[], str]], on_progress: Optional[Callable[[Progress], None]],
        is_cancelled: Callable[[], bool], retry: RetryPolicy, chunk_size: int,
        max_url_refreshes: int, stall: StallPolicy,
    ) -> None:
        self.gateway = gateway
        self.url = url
        self.destination = destination
        self.part, self.sidecar = part_paths(destination)
        self.refresh_url = refresh_url
        self.is_cancelled = is_cancelled
        self.retry = retry
        self.chunk_size = chunk_size
        self.max_url_refreshes = max_url_refreshes
        self.stall = stall
        self.meter = TransferMeter(on_progress)
        self.attempts = 0
        self.received = 0
        self.refreshes = 0
        self.failures = 0  # consecutive, since the .part last grew past `high_water`
        self.high_water = 0  # a server that restarts from zero every time is not progressing
        self.recovery = Deadline(retry.deadline)
        self.restarted = False  # a corrupt .part was already thrown away once
        self.resumed = False
        self.disposition: Optional[str] = None
        # MD5 of the first `hashed` bytes of the .part, kept across attempts of this call.
        self.md5: Optional[Any] = None
        self.hashed = 0

    # -- the loop --------------------------------------------------------------------------------

    def run(self, expected_size: Optional[int]) -> FetchResult:
        log.info("Fetching %s to %s", redact_url(self.url), self.destination)
        self.destination.parent.mkdir(parents=True, exist_ok=True)
        probing = self.destination.exists() and not self.part.exists()
        if expected_size is not None and not probing:
            ensure_free_space(self.destination.parent, expected_size - self._part_size())
        while True:
            self._check_cancelled()
            try:
                if probing:
                    probing = False
                    done = self._probe()
                    if done is not None:
                        return done
                    continue
                return self._attempt()
            except _TransientError as exc:
                self._back_off(exc)
            except _BadPartError as exc:
                self._discard_part()
                if self.restarted:
                    raise IncompleteTransferError(
                        f"The download of {self.destination.name} failed verification twice "
                        f"({exc}). Try again later.") from None
                self.restarted = True
                self.high_water = 0
                self.resumed = False
                log.warning("%s: %s; starting over from zero", self.destination.name, exc)

    def _attempt(self) -> FetchResult:
        stored = load_sidecar(self.sidecar) if self.part.exists() else None
        if self.part.exists() and (stored is None or stored.if_range() is None):
            # Without a validator to send as If-Range, storage would send the rest of whatever
            # it holds now, and a changed object would be joined to the old one's start.
            log.info("%s has no sidecar naming an ETag or Last-Modified: starting over",
                     self.part.name)
            self._discard_part()
            stored = None
        validator = stored.if_range() if stored is not None else None
        offset = self._part_size() if validator else 0
        headers = {"Accept-Encoding": "identity"}
        if offset and validator:
            headers["Range"] = f"bytes={offset}-"
            headers["If-Range"] = validator
        response = self._open(headers)
        try:
            if response.status_code == 416:
                return self._finish_unsatisfiable(response, offset, stored)
            if response.status_code == 206:
                try:
                    validators = resumed_validators(response, offset, stored)
                except ValueError as exc:
                    raise _BadPartError(str(exc)) from None
                if offset:
                    self.resumed = True
                    log.info("%s: resuming at %s", self.destination.name, format_bytes(offset))
            else:
                if offset:
                    log.info("%s: storage sent the whole file (it changed, or ignores ranges): "
                             "starting over", self.destination.name)
                    self._discard_part()
                    offset, stored = 0, None
                validators = full_validators(response)
            if validators.total is not None:
                ensure_free_space(self.destination.parent, validators.total - offset)
            if validators != stored:
                write_sidecar(self.sidecar, validators)
            self._receive(response, offset, validators)
        finally:
            response.close()
        return self._finish(validators)

    def _probe(self) -> Optional[FetchResult]:
        """The final file exists: is it the one storage holds? None when it must be fetched."""
        response = self._open({"Accept-Encoding": "identity", "Range": "bytes=0-0"})
        try:
            status = response.status_code
            if status == 200:
                validators = full_validators(response)
            else:  # 206, or 416 for an empty blob: the total is in Content-Range
                total = parse_content_range(response.headers.get("Content-Range"))[2]
                validators = range_validators(response, total)
        finally:
            response.close()
        local_size = self.destination.stat().st_size
        if validators.total == local_size and (
            validators.md5 is None or validators.md5 == file_md5(self.destination, local_size)
        ):
            log.info("%s is already complete", self.destination.name)
            self.meter.update(local_size, local_size, 0, final=True)
            return self._result(self.destination, local_size, validators)
        log.info("%s differs from the file in storage: downloading it again",
                 self.destination.name)
        return None

    # -- one request -------------------------------------------------------------------------------

    def _open(self, headers: dict) -> "requests.Response":
        """Send the GET until storage answers 200/206/416; refresh an expired URL on the way."""
        while True:
            self._check_cancelled()
            refusal = cleartext_refusal(self.url)  # the first link, or a refreshed one
            if refusal is not None:
                raise InsecureConnectionError(refusal)
            self.attempts += 1
            try:
                response = self.gateway.send(
                    "GET", self.url, headers=headers, stream=True, is_cancelled=self.is_cancelled
                )
            except UntrustedCertificateError:
                raise
            except NetworkError as exc:
                raise _TransientError(exc) from None
            status = response.status_code
            page = web_page_error(response)
            if page is not None:
                response.close()
                raise page
            if status in (200, 206, 416):
                self.disposition = response.headers.get("Content-Disposition") or self.disposition
                return response
            response.close()
            if status in (401, 403):
                self._refresh(status, response.headers.get("x-ms-error-code") or "")
                continue
            error, transient, retry_after = status_error(response, self.destination.name)
            raise _TransientError(error, retry_after) if transient else error

    def _refresh(self, status: int, error_code: str) -> None:
        if self.refresh_url is None:
            raise SignedUrlExpiredError(
                f"Storage refused the download link (HTTP {status}): it has probably expired. "
                f"Request the download again.", status=status, code=error_code or None)
        if self.refreshes >= self.max_url_refreshes:
            raise SignedUrlExpiredError(
                f"Storage refused {self.refreshes + 1} download links in a row (HTTP {status}). "
                f"Check the computer's clock, then request the download again.",
                status=status, code=error_code or None)
        self.refreshes += 1
        log.info("Storage refused the signed URL (HTTP %s %s): asking for a fresh one (%d/%d)",
                 status, error_code, self.refreshes, self.max_url_refreshes)
        self.url = self.refresh_url()

    # -- bytes ------------------------------------------------------------------------------------

    def _receive(self, response: "requests.Response", offset: int, validators: Validators) -> None:
        total = validators.total
        if validators.md5:
            self._hash_part(offset)
        else:
            self.md5 = None
        done = written_back = offset
        out = None  # opened at the first byte, so that an error document never creates a .part
        # Pieces as they arrive, written in chunks of `chunk_size`: the stall watch sees every
        # byte, the disk sees the usual writes. A list, not a bytearray: on a fast link a piece
        # is a whole chunk and goes to the disk without being copied.
        pending: List[bytes] = []
        pending_size = 0
        watch = StallWatch(self.stall)
        with contextlib.ExitStack() as closing:
            hasher = None if self.md5 is None else closing.enter_context(HashThread(self.md5))
            # Left before the caller closes the response: its socket is never touched after.
            wait = closing.enter_context(interruptible.waiting(
                lambda: self.is_cancelled() or watch.stalled(),
                interruptible.body_socket(response)))

            def store(progress: bool = True) -> None:
                """`progress`: these bytes show the connection is working (a stall's last
                few bytes are kept, but do not earn its retries back)."""
                nonlocal done, written_back, out, pending_size
                chunk = pending[0] if len(pending) == 1 else b"".join(pending)
                pending.clear()
                pending_size = 0
                if out is None:
                    if done == 0:
                        self._refuse_error_document(chunk, response.status_code)
                    out = closing.enter_context(open(self.part, "ab", buffering=0))
                if total is not None and done + len(chunk) > total:
                    raise _BadPartError(f"storage sent more than the announced {total} bytes")
                append_chunk(out, chunk, done, total, self.part)
                done += len(chunk)
                if done - written_back >= WRITEBACK_STEP:
                    start_writeback(out.fileno(), written_back, done - written_back)
                    written_back = done
                self.received += len(chunk)
                if done > self.high_water:
                    self.high_water = done
                    self.failures = 0 if progress else self.failures
                if hasher is not None:
                    hasher.update(chunk)
                    self.hashed = done
                self.meter.update(done, total, self.received)

            try:
                while True:
                    try:
                        piece = read_some(response, self.chunk_size - pending_size)
                    except READ_ERRORS as exc:
                        self._check_interrupted(wait, watch)
                        # The bytes that arrived before the break are good (urllib3 1.x hands
                        # them over and then ends the body; urllib3 2 raises instead): keep them,
                        # so the resume starts where they end.
                        if pending:
                            store()
                        raise _TransientError(read_error(exc, done, total)) from None
                    self._check_interrupted(wait, watch)
                    watch.add(len(piece))
                    if piece:
                        pending.append(piece)
                        pending_size += len(piece)
                        if pending_size < self.chunk_size:
                            continue
                    if pending:
                        store()
                    if not piece:
                        break
            except _StalledError:
                if pending:  # slow bytes are good bytes: a stall may never fill a chunk
                    store(progress=False)
                raise _TransientError(stalled_error(self.stall, done, total)) from None
            if total is not None and done < total:
                # urllib3 1.x takes a closed connection for the end of the body: count ourselves.
                raise _TransientError(closed_early_error(done, total))
            if out is None:  # an empty file
                out = closing.enter_context(open(self.part, "ab", buffering=0))
            sync_part(out, self.part)

    def _refuse_error_document(self, head: bytes, status: int) -> None:
        """Storage's error about the file is never saved as the file (see content_check)."""
        refusal = error_document_refusal(head, status)
        if refusal is not None:
            self._discard_part()
            raise refusal

    def _check_interrupted(self, wait: interruptible.Wait, watch: StallWatch) -> None:
        """A cancel (never a failure to retry), or a stall (one, and resumable)."""
        if self.is_cancelled() or (wait.fired and not watch.tripped):
            raise CancelledError("Download cancelled.")
        if watch.stalled():
            raise _StalledError

    def _finish(self, validators: Validators) -> FetchResult:
        size = self._part_size()
        md5_ok = False
        if validators.md5:
            if self.md5 is None or self.hashed != size:
                self._hash_part(size)
            digest = base64.b64encode(self.md5.digest()).decode("ascii")
            if digest != validators.md5:
                raise _BadPartError("its MD5 checksum does not match the one storage states")
            md5_ok = True
        try:
            os.replace(self.part, self.destination)
        except OSError as exc:
            raise PixxelError(f"Could not replace {self.destination}: {exc.strerror}. Is it open "
                              f"in another program?") from None
        fsync_dir(self.destination.parent)
        self.sidecar.unlink(missing_ok=True)
        self.meter.update(size, size, self.received, final=True)
        log.info("Fetched %s: %s, %d request(s), %s over the wire%s", self.destination.name,
                 format_bytes(size), self.attempts, format_bytes(self.received),
                 ", MD5 verified" if md5_ok else "")
        return self._result(self.destination, size, validators, md5_ok)

    def _finish_unsatisfiable(self, response: "requests.Response", offset: int,
                              stored: Optional[Validators]) -> FetchResult:
        """416 to a resume: complete if the .part already holds the whole file."""
        total = parse_content_range(response.headers.get("Content-Range"))[2]
        known = stored.total if stored is not None else None
        if not offset or total is None or total != offset or known not in (None, total):
            raise _BadPartError(f"storage cannot serve from byte {offset} of a {total}-byte file")
        return self._finish(stored or Validators(None, None, total, None))

    def _result(self, path: Path, size: int, validators: Validators,
                md5_ok: Optional[bool] = None) -> FetchResult:
        return FetchResult(path=path, size=size, etag=validators.etag,
                           md5_verified=bool(validators.md5) if md5_ok is None else md5_ok,
                           resumed=self.resumed, bytes_received=self.received,
                           attempts=self.attempts, md5=validators.md5,
                           content_disposition=self.disposition)

    # -- retries, cancel, disk --------------------------------------------------------------------

    def _back_off(self, failure: _TransientError) -> None:
        if self.failures == 0:
            self.recovery = Deadline(self.retry.deadline)
        self.failures += 1
        if self.failures >= self.retry.attempts or self.recovery.expired():
            raise failure.error from None
        delay = self.retry.backoff(self.failures)
        if failure.retry_after is not None:
            if failure.retry_after > self.retry.retry_after_cap:
                raise failure.error from None
            delay = max(delay, failure.retry_after)
        if delay > self.recovery.remaining():
            raise failure.error from None
        log.info("%s: %s Retry %d of %d in %.1f s", self.destination.name, failure.error,
                 self.failures, self.retry.attempts - 1, delay)
        sleep_unless_cancelled(delay, self.is_cancelled)

    def _check_cancelled(self, wait: Optional[interruptible.Wait] = None) -> None:
        """`wait`: a body read the cancel may have cut short, never a failure to retry."""
        if (wait is not None and wait.fired) or self.is_cancelled():
            raise CancelledError("Download cancelled.")

    # -- the .part and its sidecar ----------------------------------------------------------------

    def _part_size(self) -> int:
        try:
            return self.part.stat().st_size
        except FileNotFoundError:
            return 0

    def _discard_part(self) -> None:
        self.part.unlink(missing_ok=True)
        self.sidecar.unlink(missing_ok=True)
        self.md5 = None
        self.hashed = 0

    def _hash_part(self, size: int) -> None:
        if self.md5 is not None and self.hashed == size:
            return
        self.md5 = md5_of(self.part, size) if size else hashlib.md5(usedforsecurity=False)
        self.hashed = size
