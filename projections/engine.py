"""Applies events to a projection's tables together with its tracking position, atomically."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from psycopg import AsyncConnection, sql
from psycopg.pq import TransactionStatus

from aevon.eventlog import read_events
from aevon.eventstore import RecordedEvent
from projections.base import Projection, Writes

TRACKING_DDL = (
    "CREATE TABLE IF NOT EXISTS public.aevon_tracking ("
    " projection text PRIMARY KEY, position bigint NOT NULL DEFAULT 0,"
    " updated_at timestamptz NOT NULL DEFAULT now())"
)
HOLE_FILL_PAGE = 1000


class Delivery:
    """An event as it arrived from the bus, with the position the relay published before it."""

    __slots__ = ("event", "previous")

    def __init__(self, event: RecordedEvent, previous: int) -> None:
        self.event = event
        self.previous = previous


async def ensure_projection(
    conn: AsyncConnection[Any], projection: Projection, schema: str | None = None
) -> None:
    schema = schema or projection.schema
    tracking = _tracking_name(projection, schema)
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('aevon-ddl'))")
        await conn.execute(TRACKING_DDL)
        await conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        await conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(schema)))
        await conn.execute(projection.ddl.encode())
        await conn.execute(
            "INSERT INTO public.aevon_tracking (projection) VALUES (%s) ON CONFLICT DO NOTHING",
            (tracking,),
        )


async def tracked_position(conn: AsyncConnection[Any], name: str) -> int:
    cur = await conn.execute(
        "SELECT position FROM public.aevon_tracking WHERE projection=%s", (name,)
    )
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def apply_deliveries(
    conn: AsyncConnection[Any],
    projection: Projection,
    deliveries: Sequence[Delivery],
    schema: str | None = None,
    bulk: bool = False,
) -> int:
    """Applies new events once each, filling any hole from the store; returns the position.
    `bulk` (for a rebuild's large batches) loads plain inserts with COPY."""
    positions = await apply_together(conn, [projection], deliveries, schema, bulk)
    return positions[projection.name]


async def apply_together(
    conn: AsyncConnection[Any],
    projections: Sequence[Projection],
    deliveries: Sequence[Delivery],
    schema: str | None = None,
    bulk: bool = False,
) -> dict[str, int]:
    """Applies a batch to several projections in one transaction (each to its own schema, or
    all to `schema`); returns each one's new position."""
    if not projections:
        return {}
    schemas = {p.name: schema or p.schema for p in projections}
    tracking = {p.name: _tracking_name(p, schemas[p.name]) for p in projections}
    # COPY cannot run in a pipeline: in bulk mode `Writes` pipelines the statements between its
    # COPYs itself.
    async with conn.transaction() if bulk else _pipelined_transaction(conn):
        # The row locks serialise this batch with a rebuild's final swap.
        cur = await conn.execute(
            "SELECT projection, position FROM public.aevon_tracking"
            " WHERE projection = ANY(%s) ORDER BY projection FOR UPDATE",
            (list(tracking.values()),),
        )
        tracked = {row[0]: int(row[1]) for row in await cur.fetchall()}
        positions = {}
        handled = set().union(*(p.handlers for p in projections))
        datas = [d.event.public_data() if d.event.type in handled else {} for d in deliveries]
        async with conn.cursor() as cursor:
            for projection in projections:
                name = projection.name
                position = tracked.get(tracking[name], 0)
                writes = Writes(cursor, bulk, schemas[name])
                positions[name] = await _apply(
                    conn, writes, projection, deliveries, datas, position
                )
            await cursor.execute(
                "UPDATE public.aevon_tracking AS t SET position = u.position, updated_at = now()"
                " FROM unnest(%s::text[], %s::bigint[]) AS u(projection, position)"
                " WHERE t.projection = u.projection",
                (
                    [tracking[name] for name in positions],
                    [positions[name] for name in positions],
                ),
            )
    return positions


async def _apply(
    conn: AsyncConnection[Any],
    writes: Writes,
    projection: Projection,
    deliveries: Sequence[Delivery],
    datas: Sequence[dict[str, Any]],
    position: int,
) -> int:
    """`datas` holds each delivery's public data, decoded once for all the projections (and
    only where one of them has a handler for the event's type)."""
    handlers = projection.handlers
    for delivery, data in zip(deliveries, datas, strict=True):
        event = delivery.event
        if event.position <= position:
            continue
        while delivery.previous > position:
            missing = await read_events(conn, position, HOLE_FILL_PAGE, until=delivery.previous)
            if not missing:
                break
            for hole in missing:
                await projection.apply(writes, hole)
            position = missing[-1].position
        # Most projections take few event types: no coroutine for the others.
        handler = handlers.get(event.type)
        if handler is not None:
            await handler(writes, event, data)
        position = event.position
    await writes.flush()
    return position


async def catch_up(
    conn: AsyncConnection[Any],
    projection: Projection,
    schema: str | None = None,
    page: int = 2000,
    until: int | None = None,
) -> int:
    """Reads straight from the store until the projection has every event (up to `until`)."""
    tracking = _tracking_name(projection, schema or projection.schema)
    position = await tracked_position(conn, tracking)
    while True:
        events = await read_events(conn, position, page, until=until)
        if not events:
            return position
        deliveries = [Delivery(e, 0) for e in events]
        position = await apply_deliveries(conn, projection, deliveries, schema)


@asynccontextmanager
async def _pipelined_transaction(conn: AsyncConnection[Any]) -> AsyncIterator[None]:
    """A transaction in two round trips: the tracking rows read, then everything else with the
    commit. In pipeline mode psycopg's `transaction()` syncs where the block starts and ends,
    which took five."""
    try:
        async with conn.pipeline():
            await conn.execute(b"BEGIN")
            yield
            await conn.execute(b"COMMIT")
    except BaseException:
        if conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
            await conn.execute(b"ROLLBACK")
        raise


def _tracking_name(projection: Projection, schema: str) -> str:
    return projection.name + schema.removeprefix(projection.schema)
