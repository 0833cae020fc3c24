from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response

from api.commanding import etag_value, expected_version, run
from api.pagination import Cursor, Limit, decode_cursor, paginate
from api.routes import delete, get, post, put
from api.schemas import (
    ContactOut,
    ContactRequest,
    ContactUpdateRequest,
    changes_of,
    contact_from_row,
)
from api.security import Member, requires
from api.services import Services
from commands.crm.create_contact import CreateContact
from commands.crm.delete_contact import DeleteContact
from commands.crm.update_contact import UpdateContact
from commands.unit_of_work import mint
from domain.crm.contact import Contact, ContactDetails, ContactNotFound
from domain.identity.policy import Permission
from projections.contacts.queries import get_contact, list_contacts

CONTACTS = ("contacts",)


def contact_view(contact: Contact) -> ContactOut:
    details = contact.details
    return ContactOut(
        id=contact.id,
        email=details.email,
        first_name=details.first_name,
        last_name=details.last_name,
        phone=details.phone,
    )


class ContactsController(Controller):
    path = "/contacts"
    tags = ["CRM"]

    @get("/", operation_id="listContacts", **requires(Permission.READ))
    async def list(
        self,
        request: Request[Any, Any, Any],
        member: Member,
        services: Services,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> Response[list[ContactOut]]:
        """Retrieve a list of contacts, newest first."""
        rows = await list_contacts(
            services.pool, member.workspace_id, limit + 1, decode_cursor(cursor)
        )
        page, headers = paginate(request, rows, limit)
        return Response([contact_from_row(r) for r in page], headers=headers)

    @post("/", operation_id="createContact", status_code=201, **requires(Permission.WRITE_CONTACTS))
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: ContactRequest,
        member: Member,
        services: Services,
    ) -> Response[ContactOut]:
        """Create a new contact; its email, if any, is unique in the workspace (409)."""
        details = ContactDetails(
            email=data.email.lower() if data.email else None,
            first_name=data.first_name,
            last_name=data.last_name,
            phone=data.phone,
        )
        command = CreateContact(contact_id=mint(), details=details)
        return await run(
            request,
            services,
            command,
            member.context(),
            contact_view,
            status=201,
            projections=CONTACTS,
            etag=lambda c: c.version,
        )

    @get("/{contactId:uuid}", operation_id="getContact", **requires(Permission.READ))
    async def get(
        self, contactId: UUID, member: Member, services: Services
    ) -> Response[ContactOut]:
        """Retrieve one contact."""
        row = await get_contact(services.pool, member.workspace_id, contactId)
        if row is None:
            raise ContactNotFound()
        return Response(contact_from_row(row), headers={"ETag": etag_value(row["version"])})

    @put("/{contactId:uuid}", operation_id="updateContact", **requires(Permission.WRITE_CONTACTS))
    async def update(
        self,
        request: Request[Any, Any, Any],
        contactId: UUID,
        data: ContactUpdateRequest,
        member: Member,
        services: Services,
    ) -> Response[ContactOut]:
        """Update a contact's fields (`If-Match` guards against lost updates)."""
        changes = changes_of(data)
        if changes.get("email"):
            changes["email"] = changes["email"].lower()
        command = UpdateContact(
            contact_id=contactId, changes=changes, expected_version=expected_version(request)
        )
        return await run(
            request,
            services,
            command,
            member.context(),
            contact_view,
            projections=CONTACTS,
            etag=lambda c: c.version,
        )

    @delete(
        "/{contactId:uuid}", operation_id="deleteContact", **requires(Permission.WRITE_CONTACTS)
    )
    async def delete(
        self, request: Request[Any, Any, Any], contactId: UUID, member: Member, services: Services
    ) -> Response[None]:
        """Delete a contact."""
        command = DeleteContact(contact_id=contactId, expected_version=expected_version(request))
        return await run(
            request,
            services,
            command,
            member.context(),
            lambda _: None,
            status=204,
            projections=CONTACTS,
        )
