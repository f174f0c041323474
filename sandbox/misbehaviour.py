"""The API's own misbehaviours (``faults.API_KINDS``), applied by the endpoints of sandbox/api.py
(and the trickle by sandbox/storage.py too).

Unlike the faults that replace an answer (faults.fault_reply) or cut its transfer
(httpbase.send), these change what an endpoint answers: the same page whatever the offset, pages
of AOIs that never end, a download in a status the plugin must not wait on, or the normal answer
sent a few bytes at a time, each within any read timeout, so only an overall deadline ends it.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .faults import Fault
from .httpbase import BaseHandler, Reply

# faults.DOWNLOAD_STATES as the status field says them (a success without URL says SUCCESS).
_STATUS_TEXT = {
    "error": "ERROR",
    "cancelled": "CANCELLED",
    "expired": "EXPIRED",
    "success_without_url": "SUCCESS",
}
_ENDLESS = uuid.UUID("6f1d3c1e-8a0b-4c55-9d57-2f0a4f1b7e11")  # namespace of invented ids
DEFAULT_TRICKLE_INTERVAL = 0.2


@dataclass
class Trickled(Reply):
    """An answer written `step` bytes at a time, `interval` seconds apart (until the server
    stops), after its first `fast` bytes at full speed: every read sees bytes in time, so no
    read timeout ever fires."""

    step: int = 1
    interval: float = DEFAULT_TRICKLE_INTERVAL
    closing: Optional[threading.Event] = None
    fast: int = 0

    def write(self, handler: Any, start: int, end: int) -> None:
        position = start
        if position < self.fast:
            position = min(end, self.fast)
            Reply.write(self, handler, start, position)
        while position < end:
            upto = min(end, position + self.step)
            Reply.write(self, handler, position, upto)
            position = upto
            if position < end and self.closing is not None and self.closing.wait(self.interval):
                return


def kind(handler: BaseHandler) -> Optional[str]:
    """The API misbehaviour firing on the request `handler` answers, if any."""
    fault = handler.fault
    return fault.kind if fault is not None else None


def shaped(handler: BaseHandler, reply: Reply) -> Reply:
    """`reply` as the firing fault sends it (trickled), or as it is."""
    fault = handler.fault
    if fault is None or fault.kind != "trickle":
        return reply
    fields = {f.name: getattr(reply, f.name) for f in dataclasses.fields(Reply)}
    return Trickled(**fields, step=max(1, int(fault.params.get("bytes", 1))),
                    interval=float(fault.params.get("interval", DEFAULT_TRICKLE_INTERVAL)),
                    closing=handler.server.closing, fast=int(fault.params.get("after_bytes", 0)))


def offset(handler: BaseHandler, asked: int, first: int = 0) -> int:
    """The offset (or page number) the endpoint serves: `first` when the server ignores it."""
    return first if kind(handler) == "ignore_offset" else asked


def endless_page(handler: BaseHandler, record_at: Callable[[int], dict], id_key: str,
                 offset_asked: int, limit: int, served: int) -> Optional[tuple]:
    """(rows, pagination) of a server inventing new records on every page, or None when no
    endless_pages fault fires. Rows are real records under new ids (no id is ever sent twice);
    the total grows so that one more page always seems due, or is left out (``total="none"``)."""
    fault: Optional[Fault] = handler.fault
    if fault is None or fault.kind != "endless_pages":
        return None
    serial = handler.server.faults.counts.get(fault.endpoint, 0)
    rows = []
    for index in range(served):
        record = dict(record_at(offset_asked + index))
        record[id_key] = str(uuid.uuid5(_ENDLESS, f"{serial}/{offset_asked}/{index}"))
        record["name"] = f"{record.get('name', '')} #{offset_asked + index + 1}"
        rows.append(record)
    pagination: dict = {"limit": limit, "offset": offset_asked}
    if fault.params.get("total", "grow") == "grow":
        pagination["total"] = offset_asked + 2 * served
    return rows, pagination


def download_state(handler: BaseHandler, state: str, url: str) -> tuple:
    """(status, signed URL) of a download answer, as the firing download_state fault has it."""
    fault = handler.fault
    if fault is None or fault.kind != "download_state":
        return state, url
    wanted = fault.params["state"]
    return _STATUS_TEXT[wanted], ""
