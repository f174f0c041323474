"""What every API endpoint module shares: Pixxel's error envelope, JSON answers, query parameters,
paging and request bodies checked against the request schema of openapi.json."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any, Callable, Optional

from . import spec
from .httpbase import Reply

DEFAULT_PAGE_CAP = 100


class ApiError(Exception):
    def __init__(self, status: int, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details


def pixxel_error_body(status: int, message: str, details: Any = None) -> dict:
    """Pixxel's error envelope, used for every error the API answers."""
    try:
        code = HTTPStatus(status).name
    except ValueError:
        code = "ERROR"
    return {"error": {"code": code, "message": message, "details": details}}


def request_id() -> tuple:
    return (("X-Request-Id", str(uuid.uuid4())),)


def ok(data: Any, status: int = 200) -> Reply:
    return Reply.json(status, data, request_id())


def page_cap(config: Any) -> int:
    return DEFAULT_PAGE_CAP if config.page_cap is None else config.page_cap


def int_param(query: dict, name: str, default: int, *, minimum: int) -> int:
    raw = query.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ApiError(400, f"{name} must be at least {minimum}, got {value}")
    return value


def paging(query: dict, default_limit: int = 10) -> tuple:
    return (int_param(query, "offset", 0, minimum=0),
            int_param(query, "limit", default_limit, minimum=1))


def body_paging(body: dict, default_limit: int) -> tuple:
    """offset/limit of a search body (the schema has checked their types)."""
    offset, limit = body.get("offset", 0), body.get("limit", default_limit)
    if offset < 0 or limit < 1:
        raise ApiError(400, "offset must be >= 0 and limit >= 1",
                       {"offset": offset, "limit": limit})
    return offset, limit


def page(rows: list, offset: int, limit: int, config: Any) -> list:
    """A page of rows: never more than the page cap, whatever limit was asked."""
    return rows[offset:offset + min(limit, page_cap(config))]


def pagination(offset: int, limit: int, total: int) -> dict:
    return {"limit": limit, "offset": offset, "total": total}


def csv_param(query: dict, name: str) -> list:
    """A comma-separated query parameter as a list of its non-empty parts."""
    return [part.strip() for part in query.get(name, "").split(",") if part.strip()]


def json_object(body: bytes) -> dict:
    try:
        data = json.loads(body or b"null")
    except ValueError:
        raise ApiError(400, "request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "request body must be a JSON object")
    return data


def checked_body(body: bytes, method: str, template: str, *, defaults: Optional[dict] = None,
                 view: Optional[Callable[[dict], dict]] = None) -> dict:
    """The JSON body, validated against the operation's request schema in openapi.json.

    ``defaults`` fills in absent keys, and ``view`` gives what is validated in place of the
    body, for the few places where the sandbox deliberately departs from the schema (each caller
    says why)."""
    data = json_object(body)
    for key, value in (defaults or {}).items():
        data.setdefault(key, value)
    problems = spec.validate(view(data) if view else data, spec.request_schema(method, template))
    if problems:
        raise ApiError(400, "request body does not match the API schema", {"errors": problems})
    return data


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso_z(moment: datetime) -> str:
    """``2024-05-27T06:50:20.056549Z``: the shape the spec's examples give most timestamps."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")[:-6] + "Z"


def iso_offset(moment: datetime) -> str:
    """``2020-01-01T00:00:00.000000+00:00``: the shape of the spec's order timestamps."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
