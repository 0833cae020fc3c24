"""Moving a contact's email claim when its email changes, in the same unit of work."""

from __future__ import annotations

from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.crm.contact import ContactEmailClaim, contact_email_claim_id


def move_email_claim(
    uow: UnitOfWork, workspace_id: UUID, contact_id: UUID, old: str | None, new: str | None
) -> None:
    now = uow.context.now
    if new and (old or "").lower() != new.lower():
        uow.get(ContactEmailClaim, contact_email_claim_id(workspace_id, new)).claim(contact_id, now)
    if old and (new or "").lower() != old.lower():
        uow.get(ContactEmailClaim, contact_email_claim_id(workspace_id, old)).release(now)
