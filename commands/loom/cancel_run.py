from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.loom.run import Run


class CancelRun(msgspec.Struct, frozen=True, kw_only=True):
    run_id: UUID


def handle(command: CancelRun, uow: UnitOfWork) -> Run:
    context = uow.context
    run = uow.get(Run, command.run_id).visible_to(context.workspace)
    run.cancel(context.actor_id, context.now)
    return run
