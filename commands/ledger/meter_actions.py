"""The reusable metering command other features call: quota first, then 1 Ξ per action."""

from __future__ import annotations

from uuid import UUID

from commands.ledger.base import LedgerCommand
from commands.unit_of_work import UnitOfWork
from domain.ledger.events import ActionsMetered
from domain.ledger.ledger import Ledger, ledger_id
from domain.ledger.plans import MONTHLY_ACTIONS, ActionKind, actions_for
from domain.workspaces.workspace import Workspace


class MeterActions(LedgerCommand, frozen=True, kw_only=True):
    kind: ActionKind
    reason: str
    transaction_id: UUID
    multiplier: float = 1.0
    instrument_id: str | None = None


def meter(uow: UnitOfWork, command: MeterActions) -> ActionsMetered:
    context = uow.context
    plan = uow.get(Workspace, context.workspace).plan_tier
    return uow.get(Ledger, ledger_id(context.workspace)).meter(
        command.kind,
        actions_for(command.kind, command.multiplier),
        MONTHLY_ACTIONS[plan],
        command.transaction_id,
        context.actor_id,
        command.reason,
        context.now,
        command.instrument_id,
    )


def handle(command: MeterActions, uow: UnitOfWork) -> ActionsMetered:
    return meter(uow, command)
