"""Executes a run's next node, if it has one to execute now: one step per command."""

from __future__ import annotations

from uuid import UUID

from commands.ledger.base import LedgerCommand
from commands.loom import tools
from commands.unit_of_work import UnitOfWork
from domain.loom.run import Run
from domain.shared import DomainError


class AdvanceRun(LedgerCommand, frozen=True, kw_only=True):
    run_id: UUID


def handle(command: AdvanceRun, uow: UnitOfWork) -> Run:
    run = uow.get(Run, command.run_id)
    now = uow.context.now
    node = run.next_node(now) if run.exists else None
    if node is None:
        return run
    uow.act_as(run.workspace_id, run.started_by, run_id=run.id)
    if node["type"] != "tool":
        run.execute(node, run.evaluate(node, now), now)
        return run
    try:
        result = tools.call(uow, run, node)
    except DomainError as error:
        # The tool's partial decisions are dropped; only the failure is recorded.
        uow.discard()
        run = uow.get(Run, command.run_id)
        run.fail(node["id"], f"{type(error).title}: {error.detail}", now)
        return run
    run.execute(node, result, now)
    return run
