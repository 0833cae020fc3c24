"""A new session: the first refresh token of a new family, saved with whatever began it."""

from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.identity.refresh import REFRESH_VALIDITY, RefreshFamily


class NewSession(msgspec.Struct, frozen=True, kw_only=True):
    family_id: UUID
    secret: str


def start_session(uow: UnitOfWork, session: NewSession, user_id: UUID) -> None:
    now = uow.context.now
    uow.get(RefreshFamily, session.family_id).start(
        user_id, session.secret, now + REFRESH_VALIDITY, now
    )
