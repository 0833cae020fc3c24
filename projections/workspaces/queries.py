from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from projections.sql import fetch_one


async def get_workspace(
    pool: AsyncConnectionPool[Any], workspace_id: UUID
) -> dict[str, Any] | None:
    return await fetch_one(
        pool,
        "SELECT id, name, plan_tier, credits, owner_id, version FROM rm_workspaces.workspaces"
        " WHERE id=%s",
        (workspace_id,),
    )
