from pathlib import Path
from typing import Any

from psycopg import AsyncCursor
from psycopg.types.json import Jsonb

from aevon.eventstore import RecordedEvent
from projections.base import Projection

projection = Projection("workflows", Path(__file__).with_name("schema.sql"))


@projection.on("WorkflowCreated")
async def created(cur: AsyncCursor[Any], event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO workflows (id, workspace_id, name, trigger_type, is_active, definition,"
        " definition_version, version, position) VALUES (%s,%s,%s,%s,%s,%s,1,%s,%s)"
        " ON CONFLICT (id) DO NOTHING",
        (
            event.aggregate_id,
            data["workspace_id"],
            data["name"],
            data["trigger_type"],
            data["is_active"],
            Jsonb(data["definition"]),
            event.version,
            event.position,
        ),
    )


@projection.on("WorkflowUpdated")
async def updated(cur: AsyncCursor[Any], event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE workflows SET name=%s, is_active=%s, definition=%s, definition_version=%s,"
        " version=%s WHERE id=%s",
        (
            data["name"],
            data["is_active"],
            Jsonb(data["definition"]),
            data["definition_version"],
            event.version,
            event.aggregate_id,
        ),
    )


@projection.on("WorkflowDeleted")
async def deleted(cur: AsyncCursor[Any], event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute("DELETE FROM workflows WHERE id=%s", (event.aggregate_id,))
