"""An invitation to join a workspace with a role: single use, valid for 7 days.

The token itself is never stored; its SHA-256 names the aggregate, so presenting it finds it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from uuid import NAMESPACE_OID, UUID, uuid5

from domain.identity.roles import Role
from domain.shared import Aggregate, Conflict, Event, NotFound

VALIDITY = timedelta(days=7)


def invitation_id(token: str) -> UUID:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return uuid5(NAMESPACE_OID, f"aevon:invitation:{digest}")


class InvitationIssued(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    email: str
    role: Role
    invited_by: UUID
    expires_at: datetime
    at: datetime


class InvitationAccepted(Event, frozen=True, kw_only=True):
    user_id: UUID
    at: datetime


class InvalidInvitation(NotFound):
    def __init__(self) -> None:
        super().__init__("The invitation is unknown, used or expired.")


class Invitation(Aggregate):
    category = "invitation"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.workspace_id: UUID | None = None
        self.email = ""
        self.role = Role.OPERATOR
        self.expires_at: datetime | None = None
        self.accepted = False

    def issue(self, event: InvitationIssued) -> None:
        if self.exists:
            raise Conflict("This invitation token is already in use.")
        self.record(event)

    def accept(self, user_id: UUID, at: datetime) -> None:
        if not self.exists or self.accepted or self.expires_at is None or at >= self.expires_at:
            raise InvalidInvitation()
        self.record(InvitationAccepted(user_id=user_id, at=at))

    def apply(self, event: Event) -> None:
        match event:
            case InvitationIssued():
                self.workspace_id = event.workspace_id
                self.email = event.email
                self.role = event.role
                self.expires_at = event.expires_at
            case InvitationAccepted():
                self.accepted = True
            case _:
                super().apply(event)
