from __future__ import annotations

from uuid import UUID

import msgspec

from commands.bus import Refused
from commands.members.guard import guard_hit
from commands.unit_of_work import UnitOfWork
from domain.identity.email_claim import EmailClaim
from domain.identity.user import User
from domain.workspaces.workspace import LastAdminKept, Workspace


class RemoveMember(msgspec.Struct, frozen=True, kw_only=True):
    user_id: UUID


def handle(command: RemoveMember, uow: UnitOfWork) -> Refused | None:
    context = uow.context
    workspace = uow.get(Workspace, context.workspace)
    try:
        workspace.remove(command.user_id, by=context.actor, at=context.now)
    except LastAdminKept as refusal:
        return guard_hit(uow, command.user_id, refusal)
    user = uow.get(User, command.user_id)
    user.remove(context.now)
    uow.get(EmailClaim, EmailClaim.for_email(user.email).id).release(context.now)
    return None
