from pathlib import Path
from typing import Any

from aevon.audit import GENESIS, canonical, record_of
from aevon.eventstore import RecordedEvent
from domain.registry import EVENT_TYPES
from projections.base import Projection, Writes

projection = Projection("audit", Path(__file__).with_name("schema.sql"))

# The same link as `aevon.audit.link`, computed in the database (`link_events` in schema.sql):
# nothing is read back, so a batch stays in one pipeline, and its events go in one call.
_LINK = f"SELECT link_events(%b::bigint[], %b::uuid[], %b::bytea[], '{GENESIS}')"


@projection.on(*EVENT_TYPES)
async def chained(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    workspace = event.envelope.meta.workspace_id
    if workspace is None:
        return
    await cur.add_row(_LINK, (event.position, workspace, canonical(record_of(event, data))))
