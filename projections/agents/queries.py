from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from projections.sql import NO_CURSOR, fetch_all, fetch_one

Row = dict[str, Any]
_COLUMNS = "id, name, type, description, status, version, position"


async def get_agent(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, agent_id: UUID
) -> Row | None:
    return await fetch_one(
        pool,
        f"SELECT {_COLUMNS} FROM rm_agents.agents WHERE id=%s AND workspace_id=%s",
        (agent_id, workspace_id),
    )


async def list_agents(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, limit: int, before: int | None = None
) -> list[Row]:
    return await fetch_all(
        pool,
        f"SELECT {_COLUMNS} FROM rm_agents.agents WHERE workspace_id=%s AND position < %s"
        " ORDER BY position DESC LIMIT %s",
        (workspace_id, before or NO_CURSOR, limit),
    )


async def count_agents(pool: AsyncConnectionPool[Any], workspace_id: UUID) -> Row:
    row = await fetch_one(
        pool,
        "SELECT count(*) AS total, count(*) FILTER (WHERE status = 'active') AS active"
        " FROM rm_agents.agents WHERE workspace_id=%s",
        (workspace_id,),
    )
    return row or {"total": 0, "active": 0}
