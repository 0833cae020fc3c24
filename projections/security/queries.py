from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from projections.sql import NO_CURSOR, fetch_all, fetch_one

Row = dict[str, Any]
_COLUMNS = "id, type, explanation, risk_level, source, actor_id, status, note, raised_at, position"


async def list_alerts(
    pool: AsyncConnectionPool[Any],
    workspace_id: UUID,
    limit: int,
    before: int | None = None,
    risk_level: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
) -> list[Row]:
    return await fetch_all(
        pool,
        f"SELECT {_COLUMNS} FROM rm_security.alerts WHERE workspace_id=%s AND position < %s"
        " AND (%s::text IS NULL OR risk_level=%s) AND (%s::text IS NULL OR status=%s)"
        " AND (%s::timestamptz IS NULL OR raised_at >= %s)"
        " ORDER BY position DESC LIMIT %s",
        (
            workspace_id,
            before or NO_CURSOR,
            risk_level,
            risk_level,
            status,
            status,
            since,
            since,
            limit,
        ),
    )


async def get_policy(pool: AsyncConnectionPool[Any], workspace_id: UUID) -> Row | None:
    return await fetch_one(
        pool,
        "SELECT edicts, domains, ips FROM rm_security.policies WHERE workspace_id=%s",
        (workspace_id,),
    )


async def list_baselines(pool: AsyncConnectionPool[Any], workspace_id: UUID) -> list[Row]:
    return await fetch_all(
        pool,
        "SELECT user_id, login_hours, cardinality(ips) AS known_ips, spend, first_seen,"
        " last_updated FROM rm_security.baselines WHERE workspace_id=%s ORDER BY first_seen",
        (workspace_id,),
    )
