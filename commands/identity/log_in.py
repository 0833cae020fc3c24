from __future__ import annotations

import math

import msgspec

from aevon.passwords import verify_password
from commands.identity.session import NewSession, start_session
from commands.unit_of_work import UnitOfWork
from domain.identity.email_claim import EmailClaim
from domain.identity.errors import TooManyLoginAttempts
from domain.identity.user import User


class LogIn(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    password: str
    session: NewSession
    ip: str | None = None


def handle(command: LogIn, uow: UnitOfWork) -> User | None:
    """The user on success; None after recording the failure (the caller answers 401)."""
    now = uow.context.now
    claim = uow.get(EmailClaim, EmailClaim.for_email(command.email).id)
    locked_until = claim.locked_until(now)
    if locked_until is not None:
        raise TooManyLoginAttempts(math.ceil((locked_until - now).total_seconds()))
    user = uow.get(User, claim.user_id) if claim.user_id else None
    uow.act_as(user.workspace_id if user else None, user.id if user else None)
    if not verify_password(user.password_hash if user else None, command.password) or not user:
        claim.fail_login(now, command.ip)
        return None
    user.log_in(now, command.ip)
    start_session(uow, command.session, user.id)
    return user
