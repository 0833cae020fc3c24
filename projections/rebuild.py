"""Rebuilds a projection into fresh tables from the store, then swaps them in atomically.

The API keeps reading the live schema meanwhile. A failed run resumes from its own tracking row.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from psycopg import AsyncConnection, sql

from aevon.eventlog import head_position, read_events, read_page
from projections.base import Projection, Writes
from projections.engine import Delivery, apply_deliveries, ensure_projection, tracked_position

Progress = Callable[[int, int], None]
REBUILD_SUFFIX = "__rebuild"


async def rebuild(
    conn: AsyncConnection[Any],
    reader: AsyncConnection[Any],
    projection: Projection,
    progress: Progress = lambda done, total: None,
    page: int = 5000,
) -> int:
    """`reader` reads the next page of the store while `conn` applies the current one."""
    fresh = projection.schema + REBUILD_SUFFIX
    await ensure_projection(conn, projection, fresh)
    position = await tracked_position(conn, projection.name + REBUILD_SUFFIX)
    head = await head_position(conn)
    progress(position, head)
    topics = projection.topics
    upcoming = asyncio.ensure_future(read_page(reader, position, page, topics))
    try:
        while True:
            scanned, events = await upcoming
            if scanned == position:
                break
            upcoming = asyncio.ensure_future(read_page(reader, scanned, page, topics))
            if events:
                deliveries = [Delivery(e, 0) for e in events]
                await apply_deliveries(conn, projection, deliveries, fresh, bulk=True)
            # The rows of other event types were read, not decoded: they change nothing here.
            position = scanned
            head = max(head, position)
            progress(position, head)
    finally:
        upcoming.cancel()
    position = await _swap(conn, projection, fresh, position)
    progress(position, max(head, position))
    return position


async def _swap(
    conn: AsyncConnection[Any], projection: Projection, fresh: str, position: int
) -> int:
    live = projection.schema
    old = live + "__old"
    async with conn.transaction():
        await ensure_tracking_row(conn, projection.name)
        # Holding the live tracking row stops the live runner until the swap commits.
        await conn.execute(
            "SELECT position FROM public.aevon_tracking WHERE projection=%s FOR UPDATE",
            (projection.name,),
        )
        await conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(fresh)))
        async with conn.cursor() as cursor:
            writes = Writes(cursor)
            while events := await read_events(conn, position, 5000):
                for event in events:
                    await projection.apply(writes, event)
                position = events[-1].position
            await writes.flush()
        names = {"old": sql.Identifier(old), "live": sql.Identifier(live)}
        names["fresh"] = sql.Identifier(fresh)

        async def ddl(statement: str) -> None:
            await conn.execute(sql.SQL(statement).format(**names))

        await ddl("DROP SCHEMA IF EXISTS {old} CASCADE")
        if await _schema_exists(conn, live):
            await ddl("ALTER SCHEMA {live} RENAME TO {old}")
        await ddl("ALTER SCHEMA {fresh} RENAME TO {live}")
        await ddl("DROP SCHEMA IF EXISTS {old} CASCADE")
        await conn.execute(
            "UPDATE public.aevon_tracking SET position=%s, updated_at=now() WHERE projection=%s",
            (position, projection.name),
        )
        await conn.execute(
            "DELETE FROM public.aevon_tracking WHERE projection=%s",
            (projection.name + REBUILD_SUFFIX,),
        )
    return position


async def ensure_tracking_row(conn: AsyncConnection[Any], name: str) -> None:
    await conn.execute(
        "INSERT INTO public.aevon_tracking (projection) VALUES (%s) ON CONFLICT DO NOTHING", (name,)
    )


async def _schema_exists(conn: AsyncConnection[Any], schema: str) -> bool:
    cur = await conn.execute("SELECT 1 FROM pg_namespace WHERE nspname=%s", (schema,))
    return await cur.fetchone() is not None
