import math
from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from commands.bus import CommandBus
from commands.context import Context
from commands.handlers import HANDLERS
from commands.klepsydra.pay_tribute import PayTribute
from domain.klepsydra.luck import Phase, luck, phase_of
from domain.klepsydra.pulse import Pulse, PulseInteracted
from domain.ledger.ledger import InsufficientCredits, Ledger, ledger_id
from tests.unit.fakes import InMemoryEventStore
from tests.unit.test_identity_commands import NOW, execute, register_command


def test_luck_follows_the_formula_and_stays_within_bounds() -> None:
    expected = 0.5 + 0.2 * math.sin(2 * math.pi * 0.01 * 25 + 1.0) + 0.05 * 0.1 + 0.075 * 0.1
    assert luck(25, 1.0, 0.1, 0.1) == pytest.approx(expected)
    assert luck(0, math.pi / 2, 1.0, 1.0) == pytest.approx(0.825)
    assert luck(0, math.pi / 2, 3.0, 3.0) == 0.95
    assert luck(0, -math.pi / 2, 0.0, 0.0) == pytest.approx(0.3)
    assert [phase_of(v) for v in (0.61, 0.6, 0.4, 0.39)] == [
        Phase.CREST,
        Phase.EQUILIBRIUM,
        Phase.EQUILIBRIUM,
        Phase.TROUGH,
    ]


def test_wins_and_losses_move_frustration_flow_and_the_loss_streak() -> None:
    pulse = Pulse(uuid4())
    pulse.create(uuid4(), 0.0, NOW)
    pulse.interact(False, "tribute", NOW)
    assert (pulse.frustration, pulse.flow, pulse.losses) == (0.25, 0.05, 1)
    for _ in range(3):
        pulse.interact(False, "tribute", NOW)
    assert (pulse.frustration, pulse.flow, pulse.losses) == (0.7, 0.0, 4)
    pulse.interact(True, "tribute", NOW)
    assert (pulse.frustration, pulse.flow, pulse.losses) == (0.5, 0.1, 0)
    assert isinstance(pulse.pending[-1], PulseInteracted)


def test_a_tribute_pays_from_the_ledger_and_moves_the_pulse_together() -> None:
    store = InMemoryEventStore()
    registration = register_command()
    execute(store, registration)
    bus = CommandBus(store, HANDLERS)  # type: ignore[arg-type]
    context = Context(
        workspace_id=registration.workspace_id,
        actor_id=registration.user_id,
        correlation_id=uuid4(),
        causation_id=uuid4(),
        now=NOW + timedelta(minutes=30),
    )
    command = PayTribute(
        instrument_id="SISYPHUSS_ASCENT",
        amount=None,
        transaction_id=uuid4(),
        tier_draw=0.0,
        boon_draw=0.0,
    )
    paid = bus.execute_sync(command, context).result
    assert (paid.tribute, paid.boon, paid.outcome) == (Decimal(10), Decimal(0), "common")
    assert sorted(store.types()[-2:]) == ["PulseInteracted", "TributePaid"]
    ledger = store.load(Ledger, ledger_id(registration.workspace_id))
    assert ledger.balance == Decimal(90)
    pulse = store.load(Pulse, Pulse.of(registration.user_id).id)
    assert (pulse.losses, pulse.since) == (1, context.now)
    too_much = PayTribute(
        instrument_id="SISYPHUSS_ASCENT",
        amount=Decimal(91),
        transaction_id=uuid4(),
        tier_draw=0.5,
        boon_draw=0.5,
    )
    with pytest.raises(InsufficientCredits):
        bus.execute_sync(too_much, context)
    assert sorted(store.types()[-2:]) == ["PulseInteracted", "TributePaid"]
