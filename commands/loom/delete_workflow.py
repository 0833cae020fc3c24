from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.loom.workflow import Workflow
from domain.shared import expect_version


class DeleteWorkflow(msgspec.Struct, frozen=True, kw_only=True):
    workflow_id: UUID
    expected_version: int | None = None


def handle(command: DeleteWorkflow, uow: UnitOfWork) -> None:
    workflow = uow.get(Workflow, command.workflow_id).visible_to(uow.context.workspace)
    expect_version(workflow, command.expected_version)
    workflow.delete(uow.context.now)
