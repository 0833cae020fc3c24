"""The two ways a query module reads its tables: one row, or a list of rows.

The pool's connections are in autocommit, so a read needs no transaction to end: borrowing with
`getconn`/`putconn` skips the context managers' commit, which cost 5–7 % of a read's
instructions. `putconn` still discards a connection that broke or was left in a transaction.
"""

from __future__ import annotations

from typing import Any

from psycopg_pool import AsyncConnectionPool

Row = dict[str, Any]
NO_CURSOR = 2**62  # "before" position of a first page


async def fetch_one(
    pool: AsyncConnectionPool[Any], query: str, params: tuple[Any, ...]
) -> Row | None:
    conn = await pool.getconn()
    try:
        cur = await conn.execute(query, params)
        row: Row | None = await cur.fetchone()
        return row
    finally:
        await pool.putconn(conn)


async def fetch_all(
    pool: AsyncConnectionPool[Any], query: str, params: tuple[Any, ...]
) -> list[Row]:
    conn = await pool.getconn()
    try:
        cur = await conn.execute(query, params)
        rows: list[Row] = await cur.fetchall()
        return rows
    finally:
        await pool.putconn(conn)
