from __future__ import annotations

from uuid import UUID

from commands.ledger.base import LedgerCommand
from commands.unit_of_work import UnitOfWork
from domain.ledger.events import TopUpRequested
from domain.ledger.ledger import Ledger, ledger_id


class ConfirmTopUp(LedgerCommand, frozen=True, kw_only=True):
    transaction_id: UUID


def handle(command: ConfirmTopUp, uow: UnitOfWork) -> TopUpRequested:
    """Returns the request it completed."""
    context = uow.context
    return uow.get(Ledger, ledger_id(context.workspace)).confirm_top_up(
        command.transaction_id, context.actor, context.now
    )
