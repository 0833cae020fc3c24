from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool


async def list_transactions(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, limit: int, before: int | None = None
) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT id, workspace_id, user_id, type, amount, description, status, created_at,"
            " instrument_id, luck_weight, outcome, boon_amount, user_psyche, position"
            " FROM rm_ledger.transactions WHERE workspace_id=%s AND position < %s"
            " ORDER BY position DESC LIMIT %s",
            (workspace_id, before or 2**62, limit),
        )
        rows: list[dict[str, Any]] = await cur.fetchall()
        return rows
