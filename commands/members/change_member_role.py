from __future__ import annotations

from uuid import UUID

import msgspec

from commands.bus import Refused
from commands.members.guard import guard_hit
from commands.unit_of_work import UnitOfWork
from domain.identity.roles import Role
from domain.workspaces.workspace import LastAdminKept, Workspace


class ChangeMemberRole(msgspec.Struct, frozen=True, kw_only=True):
    user_id: UUID
    role: Role


def handle(command: ChangeMemberRole, uow: UnitOfWork) -> Workspace | Refused:
    context = uow.context
    workspace = uow.get(Workspace, context.workspace)
    try:
        workspace.change_role(command.user_id, command.role, by=context.actor, at=context.now)
    except LastAdminKept as refusal:
        return guard_hit(uow, command.user_id, refusal)
    return workspace
