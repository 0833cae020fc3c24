"""Opaque cursors over a list's position key, and the `Link: rel="next"` header."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request
from litestar.exceptions import ClientException
from litestar.params import Parameter

Limit = Annotated[int, Parameter(ge=1, le=200, description="Page size, 1 to 200.")]
Cursor = Annotated[
    str | None, Parameter(max_length=100, description="Opaque cursor from a `Link` header.")
]


def decode_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind == "p" and value.isdigit():
            return int(value)
    except (ValueError, UnicodeDecodeError):
        pass
    raise ClientException("The cursor is not valid.")


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"p:{position}".encode()).decode()


def paginate(
    request: Request[Any, Any, Any],
    rows: Sequence[dict[str, Any]],
    limit: int,
    filters: Mapping[str, str | None] | None = None,
) -> tuple[Sequence[dict[str, Any]], dict[str, str]]:
    """Rows were fetched with limit + 1: an extra row means there is a next page.

    The next link carries only the list's own filters, never whatever else the query held.
    """
    if len(rows) <= limit:
        return rows, {}
    page = rows[:limit]
    params = {k: v for k, v in (filters or {}).items() if v is not None}
    query = urlencode({**params, "limit": limit, "cursor": encode_cursor(page[-1]["position"])})
    return page, {"Link": f'<{request.url.path}?{query}>; rel="next"'}
