"""`Aevon-Min-Position: N` makes any request wait (bounded) until the read models reached N.

It runs before authentication, because the caller's own membership is itself read-model state.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

HEADER = b"aevon-min-position"


class MinPositionMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        wanted = next((v for k, v in scope["headers"] if k == HEADER), b"")
        services = getattr(scope["app"].state, "services", None)
        if wanted.isdigit() and services is not None:
            await services.positions.wait(int(wanted), services.settings.consistency_timeout)
        await next_app(scope, receive, send)
