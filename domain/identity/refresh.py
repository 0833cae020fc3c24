"""A family of rotating refresh tokens. Presenting an already rotated token revokes the family."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from uuid import UUID

from domain.shared import Aggregate, DomainError, Event

REFRESH_VALIDITY = timedelta(days=30)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class RefreshRejected(DomainError):
    title = "Invalid refresh token"

    def __init__(self) -> None:
        super().__init__("The refresh token is invalid, expired or revoked.")


class RefreshFamilyStarted(Event, frozen=True, kw_only=True):
    secret_fields = ("token_hash",)
    user_id: UUID
    token_hash: str
    expires_at: datetime
    at: datetime


class RefreshTokenRotated(Event, frozen=True, kw_only=True):
    secret_fields = ("token_hash",)
    token_hash: str
    expires_at: datetime
    at: datetime


class RefreshFamilyRevoked(Event, frozen=True, kw_only=True):
    reason: str
    at: datetime


class RefreshFamily(Aggregate):
    category = "refresh_family"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.user_id: UUID | None = None
        self.current = ""
        self.expires_at: datetime | None = None
        self.revoked = False

    def start(self, user_id: UUID, secret: str, expires_at: datetime, at: datetime) -> None:
        self.record(
            RefreshFamilyStarted(
                user_id=user_id, token_hash=token_hash(secret), expires_at=expires_at, at=at
            )
        )

    def rotate(self, presented: str, secret: str, expires_at: datetime, at: datetime) -> bool:
        """Replaces the current token; False (and the family revoked) on reuse or expiry."""
        if not self.exists or self.revoked:
            return False
        if token_hash(presented) != self.current:
            self.revoke("reuse of a rotated refresh token", at)
            return False
        if self.expires_at is None or at >= self.expires_at:
            self.revoke("expired", at)
            return False
        self.record(
            RefreshTokenRotated(token_hash=token_hash(secret), expires_at=expires_at, at=at)
        )
        return True

    def revoke(self, reason: str, at: datetime) -> None:
        if self.exists and not self.revoked:
            self.record(RefreshFamilyRevoked(reason=reason, at=at))

    def apply(self, event: Event) -> None:
        match event:
            case RefreshFamilyStarted():
                self.user_id = event.user_id
                self.current = event.token_hash
                self.expires_at = event.expires_at
            case RefreshTokenRotated():
                self.current = event.token_hash
                self.expires_at = event.expires_at
            case RefreshFamilyRevoked():
                self.revoked = True
            case _:
                super().apply(event)
