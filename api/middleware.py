"""Consistency headers. `Aevon-Min-Position: N` makes a request wait (bounded) until the read
models reached N; it runs before authentication, because the caller's own membership is itself
read-model state. `Aevon-Consistency: eventual` lets a write answer without waiting for them.
"""

from __future__ import annotations

import re
from uuid import uuid4

from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from aevon.logs import request_id
from api.consistency import eventual

HEADER = b"aevon-min-position"
CONSISTENCY = b"aevon-consistency"
WITH_BODY = {"POST", "PUT", "PATCH"}
REQUEST_ID = b"x-request-id"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class MinPositionMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        eventual.set(any(k == CONSISTENCY and v == b"eventual" for k, v in scope["headers"]))
        wanted = next((v for k, v in scope["headers"] if k == HEADER), b"")
        services = getattr(scope["app"].state, "services", None)
        if wanted.isdigit() and services is not None:
            await services.positions.wait(int(wanted), services.settings.consistency_timeout)
        await next_app(scope, receive, send)


class RequestIdMiddleware(ASGIMiddleware):
    """`X-Request-ID` (the caller's, when sane, or a new one) names the request in logs, in the
    response, and as the correlation id of the events it causes."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        given = next((v for k, v in scope["headers"] if k == REQUEST_ID), b"").decode("latin-1")
        current = given if _SANE_ID.fullmatch(given) else str(uuid4())
        request_id.set(current)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID, current.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await next_app(scope, receive, send_with_id)


class JsonBodiesMiddleware(ASGIMiddleware):
    """A request body must be JSON: anything else is 415, before any handler reads it."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope.get("method") in WITH_BODY:
            headers = dict(scope["headers"])
            media_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            has_body = headers.get(b"content-length", b"0") != b"0" or (
                b"transfer-encoding" in headers
            )
            if (has_body or media_type) and not _is_json(media_type):
                raise UnsupportedMediaType()
        await next_app(scope, receive, send)


def _is_json(media_type: bytes) -> bool:
    return media_type == b"application/json" or media_type.endswith(b"+json")


class UnsupportedMediaType(HTTPException):
    status_code = 415
    detail = "Request bodies must be JSON (Content-Type: application/json)."
