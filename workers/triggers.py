"""Which workflows an event or a clock tick starts, and the run each start gets.

Run ids are derived from the workflow and the event or tick, so a trigger starts its run once
even when it is evaluated again (a redelivery, a restart, a second worker).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_OID, UUID, uuid5

from aevon.eventstore import RecordedEvent
from commands.loom.start_run import StartRun
from domain.loom import cron
from domain.loom.definition import TriggerType
from domain.loom.payload import compare

Row = dict[str, Any]


def trigger_node(definition: dict[str, Any]) -> dict[str, Any]:
    return next(n for n in definition["nodes"] if n["type"] == "trigger")


def event_payload(event: RecordedEvent) -> dict[str, Any]:
    return {
        **event.public_data(),
        "event": {
            "type": event.type,
            "id": str(event.envelope.event_id),
            "aggregateId": str(event.aggregate_id),
            "position": event.position,
            "occurredAt": event.envelope.meta.occurred_at.isoformat(),
        },
    }


def started_by_event(workflows: Iterable[Row], event: RecordedEvent) -> list[tuple[UUID, StartRun]]:
    """(workspace, start) for each active event workflow this event fires. Events decided by a
    workflow's own steps fire nothing, so workflows cannot trigger each other in a loop."""
    meta = event.envelope.meta
    if meta.run_id is not None or meta.workspace_id is None:
        return []
    starts = []
    payload: dict[str, Any] | None = None
    for workflow in workflows:
        data = trigger_node(workflow["definition"]).get("data", {})
        if workflow["workspace_id"] != meta.workspace_id or data.get("event") != event.type:
            continue
        if event.position <= workflow["active_since"]:
            continue  # the event happened before the workflow was active
        payload = payload or event_payload(event)
        filters = data.get("filter", {})
        if all(compare(payload, path, "eq", value) for path, value in filters.items()):
            run_id = uuid5(NAMESPACE_OID, f"aevon:run:{workflow['id']}:{event.envelope.event_id}")
            start = StartRun(
                workflow_id=workflow["id"],
                run_id=run_id,
                payload=payload,
                trigger=TriggerType.EVENT,
            )
            starts.append((meta.workspace_id, start))
    return starts


def started_by_tick(workflows: Iterable[Row], minute: datetime) -> list[tuple[UUID, StartRun]]:
    """(workspace, start) for each active schedule workflow whose cron matches this minute."""
    starts = []
    for workflow in workflows:
        schedule = trigger_node(workflow["definition"]).get("data", {}).get("schedule", "")
        if cron.is_valid(schedule) and cron.matches(schedule, minute):
            tick = minute.isoformat()
            run_id = uuid5(NAMESPACE_OID, f"aevon:run:{workflow['id']}:{tick}")
            start = StartRun(
                workflow_id=workflow["id"],
                run_id=run_id,
                payload={"schedule": {"expression": schedule, "tick": tick}},
                trigger=TriggerType.SCHEDULE,
            )
            starts.append((workflow["workspace_id"], start))
    return starts
