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
    assert context.workspace_id is not None
    assert context.actor_id is not None
    return uow.get(Ledger, ledger_id(context.workspace_id)).confirm_top_up(
        command.transaction_id, context.actor_id, context.now
    )
