"""Request bodies checked against Pixxel's own openapi.json (the copy beside this file).

A small validator for the part of OpenAPI 3.0 schemas the request bodies use ($ref, allOf,
type, enum, required, properties, additionalProperties, items, minimum/maximum, nullable), so the
sandbox refuses exactly what the published schema refuses, with no dependency beyond the
standard library. Keywords it does not know are ignored, as a lenient server would.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).with_name("openapi.json")
MAX_ERRORS = 20

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}


@functools.lru_cache(maxsize=1)
def document() -> dict:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def request_schema(method: str, template: str) -> dict:
    """The application/json request schema of an operation (KeyError if it has none)."""
    operation = document()["paths"][template][method.lower()]
    return operation["requestBody"]["content"]["application/json"]["schema"]


def validate(value: Any, schema: dict) -> list:
    """Human-readable problems of ``value`` against ``schema`` ([] when valid)."""
    problems: list = []
    _check(value, schema, "$", problems)
    return problems[:MAX_ERRORS]


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        node: Any = document()
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _check(value: Any, schema: dict, where: str, problems: list) -> None:
    schema = _resolve(schema)
    for part in schema.get("allOf", ()):
        _check(value, part, where, problems)
    if value is None:
        if not schema.get("nullable") and ("type" in schema or "enum" in schema):
            problems.append(f"{where}: must not be null")
        return
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if kind in _TYPES and not _TYPES[kind](value):
        problems.append(f"{where}: must be of type {kind}")
        return
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: must be one of {schema['enum']}")
    if "minimum" in schema and _TYPES["number"](value) and value < schema["minimum"]:
        problems.append(f"{where}: must be at least {schema['minimum']}")
    if "maximum" in schema and _TYPES["number"](value) and value > schema["maximum"]:
        problems.append(f"{where}: must be at most {schema['maximum']}")
    if isinstance(value, dict):
        _check_object(value, schema, where, problems)
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            _check(item, schema["items"], f"{where}[{index}]", problems)


def _check_object(value: dict, schema: dict, where: str, problems: list) -> None:
    for name in schema.get("required", ()):
        if name not in value:
            problems.append(f"{where}: {name} is required")
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            _check(item, properties[name], f"{where}.{name}", problems)
        elif extra is False:
            problems.append(f"{where}: unexpected property {name}")
        elif isinstance(extra, dict):
            _check(item, extra, f"{where}.{name}", problems)
