from __future__ import annotations

from datetime import UTC, datetime

from litestar import Controller

from api.routes import get
from api.schemas import PulseOut
from api.security import Member, requires
from api.services import Services
from domain.identity.policy import Permission
from domain.klepsydra.luck import NARRATIVES, luck, phase_of
from domain.shared import NotFound
from projections.users.queries import get_pulse


class PulseController(Controller):
    path = "/user"
    tags = ["Users"]

    @get("/pulse", operation_id="getUserPulse", **requires(Permission.READ))
    async def pulse(self, member: Member, services: Services) -> PulseOut:
        """The caller's Klepsydra pulse: luck now, its phase and narrative."""
        row = await get_pulse(services.pool, member.user_id)
        if row is None:
            raise NotFound("No pulse profile for this user.")
        minutes = (datetime.now(UTC) - row["since"]).total_seconds() / 60
        value = luck(minutes, row["phase_offset"], row["frustration"], row["flow"])
        phase = phase_of(value)
        return PulseOut(narrative=NARRATIVES[phase], phase=phase.value, value=round(value, 4))
