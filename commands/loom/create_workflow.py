from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.loom.definition import TriggerType
from domain.loom.workflow import Workflow, WorkflowCreated


class CreateWorkflow(msgspec.Struct, frozen=True, kw_only=True):
    workflow_id: UUID
    name: str
    trigger_type: TriggerType
    is_active: bool
    definition: dict[str, Any]


def handle(command: CreateWorkflow, uow: UnitOfWork) -> Workflow:
    workflow = uow.get(Workflow, command.workflow_id)
    workflow.create(
        WorkflowCreated(
            workspace_id=uow.context.workspace,
            name=command.name,
            trigger_type=command.trigger_type,
            is_active=command.is_active,
            definition=command.definition,
            at=uow.context.now,
        )
    )
    return workflow
