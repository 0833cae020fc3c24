"""A tribute to a folly instrument: luck from the pulse, the draws from the caller, one outcome."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from commands.ledger.base import LedgerCommand
from commands.unit_of_work import UnitOfWork
from domain.identity.user import User
from domain.klepsydra.instruments import INSTRUMENTS
from domain.klepsydra.luck import luck
from domain.klepsydra.pulse import Pulse
from domain.klepsydra.tribute import resolve_tribute
from domain.ledger.events import Tribute, TributePaid
from domain.ledger.ledger import Ledger, ledger_id
from domain.shared import NotFound


class PayTribute(LedgerCommand, frozen=True, kw_only=True):
    instrument_id: str
    amount: Decimal | None
    transaction_id: UUID
    tier_draw: float
    boon_draw: float


def handle(command: PayTribute, uow: UnitOfWork) -> TributePaid:
    context = uow.context
    instrument = INSTRUMENTS.get(command.instrument_id)
    if instrument is None:
        raise NotFound("No folly instrument with this id.")
    tribute = command.amount if command.amount is not None else instrument.default_tribute
    psyche = uow.get(User, context.actor).psyche
    pulse = uow.get(Pulse, Pulse.of(context.actor).id)
    current = luck(
        pulse.minutes_since_last_tribute(context.now),
        pulse.phase_offset,
        pulse.frustration,
        pulse.flow,
    )
    outcome = resolve_tribute(
        instrument, tribute, current, psyche, pulse.losses, command.tier_draw, command.boon_draw
    )
    paid = uow.get(Ledger, ledger_id(context.workspace)).pay_tribute(
        Tribute(
            transaction_id=command.transaction_id,
            user_id=context.actor,
            instrument_id=instrument.id,
            tribute=tribute,
            boon=outcome.boon,
            luck=round(current, 6),
            outcome=outcome.outcome,
            psyche=psyche,
            tier_draw=command.tier_draw,
            boon_draw=command.boon_draw,
        ),
        context.now,
    )
    pulse.interact(outcome.won, "tribute", context.now)
    return paid
