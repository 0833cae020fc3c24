from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.loom.run import Run


class ResumeRun(msgspec.Struct, frozen=True, kw_only=True):
    run_id: UUID
    approved: bool
    note: str | None = None


def handle(command: ResumeRun, uow: UnitOfWork) -> Run:
    context = uow.context
    run = uow.get(Run, command.run_id).visible_to(context.workspace)
    run.resume(command.approved, command.note, context.actor_id, context.now)
    return run
