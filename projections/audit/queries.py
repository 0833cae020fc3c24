from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from aevon.eventstore import RecordedEvent, decode_stored

PAGE = 1000
_CHAIN = (
    "SELECT c.position, c.hash, c.prev_hash, e.originator_id, e.originator_version, e.topic,"
    " e.state FROM rm_audit.chain c LEFT JOIN public.aevon_events e"
    " ON e.notification_id = c.position WHERE c.workspace_id = %s AND c.position > %s"
)

Link = tuple[RecordedEvent | None, int, str, str]


def _link(row: Any) -> Link:
    position, digest, previous, aggregate_id, version, topic, state = row
    event = (
        decode_stored(position, aggregate_id, version, topic, bytes(state))
        if state is not None
        else None
    )
    return event, position, digest, previous


async def chain_page(
    pool: AsyncConnectionPool[Any],
    workspace_id: UUID,
    after: int,
    limit: int,
    type: str | None = None,
    aggregate_id: UUID | None = None,
) -> list[Link]:
    async with pool.connection() as conn, conn.cursor(row_factory=_tuple) as cur:
        await cur.execute(
            _CHAIN + " AND (%s::text IS NULL OR e.topic = %s)"
            " AND (%s::uuid IS NULL OR e.originator_id = %s) ORDER BY c.position LIMIT %s",
            (workspace_id, after, type, type, aggregate_id, aggregate_id, limit),
        )
        return [_link(row) for row in await cur.fetchall()]


async def whole_chain(conn: AsyncConnection[Any], workspace_id: UUID) -> AsyncIterator[Link]:
    """The workspace's chain in order, a page at a time."""
    after = 0
    while True:
        async with conn.cursor(row_factory=_tuple) as cur:
            await cur.execute(_CHAIN + " ORDER BY c.position LIMIT %s", (workspace_id, after, PAGE))
            rows = await cur.fetchall()
        if not rows:
            return
        for row in rows:
            yield _link(row)
        after = rows[-1][0]


def _tuple(cursor: Any) -> Any:
    return lambda values: tuple(values)
