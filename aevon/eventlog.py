"""Async reads of the event store's notification log, for the relay and the read side."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from psycopg import AsyncConnection

from aevon.eventstore import EVENTS_TABLE, RecordedEvent, decode_stored

_COLUMNS = "notification_id, originator_id, originator_version, topic, state"
_AFTER = f"SELECT {_COLUMNS} FROM public.{EVENTS_TABLE} WHERE notification_id > %s"
_ORDERED = " ORDER BY notification_id LIMIT %s"
# With an upper bound the planner picks a bitmap scan and a sort, several times slower than
# walking the index in order: the open-ended read is its own statement.
_SELECT = _AFTER + _ORDERED
_SELECT_UNTIL = _AFTER + " AND notification_id <= %s" + _ORDERED
# Every row, in order as above, but the state only of the topics asked for.
_SELECT_OF_TOPICS = (
    "SELECT notification_id, originator_id, originator_version, topic,"
    f" CASE WHEN topic = ANY(%s) THEN state END FROM public.{EVENTS_TABLE}"
    " WHERE notification_id > %s" + _ORDERED
)


async def read_events(
    conn: AsyncConnection[Any], after: int, limit: int, until: int | None = None
) -> list[RecordedEvent]:
    if until is None:
        cur = await conn.execute(_SELECT, (after, limit))
    else:
        cur = await conn.execute(_SELECT_UNTIL, (after, until, limit))
    return _decoded(await cur.fetchall())


async def write_then_read_events(
    conn: AsyncConnection[Any], write: str, params: tuple[Any, ...], after: int, limit: int
) -> list[RecordedEvent]:
    """`read_events`, with the data-modifying statement `write` (and its `params`) run in the
    same statement: one round trip. On an autocommit connection the write is committed when
    this returns."""
    cur = await conn.execute(f"WITH written AS ({write}) {_SELECT}", (*params, after, limit))
    return _decoded(await cur.fetchall())


def _decoded(rows: list[Any]) -> list[RecordedEvent]:
    return [decode_stored(row[0], row[1], row[2], row[3], bytes(row[4])) for row in rows]


async def read_page(
    conn: AsyncConnection[Any], after: int, limit: int, topics: Collection[str] | None
) -> tuple[int, list[RecordedEvent]]:
    """The next `limit` rows after `after`, decoding only the events of `topics` (all when
    None): the last position read, and those events."""
    if topics is None:
        cur = await conn.execute(_SELECT, (after, limit))
    else:
        cur = await conn.execute(_SELECT_OF_TOPICS, (list(topics), after, limit))
    rows = await cur.fetchall()
    events = [
        decode_stored(row[0], row[1], row[2], row[3], bytes(row[4]))
        for row in rows
        if row[4] is not None
    ]
    return (rows[-1][0] if rows else after), events


async def head_position(conn: AsyncConnection[Any]) -> int:
    cur = await conn.execute(f"SELECT COALESCE(MAX(notification_id), 0) FROM public.{EVENTS_TABLE}")
    row = await cur.fetchone()
    return int(row[0]) if row else 0
