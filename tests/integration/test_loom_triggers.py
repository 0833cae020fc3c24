"""Schedule and event triggers evaluated by two engines at once start each run exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import psycopg
from psycopg.rows import dict_row

from aevon.eventlog import read_events
from aevon.eventstore import EventStore
from commands.bus import CommandBus
from commands.context import Context
from commands.handlers import HANDLERS
from tests.e2e.test_workflow_runs import settled
from tests.integration.helpers import converged
from tests.support import Servers, register
from tests.unit.test_loom_definitions import edge, node
from workers.triggers import started_by_event, started_by_tick

NIGHTLY = {
    "nodes": [
        node("start", "trigger", schedule="30 2 * * *"),
        node("stamp", "set", values={"tick": "{{schedule.tick}}"}),
    ],
    "edges": [edge("start", "stamp")],
}


def workflows_of(url: str, trigger_type: str) -> list[dict[str, Any]]:
    with psycopg.connect(url, row_factory=dict_row) as conn:
        return conn.execute(
            "SELECT id, workspace_id, definition, COALESCE(active_since, position) AS active_since"
            " FROM rm_workflows.workflows"
            " WHERE trigger_type=%s AND is_active",
            (trigger_type,),
        ).fetchall()


async def fire_twice(url: str, starts: list[Any]) -> None:
    """Two engines (two stores, two buses) start the same runs concurrently."""
    engines = [CommandBus(EventStore.connect(url), HANDLERS) for _ in range(2)]
    try:
        await asyncio.gather(
            *(
                bus.execute(start, Context.new(workspace, None))
                for bus in engines
                for workspace, start in starts
            )
        )
    finally:
        for bus in engines:
            bus.store.close()


async def test_a_schedule_fires_once_per_matching_minute(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    owner = await register(client)
    headers = owner["headers"]
    created = await client.post(
        "/v1/workflows",
        json={"name": "Nightly", "definition": NIGHTLY, "triggerType": "schedule"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    mine = [
        w
        for w in workflows_of(servers.database_url, "schedule")
        if w["id"] == UUID(created.json()["id"])
    ]
    assert started_by_tick(mine, datetime(2026, 11, 26, 2, 29, tzinfo=UTC)) == []
    tick = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)
    await fire_twice(servers.database_url, started_by_tick(mine, tick))
    await converged(servers.database_url)
    runs = (await client.get("/v1/workflows/runs", headers=headers)).json()
    assert len(runs) == 1
    done = await settled(client, headers, runs[0]["id"])
    assert done["trigger"] == "schedule"
    assert done["output"]["tick"] == tick.isoformat()


async def test_an_event_trigger_evaluated_twice_starts_one_run(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    owner = await register(client)
    headers = owner["headers"]
    definition = {"nodes": [node("start", "trigger", event="TopUpRequested")], "edges": []}
    created = await client.post(
        "/v1/workflows",
        json={
            "name": "On top-up",
            "definition": definition,
            "triggerType": "event",
            "isActive": False,
        },
        headers=headers,
    )
    workflow_id = created.json()["id"]
    await client.post("/v1/billing/top-ups", json={"amount": 5}, headers=headers)
    # Inactive workflows never fire; once active, the same event evaluated twice fires once.
    assert (await client.get("/v1/workflows/runs", headers=headers)).json() == []
    await client.put(f"/v1/workflows/{workflow_id}", json={"isActive": True}, headers=headers)
    await client.post("/v1/billing/top-ups", json={"amount": 7}, headers=headers)
    workflows = workflows_of(servers.database_url, "event")
    async with await psycopg.AsyncConnection.connect(servers.database_url) as conn:
        events = [e for e in await read_events(conn, 0, 100_000) if e.type == "TopUpRequested"]
    starts = [s for e in events for s in started_by_event(workflows, e)]
    assert len(starts) == 1  # only the event that happened while the workflow was active
    await fire_twice(servers.database_url, starts)  # while the worker's engine fires it too
    await asyncio.sleep(1)  # time for the worker's engine to fire it too
    await converged(servers.database_url)
    runs = (await client.get("/v1/workflows/runs", headers=headers)).json()
    assert [r["triggerPayload"]["amount"] for r in runs] == [7]
