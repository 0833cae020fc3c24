from pathlib import Path
from typing import Any

from aevon.eventstore import RecordedEvent
from projections.base import Projection, Writes, jsonb

projection = Projection("workflows", Path(__file__).with_name("schema.sql"))
# The events that change the workflows table (and so which workflows an event triggers).
WORKFLOW_CHANGES = frozenset({"WorkflowCreated", "WorkflowUpdated", "WorkflowDeleted"})


@projection.on("WorkflowCreated")
async def created(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO workflows (id, workspace_id, name, trigger_type, is_active, definition,"
        " definition_version, version, position, active_since)"
        " VALUES (%s,%s,%s,%s,%s,%s,1,%s,%s,%s)",
        (
            event.aggregate_id,
            data["workspace_id"],
            data["name"],
            data["trigger_type"],
            data["is_active"],
            jsonb(data["definition"]),
            event.version,
            event.position,
            event.position if data["is_active"] else None,
        ),
    )


@projection.on("WorkflowUpdated")
async def updated(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE workflows SET name=%s, is_active=%s, definition=%s, definition_version=%s,"
        " version=%s, active_since = CASE WHEN NOT %s THEN NULL"
        " WHEN is_active THEN active_since ELSE %s END WHERE id=%s",
        (
            data["name"],
            data["is_active"],
            jsonb(data["definition"]),
            data["definition_version"],
            event.version,
            data["is_active"],
            event.position,
            event.aggregate_id,
        ),
    )


@projection.on("WorkflowDeleted")
async def deleted(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute("DELETE FROM workflows WHERE id=%s", (event.aggregate_id,))


@projection.on("RunStarted")
async def run_started(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO runs (id, workspace_id, workflow_id, workflow_name, definition_version,"
        " trigger, status, trigger_payload, started_at, version, position)"
        " VALUES (%s,%s,%s,%s,%s,%s,'pending',%s,%s,%s,%s)",
        (
            event.aggregate_id,
            data["workspace_id"],
            data["workflow_id"],
            data["workflow_name"],
            data["definition_version"],
            data["trigger"],
            jsonb(data["payload"]),
            data["at"],
            event.version,
            event.position,
        ),
    )


@projection.on("NodeExecuted")
async def node_executed(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    entry = {
        "nodeId": data["node_id"],
        "type": data["node_type"],
        "label": data["label"],
        "result": data["result"],
        "at": data["at"],
    }
    await cur.execute(
        "UPDATE runs SET status='running', log = log || %s, wake_at=COALESCE(%s, wake_at),"
        " version=%s WHERE id=%s",
        (jsonb([entry]), data.get("wake_at"), event.version, event.aggregate_id),
    )


@projection.on("RunPaused", "RunResumed")
async def run_paused(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    status = "paused" if event.type == "RunPaused" else "running"
    await cur.execute(
        "UPDATE runs SET status=%s, version=%s WHERE id=%s",
        (status, event.version, event.aggregate_id),
    )


@projection.on("RunCompleted")
async def run_completed(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE runs SET status='completed', output=%s, finished_at=%s, version=%s WHERE id=%s",
        (jsonb(data["output"]), data["at"], event.version, event.aggregate_id),
    )


@projection.on("RunFailed", "RunCancelled")
async def run_failed(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    error = data.get("error") or "Cancelled."
    await cur.execute(
        "UPDATE runs SET status='failed', error=%s, finished_at=%s, version=%s WHERE id=%s",
        (error, data["at"], event.version, event.aggregate_id),
    )
