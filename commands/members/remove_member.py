from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.identity.email_claim import EmailClaim
from domain.identity.user import User
from domain.workspaces.workspace import Workspace


class RemoveMember(msgspec.Struct, frozen=True, kw_only=True):
    user_id: UUID


def handle(command: RemoveMember, uow: UnitOfWork) -> None:
    context = uow.context
    uow.get(Workspace, context.workspace).remove(command.user_id, by=context.actor, at=context.now)
    user = uow.get(User, command.user_id)
    user.remove(context.now)
    uow.get(EmailClaim, EmailClaim.for_email(user.email).id).release(context.now)
