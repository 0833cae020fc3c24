"""Whatever happens to a ledger, its balance stays ≥ 0 and equals Σ completed amounts."""

import contextlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from domain.identity.roles import Psyche
from domain.klepsydra.instruments import INSTRUMENTS
from domain.klepsydra.tribute import resolve_tribute
from domain.ledger.events import (
    ActionsMetered,
    CreditGranted,
    MicroAppUnlocked,
    TopUpConfirmed,
    Tribute,
    TributePaid,
)
from domain.ledger.ledger import Ledger
from domain.ledger.plans import ActionKind, actions_for
from domain.microapps.catalogue import CATALOGUE
from domain.shared import DomainError, Event

START = datetime(2026, 1, 31, 23, 0, tzinfo=UTC)
PRICED_APPS = [app for app in CATALOGUE.values() if not app.included]


def completed_amount(event: Event) -> Decimal:
    match event:
        case CreditGranted() | TopUpConfirmed():
            return event.amount
        case ActionsMetered() | MicroAppUnlocked():
            return -event.amount
        case TributePaid():
            return event.boon - event.tribute
    return Decimal(0)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.workspace = uuid4()
        self.ledger = Ledger.of(self.workspace)
        self.now = START
        self.pending: list[UUID] = []
        self.ledger.grant(
            CreditGranted(
                transaction_id=uuid4(),
                workspace_id=self.workspace,
                user_id=None,
                amount=Decimal(100),
                description="grant",
                at=self.now,
            )
        )

    def attempt(self, action: object) -> None:
        """Refusals are part of the game; they must simply leave no trace."""
        with contextlib.suppress(DomainError):
            action()  # type: ignore[operator]

    @rule(minutes=st.integers(0, 60 * 24 * 20))
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    @rule(
        kind=st.sampled_from(list(ActionKind)),
        multiplier=st.sampled_from([0.5, 1, 1.5, 3, 10, 40]),
        limit=st.sampled_from([100, 2000, None]),
    )
    def meter(self, kind: ActionKind, multiplier: float, limit: int | None) -> None:
        self.attempt(
            lambda: self.ledger.meter(
                kind, actions_for(kind, multiplier), limit, uuid4(), None, "r", self.now
            )
        )

    @rule(amount=st.decimals(min_value="0.01", max_value="500", places=2))
    def request_top_up(self, amount: Decimal) -> None:
        transaction = uuid4()
        self.ledger.request_top_up(transaction, uuid4(), amount, self.now)
        self.pending.append(transaction)

    @precondition(lambda self: self.pending)
    @rule(index=st.integers(0, 50), twice=st.booleans())
    def confirm(self, index: int, twice: bool) -> None:
        transaction = self.pending[index % len(self.pending)]
        self.attempt(lambda: self.ledger.confirm_top_up(transaction, uuid4(), self.now))
        if twice:
            self.attempt(lambda: self.ledger.confirm_top_up(transaction, uuid4(), self.now))

    @rule(app=st.sampled_from(PRICED_APPS))
    def unlock(self, app: object) -> None:
        self.attempt(
            lambda: self.ledger.unlock(
                app.id,
                app.name,
                app.credit_cost,
                uuid4(),
                uuid4(),
                self.now,  # type: ignore[attr-defined]
            )
        )

    @rule(
        instrument=st.sampled_from(list(INSTRUMENTS.values())),
        amount=st.decimals(min_value="1", max_value="150", places=0),
        luck=st.floats(0.05, 0.95),
        draws=st.tuples(st.floats(0, 0.999999), st.floats(0, 0.999999)),
        losses=st.integers(0, 6),
    )
    def tribute(self, instrument, amount, luck, draws, losses) -> None:  # type: ignore[no-untyped-def]
        outcome = resolve_tribute(instrument, amount, luck, Psyche.ZEN_ARCHITECT, losses, *draws)
        self.attempt(
            lambda: self.ledger.pay_tribute(
                Tribute(
                    transaction_id=uuid4(),
                    user_id=uuid4(),
                    instrument_id=instrument.id,
                    tribute=amount,
                    boon=outcome.boon,
                    luck=luck,
                    outcome=outcome.outcome,
                    psyche=None,
                    tier_draw=draws[0],
                    boon_draw=draws[1],
                ),
                self.now,
            )
        )

    @invariant()
    def balance_is_never_negative(self) -> None:
        assert self.ledger.balance >= 0

    @invariant()
    def balance_is_the_sum_of_completed_amounts_and_survives_replay(self) -> None:
        history = self.ledger.pending
        assert self.ledger.balance == sum((completed_amount(e) for e in history), Decimal(0))
        replayed = Ledger.replay(self.ledger.id, history)
        assert replayed.balance == self.ledger.balance
        assert replayed.actions_used == self.ledger.actions_used


LedgerMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
TestLedgerInvariants = LedgerMachine.TestCase
