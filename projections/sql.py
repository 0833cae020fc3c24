"""The two ways a query module reads its tables: one row, or a list of rows."""

from __future__ import annotations

from typing import Any

from psycopg_pool import AsyncConnectionPool

Row = dict[str, Any]
NO_CURSOR = 2**62  # "before" position of a first page


async def fetch_one(
    pool: AsyncConnectionPool[Any], query: str, params: tuple[Any, ...]
) -> Row | None:
    async with pool.connection() as conn:
        cur = await conn.execute(query, params)
        row: Row | None = await cur.fetchone()
        return row


async def fetch_all(
    pool: AsyncConnectionPool[Any], query: str, params: tuple[Any, ...]
) -> list[Row]:
    async with pool.connection() as conn:
        cur = await conn.execute(query, params)
        rows: list[Row] = await cur.fetchall()
        return rows
