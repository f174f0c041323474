"""Is what storage sent the file, or storage's own error about it?

Storage (or a CDN, gateway or captive portal in front of it) sometimes answers a signed URL with
`200` and an error document instead of the file: Azure/S3/GCS-style XML
(`<?xml …?><Error><Code>AuthenticationFailed</Code><Message>…`), a JSON error
(`{"error": {"code": 403, "message": …}}`), or an HTML page, maybe behind a UTF-8 BOM, an XML
prolog or an `<!-- -->` comment, maybe labelled `application/octet-stream`. Status and
Content-Type cannot be trusted to tell, so the first bytes decide: `storage_error()` finds such a
document and keeps its own code and message for the user; `delivery_kind()` names what a
delivered file is by its bytes — GeoTIFF, BigTIFF, zip, or one of the side files a Pixxel
product ships (JPEG/PNG preview, ENVI header, XML metadata, GeoJSON footprint) — and UNKNOWN for
anything else, which is never kept as a download.

Pure Python. Nothing here parses XML with an XML parser: a handful of regular expressions over a
bounded head cannot be made to expand entities or fetch anything.
"""

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..pixxel.errors import UnexpectedResponseError
from ..pixxel.redaction import server_text
from .files import BIGTIFF, TIFF, UNKNOWN, ZIP, magic_kind

JPEG, PNG, ENVI_HEADER, XML, JSON = "jpeg", "png", "envi-header", "xml", "json"
#: What may be delivered: imagery, an archive of it, or one of a product's side files.
DELIVERY_KINDS = (ZIP, TIFF, BIGTIFF, JPEG, PNG, ENVI_HEADER, XML, JSON)
TIFF_KINDS = (TIFF, BIGTIFF)
# Error documents are a few hundred bytes; a head this long holds any of them whole, and a
# real file's head this long says what it is.
HEAD_BYTES = 64 * 1024
_SIDE_MAGIC = ((b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# What may stand before a document's first element: space, an XML declaration or processing
# instruction, comments, and (for HTML) the doctype.
_DRESSING = re.compile(r"\A(?:\s+|<\?.*?\?>|<!--.*?(?:-->|\Z))", re.DOTALL)
_HTML_START = re.compile(r"\A<(?:!doctype\s+html|html|head|body|title)\b", re.IGNORECASE)
_XML_ERROR_ROOT = re.compile(r"\A<(?:[\w.-]+:)?Error(?:\s[^>]*)?>", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_HEADING = re.compile(r"<h1[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class StorageErrorBody:
    """An error document where a file was expected: its dialect and storage's own words."""

    kind: str  # "xml" | "json" | "html"
    code: Optional[str]  # storage's error code (for HTML: None)
    message: Optional[str]  # storage's message (for HTML: the page's title or heading)

    def detail(self) -> str:
        """Storage's code and message, fit to quote (redacted, cut to a readable length)."""
        parts = [part for part in (self.code, self.message) if part]
        return server_text(": ".join(parts))


def storage_error(head: bytes) -> Optional[StorageErrorBody]:
    """The error document `head` (a body's first bytes, HEAD_BYTES are plenty) is, or None when
    it is not one: binary data, a product's XML or JSON, an unrecognised text."""
    if magic_kind(head) != UNKNOWN or any(head.startswith(m) for m, _ in _SIDE_MAGIC):
        return None
    text = _text(head)
    if text is None:
        return None
    body = _undressed(text)
    if _HTML_START.match(body):
        found = _TITLE.search(body) or _HEADING.search(body)
        return StorageErrorBody("html", None, _plain(found.group(1)) if found else None)
    if _XML_ERROR_ROOT.match(body):
        return StorageErrorBody("xml", _element(body, "Code"), _element(body, "Message"))
    if body.startswith("{"):
        return _json_error(body)
    return None


def error_message(found: StorageErrorBody, status: int) -> str:
    """The message for a user: what storage sent instead of the file, in its own words."""
    detail = found.detail()
    if found.kind == "html":
        shown = f" (\u201c{detail}\u201d)" if detail else ""
        return (f"Storage sent a web page instead of the file{shown}, HTTP {status}: a proxy or "
                f"captive portal may be in the way.")
    shown = f": {detail.rstrip('.')}." if detail else "."
    return (f"Storage answered with an error instead of the file (HTTP {status}){shown} Nothing "
            f"was saved. Request the download again; if this keeps happening, contact Pixxel.")


def error_document_refusal(head: bytes, status: int) -> Optional[UnexpectedResponseError]:
    """The error to raise when `head` (a body's first bytes) is storage's error document."""
    found = storage_error(head[:HEAD_BYTES])
    if found is None:
        return None
    return UnexpectedResponseError(error_message(found, status), status=status, code=found.code)


def delivery_kind(path: Path) -> str:
    """What the file at `path` is by its first bytes: one of DELIVERY_KINDS, or UNKNOWN (an
    error document included)."""
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
    return head_kind(head)


def head_kind(head: bytes) -> str:
    kind = magic_kind(head)
    if kind != UNKNOWN:
        return kind
    for magic, side_kind in _SIDE_MAGIC:
        if head.startswith(magic):
            return side_kind
    if storage_error(head) is not None:
        return UNKNOWN
    text = _text(head)
    if text is None:
        return UNKNOWN
    body = _undressed(text)
    if body.startswith("ENVI"):
        return ENVI_HEADER
    if body.startswith("<"):  # HTML went with the error documents above
        return XML
    if body.startswith("{"):
        return JSON
    return UNKNOWN


# --- internals ---------------------------------------------------------------------------------


def _text(head: bytes) -> Optional[str]:
    """The head as text, None when it is binary (a NUL byte or undecodable in its encoding)."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if head.startswith(bom):
            head, encoding = head[len(bom):], name
            break
    if encoding == "utf-8" and b"\0" in head[:4096]:
        return None
    # The head may end inside a multi-byte character: only that last character may be lost.
    text = head.decode(encoding, errors="replace")
    if text[:-1].count("\ufffd") > len(text) // 100:
        return None
    return text


def _undressed(text: str) -> str:
    while True:
        dressing = _DRESSING.match(text)
        if dressing is None or not dressing.group(0):
            return text
        text = text[dressing.end():]


def _element(body: str, name: str) -> Optional[str]:
    found = re.search(rf"<(?:[\w.-]+:)?{name}\s*>(.*?)</(?:[\w.-]+:)?{name}\s*>", body,
                      re.IGNORECASE | re.DOTALL)
    if found is None:
        return None
    # Azure appends "\nRequestId:…\nTime:…" to its message: the first line is the message.
    return _plain(found.group(1).strip().splitlines()[0]) if found.group(1).strip() else None


def _plain(markup: str) -> Optional[str]:
    text = " ".join(html.unescape(_TAGS.sub(" ", markup)).split())
    return text or None


def _json_error(body: str) -> Optional[StorageErrorBody]:
    try:
        data = json.loads(body)
    except ValueError:
        return None  # cut short or not JSON: a product's JSON is judged by the file, not here
    if not isinstance(data, dict) or "type" in data:  # GeoJSON (the footprint) has a type
        return None
    fields = {str(key).lower(): value for key, value in data.items()}
    error = fields.get("error")
    if isinstance(error, dict):
        inner = {str(key).lower(): value for key, value in error.items()}
        return StorageErrorBody("json", _scalar(inner.get("code") or inner.get("status")),
                                _scalar(inner.get("message")))
    if isinstance(error, str):
        return StorageErrorBody("json", _scalar(error), _scalar(
            fields.get("error_description") or fields.get("message")))
    code = fields.get("code") or fields.get("errorcode")
    message = fields.get("message") or fields.get("errormessage")
    if code is None or message is None:
        return None
    return StorageErrorBody("json", _scalar(code), _scalar(message))


def _scalar(value: Any) -> Optional[str]:
    if value is None or isinstance(value, (dict, list)):
        return None
    return " ".join(str(value).split()) or None
