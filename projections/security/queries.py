from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from projections.sql import NO_CURSOR, fetch_all

Row = dict[str, Any]
_COLUMNS = "id, type, explanation, risk_level, source, actor_id, status, raised_at, position"


async def list_alerts(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, limit: int, before: int | None = None
) -> list[Row]:
    return await fetch_all(
        pool,
        f"SELECT {_COLUMNS} FROM rm_security.alerts WHERE workspace_id=%s AND position < %s"
        " ORDER BY position DESC LIMIT %s",
        (workspace_id, before or NO_CURSOR, limit),
    )
