"""Global uniqueness of an email: one claim aggregate per normalised address."""

from __future__ import annotations

from datetime import datetime
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


class EmailClaim(Aggregate):
    category = "email_claim"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.user_id: UUID | None = None

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

    def apply(self, event: Event) -> None:
        match event:
            case EmailClaimed(user_id=user_id):
                self.user_id = user_id
            case EmailReleased():
                self.user_id = None
            case _:
                super().apply(event)
