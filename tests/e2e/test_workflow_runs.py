"""Workflow runs through the API, executed by the worker's Loom engine."""

import asyncio
import uuid
from typing import Any

import httpx

from tests.support import Service, register, team
from tests.unit.test_loom_definitions import edge, node

LEAD_INTAKE = {
    "nodes": [
        node("start", "trigger"),
        node("qualified", "logic", variable="lead.score", operator="gt", value=50),
        node("save", "tool", tool="contacts.create", args={"email": "{{lead.email}}"}),
        node("tag", "set", values={"stage": "hot", "owner": "{{lead.owner}}"}),
        node("nurture", "set", values={"stage": "nurture"}),
        node("done", "output"),
    ],
    "edges": [
        edge("start", "qualified"),
        edge("qualified", "save", "true"),
        edge("save", "tag"),
        edge("tag", "done"),
        edge("qualified", "nurture", "false"),
        edge("nurture", "done"),
    ],
}
PAYOUT = {
    "nodes": [
        node("start", "trigger"),
        node("sign-off", "approval"),
        node(
            "pay", "tool", tool="ledger.meter", args={"kind": "external_call", "reason": "payout"}
        ),
        node("done", "output"),
    ],
    "edges": [edge("start", "sign-off"), edge("sign-off", "pay"), edge("pay", "done")],
}


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], definition: dict[str, Any], **extra: Any
) -> str:
    body = {"name": extra.pop("name", "Flow"), "definition": definition, **extra}
    created = await client.post("/v1/workflows", json=body, headers=headers)
    assert created.status_code == 201, created.text
    workflow_id: str = created.json()["id"]
    return workflow_id


async def start(
    client: httpx.AsyncClient, headers: dict[str, str], workflow_id: str, payload: dict[str, Any]
) -> str:
    started = await client.post(f"/v1/workflows/{workflow_id}/run", json=payload, headers=headers)
    assert started.status_code == 202, started.text
    assert started.json()["status"] == "pending"
    run_id: str = started.json()["runId"]
    return run_id


async def settled(
    client: httpx.AsyncClient, headers: dict[str, str], run_id: str, *statuses: str
) -> dict[str, Any]:
    """The run once it reaches one of `statuses` (completed or failed by default)."""
    wanted = statuses or ("completed", "failed")
    for _ in range(300):
        run: dict[str, Any] = (
            await client.get(f"/v1/workflows/runs/{run_id}", headers=headers)
        ).json()
        if run["status"] in wanted:
            return run
        await asyncio.sleep(0.05)
    raise AssertionError(f"run {run_id} stayed {run['status']}")


async def test_a_lead_intake_run_branches_calls_its_tool_and_completes(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    headers = owner["headers"]
    workflow_id = await create(client, headers, LEAD_INTAKE, name="Lead intake")
    lead = {"lead": {"score": 80, "email": "Lead@Example.com", "owner": "ann"}}
    hot = await settled(client, headers, await start(client, headers, workflow_id, lead))
    assert hot["status"] == "completed"
    assert [e["nodeId"] for e in hot["log"]] == ["start", "qualified", "save", "tag", "done"]
    assert hot["log"][1]["result"] == {"condition": True}
    assert hot["output"]["stage"] == "hot"
    assert hot["output"]["owner"] == "ann"
    assert hot["workflow"] == {"name": "Lead intake"}
    assert hot["triggerPayload"] == lead
    assert hot["finishedAt"] >= hot["startedAt"]
    contact = await client.get(f"/v1/contacts/{hot['output']['contactId']}", headers=headers)
    assert contact.json()["email"] == "lead@example.com"
    cold = await settled(
        client, headers, await start(client, headers, workflow_id, {"lead": {"score": 3}})
    )
    assert [e["nodeId"] for e in cold["log"]] == ["start", "qualified", "nurture", "done"]
    usage = (await client.get("/v1/billing/usage", headers=headers)).json()
    assert usage["actionsUsed"] == 2 + 1 + 2  # two pre-scans and one tool use
    listed = await client.get(
        "/v1/workflows/runs", params={"workflowId": workflow_id, "limit": 1}, headers=headers
    )
    assert [r["id"] for r in listed.json()] == [cold["id"]]
    assert 'rel="next"' in listed.headers["link"]
    failed = await client.get("/v1/workflows/runs", params={"status": "failed"}, headers=headers)
    assert failed.json() == []


async def test_an_approval_gated_payout_waits_for_a_manager(client: httpx.AsyncClient) -> None:
    members = await team(client)
    manager = members["MANAGER"]["headers"]
    workflow_id = await create(client, manager, PAYOUT, name="Payout")
    run_id = await start(client, members["OPERATOR"]["headers"], workflow_id, {"amount": 40})
    paused = await settled(client, manager, run_id, "paused")
    assert [e["nodeId"] for e in paused["log"]] == ["start", "sign-off"]
    resume = f"/v1/workflows/runs/{run_id}/resume"
    denied = await client.post(
        resume, json={"approved": True}, headers=members["OPERATOR"]["headers"]
    )
    assert denied.status_code == 403
    resumed = await client.post(resume, json={"approved": True, "note": "ok"}, headers=manager)
    assert resumed.status_code == 200
    done = await settled(client, manager, run_id)
    assert done["status"] == "completed"
    assert done["output"]["metered"] == {"actions": 2, "charged": 0.0}
    again = await client.post(resume, json={"approved": True}, headers=manager)
    assert again.status_code == 409
    rejected_id = await start(client, manager, workflow_id, {})
    await settled(client, manager, rejected_id, "paused")
    await client.post(
        f"/v1/workflows/runs/{rejected_id}/resume",
        json={"approved": False, "note": "over budget"},
        headers=members["ADMIN"]["headers"],
    )
    rejected = await settled(client, manager, rejected_id)
    assert rejected["status"] == "failed"
    assert rejected["error"] == "Rejected at approval: over budget"
    assert [e["nodeId"] for e in rejected["log"]] == ["start", "sign-off"]


async def test_a_run_can_be_cancelled_while_it_waits(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    headers = owner["headers"]
    definition = {
        "nodes": [
            node("start", "trigger"),
            node("wait", "delay", seconds=30),
            node("out", "output"),
        ],
        "edges": [edge("start", "wait"), edge("wait", "out")],
    }
    run_id = await start(client, headers, await create(client, headers, definition), {})
    for _ in range(100):
        run = (await client.get(f"/v1/workflows/runs/{run_id}", headers=headers)).json()
        if len(run["log"]) == 2:
            break
        await asyncio.sleep(0.05)
    assert run["status"] == "running"
    cancel = f"/v1/workflows/runs/{run_id}/cancel"
    assert (await client.post(cancel, headers=headers)).json()["status"] == "failed"
    cancelled = (await client.get(f"/v1/workflows/runs/{run_id}", headers=headers)).json()
    assert cancelled["error"] == "Cancelled."
    assert (await client.post(cancel, headers=headers)).status_code == 409


async def test_who_may_run_and_what_cannot_run(client: httpx.AsyncClient) -> None:
    members = await team(client)
    admin = members["ADMIN"]["headers"]
    workflow_id = await create(client, admin, LEAD_INTAKE)
    url = f"/v1/workflows/{workflow_id}/run"
    assert (
        await client.post(url, json={}, headers=members["AUDITOR"]["headers"])
    ).status_code == 403
    assert (
        await client.post(url, json={}, headers=members["OPERATOR"]["headers"])
    ).status_code == 202
    assert (await client.post(url, json=[1], headers=admin)).status_code == 400
    missing = f"/v1/workflows/{uuid.uuid4()}/run"
    assert (await client.post(missing, json={}, headers=admin)).status_code == 404
    inactive = await create(client, admin, LEAD_INTAKE, isActive=False)
    refused = await client.post(f"/v1/workflows/{inactive}/run", json={}, headers=admin)
    assert refused.status_code == 409
    run_id = (await client.post(url, json={}, headers=admin)).json()["runId"]
    stranger = await register(client)
    for path in (f"/v1/workflows/runs/{run_id}", f"/v1/workflows/{workflow_id}/run"):
        method = client.get if path.endswith(run_id) else client.post
        kwargs: dict[str, Any] = {} if method == client.get else {"json": {}}
        assert (await method(path, headers=stranger["headers"], **kwargs)).status_code == 404
    cancel = f"/v1/workflows/runs/{run_id}/cancel"
    assert (await client.post(cancel, headers=stranger["headers"])).status_code == 404
    assert (await client.get("/v1/workflows/runs", headers=stranger["headers"])).json() == []


async def test_an_event_trigger_fires_once_per_matching_event(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    headers = owner["headers"]
    definition = {
        "nodes": [
            node("start", "trigger", event="ContactCreated", filter={"details.last_name": "Lead"}),
            # A contact the run creates itself matches the filter too, but fires nothing.
            node("echo", "tool", tool="contacts.create", args={"lastName": "Lead"}),
            node("done", "output"),
        ],
        "edges": [edge("start", "echo"), edge("echo", "done")],
    }
    workflow_id = await create(client, headers, definition, triggerType="event")
    await client.post(
        "/v1/contacts", json={"firstName": "Cold", "lastName": "Call"}, headers=headers
    )
    matching = await client.post("/v1/contacts", json={"lastName": "Lead"}, headers=headers)
    runs: list[dict[str, Any]] = []
    for _ in range(200):
        runs = (await client.get("/v1/workflows/runs", headers=headers)).json()
        if runs and runs[0]["status"] == "completed":
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.5)  # time for any wrongly fired second run to appear
    runs = (await client.get("/v1/workflows/runs", headers=headers)).json()
    assert len(runs) == 1
    assert runs[0]["workflowId"] == workflow_id
    assert runs[0]["trigger"] == "event"
    assert runs[0]["triggerPayload"]["event"]["aggregateId"] == matching.json()["id"]
    contacts = (await client.get("/v1/contacts", headers=headers)).json()
    assert len(contacts) == 3


async def test_an_event_workflow_fires_no_more_once_deactivated_and_again_once_active(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    headers = owner["headers"]
    definition = {
        "nodes": [
            node("start", "trigger", event="ContactCreated", filter={"details.last_name": "Hot"}),
            node("done", "output"),
        ],
        "edges": [edge("start", "done")],
    }
    workflow_id = await create(client, headers, definition, triggerType="event")
    url = f"/v1/workflows/{workflow_id}"

    async def runs_after_a_matching_contact(expected: int) -> int:
        await client.post("/v1/contacts", json={"lastName": "Hot"}, headers=headers)
        runs: list[dict[str, Any]] = []
        for _ in range(60):
            runs = (await client.get("/v1/workflows/runs", headers=headers)).json()
            if len(runs) >= expected:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(1)  # time for a wrongly fired run to appear
        return len((await client.get("/v1/workflows/runs", headers=headers)).json())

    assert await runs_after_a_matching_contact(1) == 1
    deactivated = await client.put(url, json={"isActive": False}, headers=headers)
    assert deactivated.status_code == 200, deactivated.text
    assert await runs_after_a_matching_contact(2) == 1
    reactivated = await client.put(url, json={"isActive": True}, headers=headers)
    assert reactivated.status_code == 200, reactivated.text
    assert await runs_after_a_matching_contact(2) == 2


async def test_a_run_survives_its_worker_being_killed_between_steps(
    client: httpx.AsyncClient, service: Service
) -> None:
    owner = await register(client)
    headers = owner["headers"]
    definition = {
        "nodes": [
            node("start", "trigger"),
            node("save", "tool", tool="contacts.create", args={"email": "{{email}}"}),
            node("wait", "delay", seconds=2),
            node("bill", "tool", tool="ledger.meter", args={"kind": "image"}),
            node("done", "output"),
        ],
        "edges": [
            edge("start", "save"),
            edge("save", "wait"),
            edge("wait", "bill"),
            edge("bill", "done"),
        ],
    }
    run_id = await start(
        client, headers, await create(client, headers, definition), {"email": "k@x.io"}
    )
    for _ in range(100):
        run = (await client.get(f"/v1/workflows/runs/{run_id}", headers=headers)).json()
        if len(run["log"]) == 3:
            break
        await asyncio.sleep(0.05)
    assert [e["nodeId"] for e in run["log"]] == ["start", "save", "wait"]
    service.kill("worker")
    service.start("worker")
    done = await settled(client, headers, run_id)
    assert done["status"] == "completed"
    assert [e["nodeId"] for e in done["log"]] == ["start", "save", "wait", "bill", "done"]
    contacts = (await client.get("/v1/contacts", headers=headers)).json()
    assert [c["email"] for c in contacts] == ["k@x.io"]
    usage = (await client.get("/v1/billing/usage", headers=headers)).json()
    assert usage["actionsUsed"] == 2 + 1 + 1 + 5  # pre-scan, two tool uses, one image
