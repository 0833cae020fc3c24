from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from projections.sql import NO_CURSOR, fetch_all, fetch_one

Row = dict[str, Any]
_COLUMNS = "id, name, trigger_type, is_active, definition, definition_version, version, position"


async def get_workflow(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, workflow_id: UUID
) -> Row | None:
    return await fetch_one(
        pool,
        f"SELECT {_COLUMNS} FROM rm_workflows.workflows WHERE id=%s AND workspace_id=%s",
        (workflow_id, workspace_id),
    )


async def list_workflows(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, limit: int, before: int | None = None
) -> list[Row]:
    return await fetch_all(
        pool,
        f"SELECT {_COLUMNS} FROM rm_workflows.workflows WHERE workspace_id=%s"
        " AND position < %s ORDER BY position DESC LIMIT %s",
        (workspace_id, before or NO_CURSOR, limit),
    )
