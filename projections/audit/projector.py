from pathlib import Path
from typing import Any

from psycopg import AsyncCursor

from aevon.audit import GENESIS, link, record_of
from aevon.eventstore import RecordedEvent
from domain.registry import EVENT_TYPES
from projections.base import Projection

projection = Projection("audit", Path(__file__).with_name("schema.sql"))


@projection.on(*EVENT_TYPES)
async def chained(cur: AsyncCursor[Any], event: RecordedEvent, data: dict[str, Any]) -> None:
    workspace = event.envelope.meta.workspace_id
    if workspace is None:
        return
    await cur.execute("SELECT hash FROM heads WHERE workspace_id=%s", (workspace,))
    row = await cur.fetchone()
    previous = row[0] if row else GENESIS
    digest = link(previous, record_of(event))
    await cur.execute(
        "INSERT INTO chain (workspace_id, position, hash, prev_hash) VALUES (%s,%s,%s,%s)"
        " ON CONFLICT DO NOTHING",
        (workspace, event.position, digest, previous),
    )
    await cur.execute(
        "INSERT INTO heads (workspace_id, position, hash) VALUES (%s,%s,%s)"
        " ON CONFLICT (workspace_id) DO UPDATE SET position=EXCLUDED.position, hash=EXCLUDED.hash",
        (workspace, event.position, digest),
    )
