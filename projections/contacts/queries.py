from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from projections.sql import NO_CURSOR, fetch_all, fetch_one

Row = dict[str, Any]
_COLUMNS = "id, email, first_name, last_name, phone, created_at, version, position"


async def get_contact(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, contact_id: UUID
) -> Row | None:
    return await fetch_one(
        pool,
        f"SELECT {_COLUMNS} FROM rm_contacts.contacts WHERE id=%s AND workspace_id=%s",
        (contact_id, workspace_id),
    )


async def list_contacts(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, limit: int, before: int | None = None
) -> list[Row]:
    return await fetch_all(
        pool,
        f"SELECT {_COLUMNS} FROM rm_contacts.contacts WHERE workspace_id=%s AND position < %s"
        " ORDER BY position DESC LIMIT %s",
        (workspace_id, before or NO_CURSOR, limit),
    )


async def contact_index(pool: AsyncConnectionPool[Any], workspace_id: UUID) -> list[Row]:
    """Every contact's id, name and email, for matching what people call them."""
    return await fetch_all(
        pool,
        "SELECT id, email, first_name, last_name, phone FROM rm_contacts.contacts"
        " WHERE workspace_id=%s ORDER BY position DESC LIMIT 5000",
        (workspace_id,),
    )
