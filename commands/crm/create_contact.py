from __future__ import annotations

from uuid import UUID

import msgspec

from commands.crm.claims import move_email_claim
from commands.unit_of_work import UnitOfWork
from domain.crm.contact import Contact, ContactDetails


class CreateContact(msgspec.Struct, frozen=True, kw_only=True):
    contact_id: UUID
    details: ContactDetails


def handle(command: CreateContact, uow: UnitOfWork) -> Contact:
    workspace_id = uow.context.workspace
    contact = uow.get(Contact, command.contact_id)
    contact.create(workspace_id, command.details, uow.context.now)
    move_email_claim(uow, workspace_id, contact.id, None, command.details.email)
    return contact
