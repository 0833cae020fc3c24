from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from projections.sql import NO_CURSOR, fetch_all, fetch_one

Row = dict[str, Any]
_COLUMNS = "id, type_id, name, config, version, position"


async def get_integration(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, integration_id: UUID
) -> Row | None:
    return await fetch_one(
        pool,
        f"SELECT {_COLUMNS} FROM rm_integrations.integrations WHERE id=%s AND workspace_id=%s",
        (integration_id, workspace_id),
    )


async def list_integrations(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, limit: int, before: int | None = None
) -> list[Row]:
    return await fetch_all(
        pool,
        f"SELECT {_COLUMNS} FROM rm_integrations.integrations WHERE workspace_id=%s"
        " AND position < %s ORDER BY position DESC LIMIT %s",
        (workspace_id, before or NO_CURSOR, limit),
    )
