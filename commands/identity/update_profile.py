from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.identity.email_claim import EmailClaim, normalise_email
from domain.identity.user import Profile, User
from domain.shared import NotFound, expect_version


class UpdateProfile(msgspec.Struct, frozen=True, kw_only=True):
    user_id: UUID
    changes: dict[str, str | None]
    expected_version: int | None = None


def handle(command: UpdateProfile, uow: UnitOfWork) -> User:
    now = uow.context.now
    user = uow.get(User, command.user_id)
    if not user.exists or user.removed:
        raise NotFound("User not found.")
    expect_version(user, command.expected_version)
    current = Profile(
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        agent_alias=user.agent_alias,
    )
    wanted = msgspec.structs.replace(current, **command.changes)
    wanted = msgspec.structs.replace(wanted, email=normalise_email(wanted.email))
    if wanted == current:
        return user
    if wanted.email != current.email:
        uow.get(EmailClaim, EmailClaim.for_email(wanted.email).id).claim(wanted.email, user.id, now)
        uow.get(EmailClaim, EmailClaim.for_email(current.email).id).release(now)
    user.update_profile(wanted, now)
    return user
