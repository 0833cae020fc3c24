from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.identity.refresh import REFRESH_VALIDITY, RefreshFamily
from domain.identity.user import User


class RefreshSession(msgspec.Struct, frozen=True, kw_only=True):
    family_id: UUID
    presented: str
    secret: str


def handle(command: RefreshSession, uow: UnitOfWork) -> User | None:
    """The user whose token rotated; None when refused (a reuse also revokes the family)."""
    now = uow.context.now
    family = uow.get(RefreshFamily, command.family_id)
    user = uow.get(User, family.user_id) if family.user_id else None
    uow.act_as(user.workspace_id if user else None, user.id if user else None)
    if user is None or user.removed:
        family.revoke("member removed", now)
        return None
    if not family.rotate(command.presented, command.secret, now + REFRESH_VALIDITY, now):
        return None
    return user
