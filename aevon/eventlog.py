"""Async reads of the event store's notification log, for the relay and the read side."""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection

from aevon.eventstore import EVENTS_TABLE, RecordedEvent, decode_stored

_SELECT = (
    "SELECT notification_id, originator_id, originator_version, topic, state"
    f" FROM public.{EVENTS_TABLE} WHERE notification_id > %s AND notification_id <= %s"
    " ORDER BY notification_id LIMIT %s"
)
_NO_LIMIT = 2**62


async def read_events(
    conn: AsyncConnection[Any], after: int, limit: int, until: int | None = None
) -> list[RecordedEvent]:
    cur = await conn.execute(_SELECT, (after, until if until is not None else _NO_LIMIT, limit))
    return [
        decode_stored(row[0], row[1], row[2], row[3], bytes(row[4])) for row in await cur.fetchall()
    ]


async def head_position(conn: AsyncConnection[Any]) -> int:
    cur = await conn.execute(f"SELECT COALESCE(MAX(notification_id), 0) FROM public.{EVENTS_TABLE}")
    row = await cur.fetchone()
    return int(row[0]) if row else 0
