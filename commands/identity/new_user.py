"""A new account, however it joins: its email claimed and its user registered with a password."""

from __future__ import annotations

from aevon.passwords import hash_password
from commands.unit_of_work import UnitOfWork
from domain.identity.email_claim import EmailClaim
from domain.identity.user import User, UserRegistered


def new_user(uow: UnitOfWork, registered: UserRegistered, password: str) -> User:
    uow.get(EmailClaim, EmailClaim.for_email(registered.email).id).claim(
        registered.email, registered.user_id, registered.at
    )
    user = uow.get(User, registered.user_id)
    user.register(registered, password_hash=hash_password(password))
    return user
