"""The storage server: serves delivery files behind Azure-SAS-style signed URLs.

Behaves like Blob storage where clients feel it: XML errors, ETag/Last-Modified, single byte
ranges with 206/416, ``If-Range``, Content-MD5 on full reads. It never looks at an
``Authorization`` header: a signed URL is its only credential.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from email.utils import formatdate
from http import HTTPStatus
from pathlib import Path
from typing import Callable, Optional

from . import misbehaviour, signing
from .downloads import content_md5
from .faults import FaultRegistry
from .httpbase import BaseHandler, Reply, RequestLog, SandboxServer

# /deliveries/<download id>/<file>: what a download delivers; /previews/<STAC item id>/<file>: the
# thumbnails of archive items and purchased catalogs.
STORAGE_PATH = re.compile(r"^/(deliveries|previews)/([^/]+)/([^/]+)$")
CONTENT_TYPES = {".zip": "application/zip", ".tif": "image/tiff", ".tiff": "image/tiff",
                 ".png": "image/png"}
AZURE_CODES = {400: "InvalidInput", 403: "AuthenticationFailed", 404: "ResourceNotFound",
               405: "UnsupportedHttpVerb", 416: "InvalidRange", 429: "ServerBusy",
               500: "InternalError", 503: "ServerBusy"}


class UnsatisfiableRangeError(Exception):
    pass


class StorageServer(SandboxServer):
    def __init__(self, host: str, port: int, *, faults: FaultRegistry, log: RequestLog,
                 signer: signing.UrlSigner, resolve: Callable[[str, str, str], Optional[Path]],
                 settings: Callable, verbose: bool = False) -> None:
        self.signer = signer
        # ("deliveries" | "previews", download or item id, file name) -> the file, or None
        self.resolve = resolve
        self.settings = settings
        super().__init__(host, port, StorageHandler, name="storage", faults=faults, log=log,
                         verbose=verbose)


class StorageHandler(BaseHandler):
    server: StorageServer
    server_banner = "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0"

    def endpoint_for(self, method: str, path: str) -> str:
        return "storage"

    def respond(self, method: str, path: str, query: dict, body: bytes) -> Reply:
        if method not in ("GET", "HEAD"):
            return self.error_reply(405, "The resource doesn't support the specified HTTP verb.")
        match = STORAGE_PATH.match(path)
        if match is None:
            return self.error_reply(404, "The specified resource does not exist.")
        verdict = self.server.signer.verify(path, query)
        if verdict != signing.OK:
            return self._azure(403, signing.AUTH_FAILED,
                               signing.rejection_message(verdict, query.get("se", "")))
        file = self.server.resolve(*match.groups())
        if file is None:
            return self._azure(404, "BlobNotFound", "The specified blob does not exist.")
        return misbehaviour.shaped(self, self._file_reply(file))  # a trickle fault, if any

    def error_reply(self, status: int, message: str) -> Reply:
        code = AZURE_CODES.get(status) or _phrase_code(status)
        return self._azure(status, code, message)

    def expired_reply(self) -> Reply:
        return self._azure(403, signing.AUTH_FAILED, signing.rejection_message(signing.EXPIRED))

    def _azure(self, status: int, code: str, message: str) -> Reply:
        return Reply(status, [("Content-Type", "application/xml"), ("x-ms-error-code", code),
                              *_azure_headers()], signing.azure_error_xml(code, message))

    def _file_reply(self, file: Path) -> Reply:
        stat = file.stat()
        size = stat.st_size
        # Stable across requests and restarts while the file is unchanged.
        fingerprint = hashlib.sha1(f"{size}:{stat.st_mtime_ns}".encode(), usedforsecurity=False)
        etag = f'"0x{fingerprint.hexdigest()[:16].upper()}"'
        last_modified = formatdate(stat.st_mtime, usegmt=True)
        headers = [("Content-Type", CONTENT_TYPES.get(file.suffix, "application/octet-stream")),
                   ("ETag", etag), ("Last-Modified", last_modified), ("Accept-Ranges", "bytes"),
                   ("x-ms-blob-type", "BlockBlob"), *_azure_headers()]
        md5 = content_md5(file) if self.server.settings().content_md5 else None
        if md5:
            # Whole-file MD5 on every answer, so a client resuming with ranges can still verify.
            headers.append(("x-ms-blob-content-md5", md5))
        requested = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if requested and if_range and if_range not in (etag, last_modified):
            requested = None  # the client's partial copy is stale: send it the whole new file
        if requested:
            try:
                span = parse_range(requested, size)
            except UnsatisfiableRangeError:
                reply = self._azure(416, "InvalidRange", "The range specified is invalid for the "
                                                         "current size of the resource.")
                reply.headers.append(("Content-Range", f"bytes */{size}"))
                return reply
            if span is not None:
                start, end = span
                headers.append(("Content-Range", f"bytes {start}-{end}/{size}"))
                return Reply(206, headers, file=file, offset=start, length=end - start + 1)
        if md5:
            # Content-MD5 describes the body sent, so only a full read carries it (as Azure does).
            headers.append(("Content-MD5", md5))
        return Reply(200, headers, file=file, offset=0, length=size)


def parse_range(header: str, size: int) -> Optional[tuple]:
    """Inclusive (start, end) of a single ``bytes=`` range, None to ignore the header (RFC 9110:
    unsupported or malformed ranges are ignored), or raises UnsatisfiableRangeError."""
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = (part.strip() for part in spec.partition("-"))
    if not dash or not (first or last) or not all(p.isdigit() for p in (first, last) if p):
        return None
    if not first:  # suffix range: the last n bytes
        length = int(last)
        if length == 0 or size == 0:
            raise UnsatisfiableRangeError
        return max(0, size - length), size - 1
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise UnsatisfiableRangeError
    return start, min(int(last), size - 1) if last else size - 1


def _azure_headers() -> list:
    return [("x-ms-request-id", str(uuid.uuid4())), ("x-ms-version", signing.SAS_VERSION)]


def _phrase_code(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.replace(" ", "")
    except ValueError:
        return "Error"
