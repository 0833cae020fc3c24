from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool


async def get_workspace(
    pool: AsyncConnectionPool[Any], workspace_id: UUID
) -> dict[str, Any] | None:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT id, name, plan_tier, credits, owner_id, version FROM rm_workspaces.workspaces"
            " WHERE id=%s",
            (workspace_id,),
        )
        row: dict[str, Any] | None = await cur.fetchone()
        return row
