"""Global uniqueness of an email: one claim aggregate per normalised address."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.identity.errors import EmailAlreadyRegistered
from domain.shared import Aggregate, Event


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_claim_id(email: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"aevon:email:{normalise_email(email)}")


class EmailClaimed(Event, frozen=True, kw_only=True):
    email: str
    user_id: UUID
    at: datetime


class EmailReleased(Event, frozen=True, kw_only=True):
    user_id: UUID
    at: datetime


class LoginFailed(Event, frozen=True, kw_only=True):
    user_id: UUID | None
    at: datetime
    ip: str | None = None


MAX_FAILED_LOGINS = 5
LOCKOUT_WINDOW = timedelta(minutes=15)


class EmailClaim(Aggregate):
    category = "email_claim"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.user_id: UUID | None = None
        self.failures: list[datetime] = []

    @classmethod
    def for_email(cls, email: str) -> EmailClaim:
        return cls(email_claim_id(email))

    def claim(self, email: str, user_id: UUID, at: datetime) -> None:
        if self.user_id is not None:
            raise EmailAlreadyRegistered()
        self.record(EmailClaimed(email=normalise_email(email), user_id=user_id, at=at))

    def release(self, at: datetime) -> None:
        if self.user_id is not None:
            self.record(EmailReleased(user_id=self.user_id, at=at))

    def locked_until(self, now: datetime) -> datetime | None:
        """After 5 failed logins within 15 minutes, locked until that window has passed."""
        recent = [at for at in self.failures if now - at < LOCKOUT_WINDOW]
        if len(recent) < MAX_FAILED_LOGINS:
            return None
        return recent[-MAX_FAILED_LOGINS] + LOCKOUT_WINDOW

    def fail_login(self, at: datetime, ip: str | None = None) -> None:
        self.record(LoginFailed(user_id=self.user_id, at=at, ip=ip))

    def apply(self, event: Event) -> None:
        match event:
            case EmailClaimed(user_id=user_id):
                self.user_id = user_id
            case EmailReleased():
                self.user_id = None
            case LoginFailed():
                self.failures = [*self.failures[-(MAX_FAILED_LOGINS - 1) :], event.at]
            case _:
                super().apply(event)
