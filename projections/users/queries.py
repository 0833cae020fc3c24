from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from projections.sql import NO_CURSOR, fetch_all, fetch_one

Row = dict[str, Any]
_COLUMNS = (
    "id, workspace_id, email, first_name, last_name, role, agent_alias, psyche, last_login_at,"
    " joined_at, version, position"
)


async def get_member(pool: AsyncConnectionPool[Any], user_id: UUID) -> Row | None:
    return await fetch_one(
        pool, "SELECT id, workspace_id, role FROM rm_users.users WHERE id=%s", (user_id,)
    )


async def get_user(pool: AsyncConnectionPool[Any], workspace_id: UUID, user_id: UUID) -> Row | None:
    return await fetch_one(
        pool,
        f"SELECT {_COLUMNS} FROM rm_users.users WHERE id=%s AND workspace_id=%s",
        (user_id, workspace_id),
    )


async def list_users(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, limit: int, before: int | None = None
) -> list[Row]:
    return await fetch_all(
        pool,
        f"SELECT {_COLUMNS} FROM rm_users.users WHERE workspace_id=%s AND position < %s"
        " ORDER BY position DESC LIMIT %s",
        (workspace_id, before or NO_CURSOR, limit),
    )


async def count_users(pool: AsyncConnectionPool[Any], workspace_id: UUID) -> int:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT count(*) AS n FROM rm_users.users WHERE workspace_id=%s", (workspace_id,)
        )
        row = await cur.fetchone()
        return int(row["n"]) if row else 0


async def get_pulse(pool: AsyncConnectionPool[Any], user_id: UUID) -> Row | None:
    return await fetch_one(
        pool,
        "SELECT phase_offset, frustration, flow, losses, since FROM rm_users.pulses"
        " WHERE user_id=%s",
        (user_id,),
    )


async def members_with_psyche(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, psyche: str
) -> list[Row]:
    return await fetch_all(
        pool,
        f"SELECT {_COLUMNS} FROM rm_users.users WHERE workspace_id=%s AND psyche=%s"
        " ORDER BY position",
        (workspace_id, psyche),
    )
