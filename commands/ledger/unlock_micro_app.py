from __future__ import annotations

from uuid import UUID

from commands.ledger.base import LedgerCommand
from commands.unit_of_work import UnitOfWork
from domain.ledger.events import MicroAppUnlocked
from domain.ledger.ledger import Ledger, ledger_id
from domain.microapps.catalogue import CATALOGUE
from domain.shared import NotFound


class UnlockMicroApp(LedgerCommand, frozen=True, kw_only=True):
    app_id: str
    transaction_id: UUID


def handle(command: UnlockMicroApp, uow: UnitOfWork) -> MicroAppUnlocked:
    context = uow.context
    app = CATALOGUE.get(command.app_id)
    if app is None:
        raise NotFound("No micro-app with this id.")
    return uow.get(Ledger, ledger_id(context.workspace)).unlock(
        app.id, app.name, app.credit_cost, command.transaction_id, context.actor, context.now
    )
