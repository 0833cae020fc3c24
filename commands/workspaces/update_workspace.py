from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.shared import NotFound, expect_version
from domain.workspaces.workspace import PlanTier, Workspace


class UpdateWorkspace(msgspec.Struct, frozen=True, kw_only=True):
    workspace_id: UUID
    name: str | None = None
    plan_tier: PlanTier | None = None
    expected_version: int | None = None


def handle(command: UpdateWorkspace, uow: UnitOfWork) -> Workspace:
    workspace = uow.get(Workspace, command.workspace_id)
    if not workspace.exists:
        raise NotFound("Workspace not found.")
    expect_version(workspace, command.expected_version)
    if command.name is not None:
        workspace.rename(command.name, uow.context.now)
    if command.plan_tier is not None:
        workspace.change_plan(command.plan_tier, uow.context.now)
    return workspace
