"""The payload a run carries from node to node: dot paths, `{{templates}}` and comparisons."""

from __future__ import annotations

import re
from typing import Any

_MISSING = object()
_TEMPLATE = re.compile(r"\{\{\s*([\w.\-]+)\s*\}\}")


def lookup(payload: Any, path: str) -> Any:
    """The value at a dot path (`lead.email`, `items.0`), or `_MISSING`."""
    value = payload
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def exists(payload: Any, path: str) -> bool:
    return lookup(payload, path) is not _MISSING


def render(value: Any, payload: dict[str, Any]) -> Any:
    """Fills `{{dot.path}}` templates in strings, recursively. A string that is one template
    alone keeps the referenced value's type; missing values render as empty."""
    if isinstance(value, dict):
        return {key: render(item, payload) for key, item in value.items()}
    if isinstance(value, list):
        return [render(item, payload) for item in value]
    if not isinstance(value, str):
        return value
    whole = _TEMPLATE.fullmatch(value.strip())
    if whole:
        found = lookup(payload, whole.group(1))
        return None if found is _MISSING else found
    return _TEMPLATE.sub(lambda m: _text(lookup(payload, m.group(1))), value)


def _text(value: Any) -> str:
    if value is _MISSING or value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def compare(payload: dict[str, Any], path: str, operator: str, expected: Any) -> bool:
    actual = lookup(payload, path)
    match operator:
        case "exists":
            return actual is not _MISSING and actual is not None
        case "not_exists":
            return actual is _MISSING or actual is None
        case "eq":
            return actual is not _MISSING and actual == expected
        case "neq":
            return actual is _MISSING or actual != expected
        case "gt" | "lt":
            return _ordered(actual, operator, expected)
        case "contains":
            return _contains(actual, expected)
    raise ValueError(f"unknown operator {operator!r}")


def _ordered(actual: Any, operator: str, expected: Any) -> bool:
    """Numbers compare as numbers (numeric strings included); anything else is false."""
    try:
        left, right = float(actual), float(expected)
    except (TypeError, ValueError):
        return False
    return left > right if operator == "gt" else left < right


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str):
        return isinstance(expected, str) and expected.lower() in actual.lower()
    if isinstance(actual, list):
        return expected in actual
    if isinstance(actual, dict):
        return expected in actual
    return False


def merge(payload: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: nested objects combine, anything else is replaced."""
    merged = dict(payload)
    for key, value in result.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged
