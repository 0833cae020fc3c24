from __future__ import annotations

from uuid import UUID

import msgspec

from commands.crm.claims import move_email_claim
from commands.unit_of_work import UnitOfWork
from domain.crm.contact import Contact
from domain.shared import expect_version


class DeleteContact(msgspec.Struct, frozen=True, kw_only=True):
    contact_id: UUID
    expected_version: int | None = None


def handle(command: DeleteContact, uow: UnitOfWork) -> None:
    workspace_id = uow.context.workspace
    contact = uow.get(Contact, command.contact_id).visible_to(workspace_id)
    expect_version(contact, command.expected_version)
    move_email_claim(uow, workspace_id, contact.id, contact.details.email, None)
    contact.delete(uow.context.now)
