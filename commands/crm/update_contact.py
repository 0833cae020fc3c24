from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from commands.crm.claims import move_email_claim
from commands.unit_of_work import UnitOfWork
from domain.crm.contact import Contact
from domain.shared import expect_version


class UpdateContact(msgspec.Struct, frozen=True, kw_only=True):
    contact_id: UUID
    changes: dict[str, Any]
    expected_version: int | None = None


def handle(command: UpdateContact, uow: UnitOfWork) -> Contact:
    workspace_id = uow.context.workspace
    contact = uow.get(Contact, command.contact_id).visible_to(workspace_id)
    expect_version(contact, command.expected_version)
    details = msgspec.structs.replace(contact.details, **command.changes)
    move_email_claim(uow, workspace_id, contact.id, contact.details.email, details.email)
    contact.update(details, uow.context.now)
    return contact
