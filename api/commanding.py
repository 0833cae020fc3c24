"""Runs a command for a request: idempotency, rendering, read-your-writes and ETag headers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import ClientException

from api.consistency import settle
from api.services import Services
from commands.bus import Idempotency
from commands.context import Context
from domain.shared import PreconditionFailed

JSON = "application/json"
MAX_KEY_LENGTH = 255


async def run(
    request: Request[Any, Any, Any],
    services: Services,
    command: object,
    context: Context,
    render: Callable[[Any], Any],
    *,
    status: int = 200,
    projections: Iterable[str] = (),
    etag: Callable[[Any], int] | None = None,
) -> Response[Any]:
    def rendered(result: Any) -> tuple[int, bytes]:
        body = render(result)
        return status, b"" if body is None else msgspec.json.encode(body)

    outcome = await services.bus.execute(
        command, context, await idempotency_of(request, context), rendered
    )
    if outcome.replayed:
        return Response(
            outcome.response or b"",
            status_code=outcome.status or status,
            media_type=JSON,
            headers={"Idempotent-Replayed": "true"},
        )
    headers = await settle(services, outcome, projections)
    if etag is not None:
        headers["ETag"] = etag_value(etag(outcome.result))
    body = outcome.response if outcome.response is not None else rendered(outcome.result)[1]
    return Response(body, status_code=status, media_type=JSON, headers=headers)


async def idempotency_of(request: Request[Any, Any, Any], context: Context) -> Idempotency | None:
    """POSTs may carry `Idempotency-Key`; scoped per workspace and user."""
    key = request.headers.get("idempotency-key")
    if request.method != "POST" or key is None:
        return None
    if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise ClientException(f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable chars.")
    digest = hashlib.sha256(f"{request.method} {request.url.path}\n".encode())
    digest.update(await request.body())
    return Idempotency(
        scope=f"{context.workspace_id}:{context.actor_id}", key=key, request_hash=digest.hexdigest()
    )


def etag_value(version: int) -> str:
    return f'"{version}"'


def expected_version(request: Request[Any, Any, Any]) -> int | None:
    """The version named by `If-Match` (None when absent or `*`); anything else fails with 412."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise PreconditionFailed()
    return int(value)
