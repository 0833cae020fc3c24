"""Guards run on the route handler itself, on every route of the app."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.testing import create_test_client

from aevon.settings import load_settings
from api.app import create_app
from api.routes import _GuardedInPlace, get


def test_a_guard_sees_the_handler_itself_and_can_refuse() -> None:
    seen: list[BaseRouteHandler] = []

    async def guard(
        connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
    ) -> None:
        seen.append(handler)
        if connection.query_params.get("deny"):
            raise PermissionDeniedException("no")

    @get("/thing", guards=[guard], sync_to_thread=False)
    def thing() -> str:
        return "ok"

    with create_test_client([thing]) as client:
        assert client.get("/thing").text == "ok"
        assert client.get("/thing?deny=1").status_code == 403
    registered = client.app.route_handler_method_map["/thing"]["GET"]
    assert seen == [registered, registered]


def test_every_guarded_route_of_the_app_uses_our_decorators() -> None:
    settings = load_settings(
        {
            "AEVON_DATABASE_URL": "postgresql://nowhere/db",
            "AEVON_NATS_URL": "nats://nowhere:4222",
            "AEVON_JWT_SECRET": "a-secret-long-enough-for-hs256-signing",
            "AEVON_SECRET_KEY": "another-secret-long-enough-for-the-box",
        }
    )
    handlers = [
        handler
        for route in create_app(settings).routes
        for handler in getattr(route, "route_handlers", [])
        if handler.resolve_guards()
    ]
    assert len(handlers) > 50
    assert [h for h in handlers if not isinstance(h, _GuardedInPlace)] == []
