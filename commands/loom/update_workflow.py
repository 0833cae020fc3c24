from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.loom.workflow import Workflow
from domain.shared import expect_version


class UpdateWorkflow(msgspec.Struct, frozen=True, kw_only=True):
    workflow_id: UUID
    changes: dict[str, Any]
    expected_version: int | None = None


def handle(command: UpdateWorkflow, uow: UnitOfWork) -> Workflow:
    workflow = uow.get(Workflow, command.workflow_id).visible_to(uow.context.workspace)
    expect_version(workflow, command.expected_version)
    workflow.update(
        command.changes.get("name", workflow.name),
        command.changes.get("is_active", workflow.is_active),
        command.changes.get("definition", workflow.definition),
        uow.context.now,
    )
    return workflow
