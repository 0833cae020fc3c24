from pathlib import Path
from typing import Any

from aevon.eventstore import RecordedEvent
from projections.base import Projection, Writes

projection = Projection("agents", Path(__file__).with_name("schema.sql"))


@projection.on("AgentCreated")
async def created(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    profile = data["profile"]
    await cur.execute(
        "INSERT INTO agents (id, workspace_id, name, type, description, status, version, position)"
        " VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
        (
            event.aggregate_id,
            data["workspace_id"],
            profile["name"],
            profile["type"],
            profile.get("description"),
            profile["status"],
            event.version,
            event.position,
        ),
    )


@projection.on("AgentUpdated")
async def updated(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    profile = data["profile"]
    await cur.execute(
        "UPDATE agents SET name=%s, type=%s, description=%s, status=%s, version=%s WHERE id=%s",
        (
            profile["name"],
            profile["type"],
            profile.get("description"),
            profile["status"],
            event.version,
            event.aggregate_id,
        ),
    )


@projection.on("AgentDeleted")
async def deleted(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute("DELETE FROM agents WHERE id=%s", (event.aggregate_id,))
