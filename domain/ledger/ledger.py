"""The workspace's ΞCredits ledger and monthly action quota.

Invariants: the balance never goes negative, and it equals the sum of completed transaction
amounts. Every event carries the balance after it, so read models need no arithmetic.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import NAMESPACE_OID, UUID, uuid5

import msgspec

from domain.ledger.events import (
    ActionsMetered,
    CreditGranted,
    MicroAppUnlocked,
    TopUpConfirmed,
    TopUpRequested,
    Tribute,
    TributePaid,
)
from domain.ledger.plans import PRICE_PER_ACTION, ActionKind, period_of
from domain.shared import Aggregate, Conflict, DomainError, Event, InvalidInput, NotFound

INITIAL_GRANT = Decimal(100)
INITIAL_GRANT_DESCRIPTION = "Initial Apprentice credit grant."


def ledger_id(workspace_id: UUID) -> UUID:
    return uuid5(NAMESPACE_OID, f"aevon:ledger:{workspace_id}")


class InsufficientCredits(DomainError):
    title = "Insufficient credits"

    def __init__(self, needed: Decimal, balance: Decimal) -> None:
        super().__init__(f"This needs {needed} Ξ but the balance is {balance} Ξ.")


class Ledger(Aggregate):
    category = "ledger"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.workspace_id: UUID | None = None
        self.balance = Decimal(0)
        self.period_start: datetime | None = None
        self.actions_used = 0
        self.pending_top_ups: dict[UUID, TopUpRequested] = {}
        self.confirmed_top_ups: set[UUID] = set()
        self.unlocked_apps: set[str] = set()

    @classmethod
    def of(cls, workspace_id: UUID) -> Ledger:
        return cls(ledger_id(workspace_id))

    def used_in_period(self, at: datetime) -> int:
        return self.actions_used if self.period_start == period_of(at)[0] else 0

    def grant(self, event: CreditGranted) -> None:
        if event.amount <= 0:
            raise InvalidInput("A credit grant must be positive.")
        self.record(msgspec.structs.replace(event, balance=self.balance + event.amount))

    def meter(
        self,
        kind: ActionKind,
        actions: int,
        monthly_limit: int | None,
        transaction_id: UUID,
        user_id: UUID | None,
        reason: str,
        at: datetime,
        instrument_id: str | None = None,
    ) -> ActionsMetered:
        """Consumes the monthly quota first, then 1 Ξ per action; all or nothing."""
        assert self.workspace_id is not None
        used = self.used_in_period(at)
        remaining = actions if monthly_limit is None else max(0, monthly_limit - used)
        from_quota = min(actions, remaining)
        amount = (actions - from_quota) * PRICE_PER_ACTION
        self._require(amount)
        event = ActionsMetered(
            workspace_id=self.workspace_id,
            user_id=user_id,
            kind=kind,
            actions=actions,
            from_quota=from_quota,
            period_start=period_of(at)[0],
            actions_used=used + actions,
            transaction_id=transaction_id if amount else None,
            amount=amount,
            description=reason,
            instrument_id=instrument_id,
            at=at,
            balance=self.balance - amount,
        )
        self.record(event)
        return event

    def request_top_up(
        self, transaction_id: UUID, user_id: UUID, amount: Decimal, at: datetime
    ) -> TopUpRequested:
        assert self.workspace_id is not None
        if amount <= 0:
            raise InvalidInput("A top-up must be positive.")
        event = TopUpRequested(
            transaction_id=transaction_id,
            workspace_id=self.workspace_id,
            user_id=user_id,
            amount=amount,
            at=at,
        )
        self.record(event)
        return event

    def confirm_top_up(self, transaction_id: UUID, by: UUID, at: datetime) -> TopUpRequested:
        """Completes a pending top-up; returns the request it completes."""
        if transaction_id in self.confirmed_top_ups:
            raise Conflict("This top-up is already confirmed.")
        requested = self.pending_top_ups.get(transaction_id)
        if requested is None:
            raise NotFound("No pending top-up with this id.")
        self.record(
            TopUpConfirmed(
                transaction_id=transaction_id,
                confirmed_by=by,
                amount=requested.amount,
                at=at,
                balance=self.balance + requested.amount,
            )
        )
        return requested

    def unlock(
        self,
        app_id: str,
        name: str,
        cost: Decimal,
        transaction_id: UUID,
        user_id: UUID,
        at: datetime,
    ) -> MicroAppUnlocked:
        assert self.workspace_id is not None
        if cost <= 0 or app_id in self.unlocked_apps:
            raise Conflict("This micro-app is already unlocked.")
        self._require(cost)
        event = MicroAppUnlocked(
            transaction_id=transaction_id,
            workspace_id=self.workspace_id,
            user_id=user_id,
            app_id=app_id,
            description=f"Micro-App Unlock: {name}",
            amount=cost,
            at=at,
            balance=self.balance - cost,
        )
        self.record(event)
        return event

    def pay_tribute(self, tribute: Tribute, at: datetime) -> TributePaid:
        assert self.workspace_id is not None
        if tribute.tribute <= 0:
            raise InvalidInput("A tribute must be positive.")
        self._require(tribute.tribute)
        event = TributePaid(
            **msgspec.structs.asdict(tribute),
            workspace_id=self.workspace_id,
            at=at,
            balance=self.balance - tribute.tribute + tribute.boon,
        )
        self.record(event)
        return event

    def _require(self, amount: Decimal) -> None:
        if amount > self.balance:
            raise InsufficientCredits(amount, self.balance)

    def apply(self, event: Event) -> None:
        match event:
            case CreditGranted():
                self.workspace_id = event.workspace_id
                self.balance += event.amount
            case ActionsMetered():
                self.period_start = event.period_start
                self.actions_used = event.actions_used
                self.balance = event.balance
            case TopUpRequested():
                self.pending_top_ups[event.transaction_id] = event
            case TopUpConfirmed():
                del self.pending_top_ups[event.transaction_id]
                self.confirmed_top_ups.add(event.transaction_id)
                self.balance = event.balance
            case MicroAppUnlocked():
                self.unlocked_apps.add(event.app_id)
                self.balance = event.balance
            case TributePaid():
                self.balance = event.balance
            case _:
                super().apply(event)
