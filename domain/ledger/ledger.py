"""The workspace's ΞCredits ledger: the balance always equals the sum of completed amounts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import NAMESPACE_OID, UUID, uuid5

from domain.shared import Aggregate, Event, InvalidInput

INITIAL_GRANT = Decimal(100)
INITIAL_GRANT_DESCRIPTION = "Initial Apprentice credit grant."


def ledger_id(workspace_id: UUID) -> UUID:
    return uuid5(NAMESPACE_OID, f"aevon:ledger:{workspace_id}")


class CreditGranted(Event, frozen=True, kw_only=True):
    transaction_id: UUID
    workspace_id: UUID
    user_id: UUID | None
    amount: Decimal
    description: str
    at: datetime


class Ledger(Aggregate):
    category = "ledger"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.balance = Decimal(0)

    @classmethod
    def of(cls, workspace_id: UUID) -> Ledger:
        return cls(ledger_id(workspace_id))

    def grant(self, event: CreditGranted) -> None:
        if event.amount <= 0:
            raise InvalidInput("A credit grant must be positive.")
        self.record(event)

    def apply(self, event: Event) -> None:
        match event:
            case CreditGranted():
                self.balance += event.amount
            case _:
                super().apply(event)
