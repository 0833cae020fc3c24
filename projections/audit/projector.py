from pathlib import Path
from typing import Any

from aevon.audit import GENESIS, canonical, record_of
from aevon.eventstore import RecordedEvent
from domain.registry import EVENT_TYPES
from projections.base import Projection, Writes

projection = Projection("audit", Path(__file__).with_name("schema.sql"))

# The same link as `aevon.audit.link`, computed in the database: nothing is read back, so a
# batch stays in one pipeline. Positional parameters: psycopg maps named ones in Python per row.
_LINK = """
WITH previous AS (
    SELECT COALESCE((SELECT hash FROM heads WHERE workspace_id = %s), %s) AS h
), linked AS (
    INSERT INTO chain (position, workspace_id, hash, prev_hash)
    SELECT %s, %s,
           encode(sha256(convert_to(h || E'\\n', 'UTF8') || %s::bytea), 'hex'), h
    FROM previous
    ON CONFLICT DO NOTHING
    RETURNING workspace_id, position, hash
)
INSERT INTO heads (workspace_id, position, hash) SELECT workspace_id, position, hash FROM linked
ON CONFLICT (workspace_id) DO UPDATE SET position = EXCLUDED.position, hash = EXCLUDED.hash
"""


@projection.on(*EVENT_TYPES)
async def chained(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    workspace = event.envelope.meta.workspace_id
    if workspace is None:
        return
    await cur.execute(
        _LINK, (workspace, GENESIS, event.position, workspace, canonical(record_of(event, data)))
    )
