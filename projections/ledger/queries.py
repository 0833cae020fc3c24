from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from projections.sql import NO_CURSOR, fetch_all, fetch_one

Row = dict[str, Any]
_COLUMNS = (
    "id, workspace_id, user_id, type, amount, description, status, created_at,"
    " instrument_id, luck_weight, outcome, boon_amount, user_psyche, position"
)


async def list_transactions(
    pool: AsyncConnectionPool[Any],
    workspace_id: UUID,
    limit: int,
    before: int | None = None,
    type: str | None = None,
    status: str | None = None,
) -> list[Row]:
    return await fetch_all(
        pool,
        f"SELECT {_COLUMNS} FROM rm_ledger.transactions"
        " WHERE workspace_id=%s AND position < %s"
        " AND (%s::text IS NULL OR type = %s) AND (%s::text IS NULL OR status = %s)"
        " ORDER BY position DESC LIMIT %s",
        (workspace_id, before or NO_CURSOR, type, type, status, status, limit),
    )


async def get_usage(pool: AsyncConnectionPool[Any], workspace_id: UUID) -> Row | None:
    return await fetch_one(
        pool,
        "SELECT period_start, actions_used FROM rm_ledger.usage WHERE workspace_id=%s",
        (workspace_id,),
    )


async def unlocked_apps(pool: AsyncConnectionPool[Any], workspace_id: UUID) -> set[str]:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT app_id FROM rm_ledger.unlocked_apps WHERE workspace_id=%s", (workspace_id,)
        )
        return {row["app_id"] for row in await cur.fetchall()}


async def debit_instruments_since(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, since: datetime
) -> dict[UUID, list[str | None]]:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT user_id, instrument_id FROM rm_ledger.transactions WHERE workspace_id=%s"
            " AND type='DEBIT' AND status='COMPLETED' AND created_at >= %s AND user_id IS NOT NULL",
            (workspace_id, since),
        )
        spent: dict[UUID, list[str | None]] = {}
        for row in await cur.fetchall():
            spent.setdefault(row["user_id"], []).append(row["instrument_id"])
        return spent
