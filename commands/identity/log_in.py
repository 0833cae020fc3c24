from __future__ import annotations

import msgspec

from aevon.passwords import verify_password
from commands.unit_of_work import UnitOfWork
from domain.identity.email_claim import EmailClaim
from domain.identity.errors import InvalidCredentials
from domain.identity.user import User


class LogIn(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    password: str


def handle(command: LogIn, uow: UnitOfWork) -> User:
    claim = uow.get(EmailClaim, EmailClaim.for_email(command.email).id)
    user = uow.get(User, claim.user_id) if claim.user_id else None
    if not verify_password(user.password_hash if user else None, command.password) or not user:
        raise InvalidCredentials()
    uow.act_as(user.workspace_id, user.id)
    user.log_in(uow.context.now)
    return user
