from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.ledger.events import CreditGranted
from domain.ledger.ledger import InsufficientCredits, Ledger
from domain.ledger.plans import ActionKind, actions_for, period_of

MARCH = datetime(2026, 3, 31, 23, 59, tzinfo=UTC)
APRIL = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)


def ledger_with(balance: int) -> Ledger:
    workspace = uuid4()
    ledger = Ledger.of(workspace)
    ledger.grant(
        CreditGranted(
            transaction_id=uuid4(),
            workspace_id=workspace,
            user_id=None,
            amount=Decimal(balance),
            description="grant",
            at=MARCH,
        )
    )
    return ledger


def meter(ledger: Ledger, actions: int, limit: int | None, at: datetime = MARCH) -> Decimal:
    return ledger.meter(ActionKind.SIMPLE_STEP, actions, limit, uuid4(), None, "r", at).amount


def test_costs_follow_the_reference_with_multipliers_rounded_up() -> None:
    assert [actions_for(k) for k in ActionKind] == [1, 2, 1, 2, 5, 2, 5]
    assert actions_for(ActionKind.COMPLEX_STEP, 1.25) == 3
    assert actions_for(ActionKind.TOOL_USE, 3.3) == 4
    assert actions_for(ActionKind.EXTERNAL_CALL, 1.5) == 3


def test_the_quota_is_used_first_then_one_credit_per_action() -> None:
    ledger = ledger_with(100)
    assert meter(ledger, 98, 100) == 0
    assert meter(ledger, 5, 100) == Decimal(3)
    assert ledger.balance == Decimal(97)


def test_the_quota_resets_at_the_start_of_each_utc_month() -> None:
    ledger = ledger_with(100)
    meter(ledger, 100, 100)
    assert meter(ledger, 1, 100, MARCH) == Decimal(1)
    assert meter(ledger, 100, 100, APRIL) == 0
    assert period_of(MARCH) == (datetime(2026, 3, 1, tzinfo=UTC), APRIL)
    assert period_of(datetime(2026, 12, 5, tzinfo=UTC))[1] == datetime(2027, 1, 1, tzinfo=UTC)


def test_an_unaffordable_charge_records_nothing() -> None:
    ledger = ledger_with(5)
    meter(ledger, 100, 100)
    before = list(ledger.pending)
    with pytest.raises(InsufficientCredits):
        meter(ledger, 6, 100)
    assert ledger.pending == before
    assert ledger.balance == Decimal(5)


def test_priesthood_is_unlimited() -> None:
    ledger = ledger_with(1)
    assert meter(ledger, 10_000, None) == 0
