"""Litestar's route-handler decorators, except that guards are given the handler itself.

Litestar hands every guard a copy of the route handler, made on each request so that a guard
cannot change it. Ours never look at it (api/security.py), and the copy was 10 % of a read's
instructions (docs/performance.md).
"""

from __future__ import annotations

from typing import Any

import litestar
from litestar.connection import ASGIConnection
from litestar.handlers import HTTPRouteHandler


class _GuardedInPlace(HTTPRouteHandler):
    async def authorize_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> None:
        for guard in self.resolve_guards():
            await guard(connection, self)  # type: ignore[misc]


class get(_GuardedInPlace, litestar.get):
    pass


class post(_GuardedInPlace, litestar.post):
    pass


class put(_GuardedInPlace, litestar.put):
    pass


class patch(_GuardedInPlace, litestar.patch):
    pass


class delete(_GuardedInPlace, litestar.delete):
    pass
