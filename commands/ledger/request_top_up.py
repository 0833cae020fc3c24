from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from commands.ledger.base import LedgerCommand
from commands.unit_of_work import UnitOfWork
from domain.ledger.events import TopUpRequested
from domain.ledger.ledger import Ledger, ledger_id


class RequestTopUp(LedgerCommand, frozen=True, kw_only=True):
    transaction_id: UUID
    amount: Decimal


def handle(command: RequestTopUp, uow: UnitOfWork) -> TopUpRequested:
    context = uow.context
    return uow.get(Ledger, ledger_id(context.workspace)).request_top_up(
        command.transaction_id, context.actor, command.amount, context.now
    )
