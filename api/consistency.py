"""Read-your-writes: a write answers once the read models that serve it have its events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from litestar import Request

from api.services import Services
from commands.bus import Outcome

POSITION = "Aevon-Position"
PENDING = {"Aevon-Consistency": "pending"}


async def settle(
    services: Services, outcome: Outcome, projections: Iterable[str] = ()
) -> dict[str, str]:
    if outcome.position is None:
        return {}
    headers = {POSITION: str(outcome.position)}
    timeout = services.settings.consistency_timeout
    if not await services.positions.wait(outcome.position, timeout, projections):
        headers |= PENDING
    return headers


async def wait_for_min_position(request: Request[Any, Any, Any]) -> None:
    """Honours `Aevon-Min-Position: N` on any request before it reads."""
    wanted = request.headers.get("aevon-min-position")
    if wanted and wanted.isdigit():
        services: Services = request.app.state.services
        await services.positions.wait(int(wanted), services.settings.consistency_timeout)
