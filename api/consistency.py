"""Read-your-writes: a write answers once the read models that serve it have its events."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar

from api.services import Services
from commands.bus import Outcome

POSITION = "Aevon-Position"
# Set per request by `Aevon-Consistency: eventual`: answer writes without waiting for read models.
eventual: ContextVar[bool] = ContextVar("eventual", default=False)
PENDING = {"Aevon-Consistency": "pending"}


async def settle(
    services: Services, outcome: Outcome, projections: Iterable[str] = ()
) -> dict[str, str]:
    if outcome.position is None:
        return {}
    headers = {POSITION: str(outcome.position)}
    if eventual.get():
        return headers
    timeout = services.settings.consistency_timeout
    if not await services.positions.wait(outcome.position, timeout, projections):
        headers |= PENDING
    return headers
