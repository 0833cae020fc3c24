"""A CRM contact of one workspace; its email, when given, is unique within that workspace."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_OID, UUID, uuid5

import msgspec

from domain.shared import Aggregate, Conflict, Event, NotFound


class ContactDetails(msgspec.Struct, frozen=True, kw_only=True):
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None


class ContactCreated(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    details: ContactDetails
    at: datetime


class ContactUpdated(Event, frozen=True, kw_only=True):
    details: ContactDetails
    at: datetime


class ContactDeleted(Event, frozen=True, kw_only=True):
    at: datetime


class ContactNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Contact not found.")


class Contact(Aggregate):
    category = "contact"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.workspace_id: UUID | None = None
        self.details = ContactDetails()
        self.deleted = False

    def create(self, workspace_id: UUID, details: ContactDetails, at: datetime) -> None:
        if self.exists:
            raise Conflict("A contact with this id already exists.")
        self.record(ContactCreated(workspace_id=workspace_id, details=details, at=at))

    def visible_to(self, workspace_id: UUID) -> Contact:
        """Another workspace's contact is indistinguishable from a missing one."""
        if not self.exists or self.deleted or self.workspace_id != workspace_id:
            raise ContactNotFound()
        return self

    def update(self, details: ContactDetails, at: datetime) -> None:
        if details != self.details:
            self.record(ContactUpdated(details=details, at=at))

    def delete(self, at: datetime) -> None:
        self.record(ContactDeleted(at=at))

    def apply(self, event: Event) -> None:
        match event:
            case ContactCreated():
                self.workspace_id = event.workspace_id
                self.details = event.details
            case ContactUpdated():
                self.details = event.details
            case ContactDeleted():
                self.deleted = True
            case _:
                super().apply(event)


def contact_email_claim_id(workspace_id: UUID, email: str) -> UUID:
    return uuid5(NAMESPACE_OID, f"aevon:contact-email:{workspace_id}:{email.strip().lower()}")


class ContactEmailClaimed(Event, frozen=True, kw_only=True):
    contact_id: UUID
    at: datetime


class ContactEmailReleased(Event, frozen=True, kw_only=True):
    at: datetime


class ContactEmailTaken(Conflict):
    def __init__(self) -> None:
        super().__init__("A contact with this email already exists in this workspace.")


class ContactEmailClaim(Aggregate):
    category = "contact_email_claim"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.contact_id: UUID | None = None

    def claim(self, contact_id: UUID, at: datetime) -> None:
        if self.contact_id not in (None, contact_id):
            raise ContactEmailTaken()
        if self.contact_id is None:
            self.record(ContactEmailClaimed(contact_id=contact_id, at=at))

    def release(self, at: datetime) -> None:
        if self.contact_id is not None:
            self.record(ContactEmailReleased(at=at))

    def apply(self, event: Event) -> None:
        match event:
            case ContactEmailClaimed():
                self.contact_id = event.contact_id
            case ContactEmailReleased():
                self.contact_id = None
            case _:
                super().apply(event)
