import uuid

import httpx

from tests.support import register, team
from tests.unit.test_loom_definitions import LEAD_INTAKE


async def test_workflows_are_created_versioned_and_deleted(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    headers = owner["headers"]
    created = await client.post(
        "/v1/workflows", json={"name": "Lead intake", "definition": LEAD_INTAKE}, headers=headers
    )
    assert created.status_code == 201
    workflow = created.json()
    assert (workflow["name"], workflow["isActive"], workflow["triggerType"]) == (
        "Lead intake",
        True,
        "api",
    )
    assert workflow["definitionVersion"] == 1
    url = f"/v1/workflows/{workflow['id']}"
    assert (await client.get(url, headers=headers)).json() == workflow
    renamed = await client.put(url, json={"name": "Leads", "isActive": False}, headers=headers)
    assert renamed.json()["definitionVersion"] == 1
    changed = {**LEAD_INTAKE, "nodes": [*LEAD_INTAKE["nodes"]]}
    changed["nodes"][3] = {"id": "skip", "type": "set", "data": {"values": {"skipped": "yes"}}}
    updated = await client.put(url, json={"definition": changed}, headers=headers)
    assert updated.json()["definitionVersion"] == 2
    assert updated.json()["isActive"] is False
    listed = (await client.get("/v1/workflows", headers=headers)).json()
    assert [w["id"] for w in listed] == [workflow["id"]]
    assert (await client.delete(url, headers=headers)).status_code == 204
    assert (await client.get(url, headers=headers)).status_code == 404
    assert (await client.put(url, json={"name": "x"}, headers=headers)).status_code == 404


async def test_an_invalid_definition_is_400_naming_the_problem(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    response = await client.post(
        "/v1/workflows",
        json={
            "name": "Loop",
            "definition": {
                **LEAD_INTAKE,
                "edges": [*LEAD_INTAKE["edges"], {"id": "x", "source": "done", "target": "start"}],
            },
        },
        headers=owner["headers"],
    )
    assert response.status_code == 400
    assert "cycle" in response.json()["detail"]
    scheduled = await client.post(
        "/v1/workflows",
        json={"name": "Nightly", "definition": LEAD_INTAKE, "triggerType": "schedule"},
        headers=owner["headers"],
    )
    assert scheduled.status_code == 400
    assert "cron" in scheduled.json()["detail"]


async def test_only_admins_and_managers_write_workflows(client: httpx.AsyncClient) -> None:
    members = await team(client)
    body = {"name": "W", "definition": LEAD_INTAKE}
    for role, status in (("OPERATOR", 403), ("AUDITOR", 403), ("MANAGER", 201), ("ADMIN", 201)):
        response = await client.post("/v1/workflows", json=body, headers=members[role]["headers"])
        assert response.status_code == status, role
    assert (
        len((await client.get("/v1/workflows", headers=members["AUDITOR"]["headers"])).json()) == 2
    )


async def test_runs_is_never_taken_for_a_workflow_id_and_foreign_ids_are_404(
    client: httpx.AsyncClient,
) -> None:
    theirs = await register(client)
    mine = await register(client)
    created = await client.post(
        "/v1/workflows", json={"name": "W", "definition": LEAD_INTAKE}, headers=theirs["headers"]
    )
    foreign = f"/v1/workflows/{created.json()['id']}"
    missing = f"/v1/workflows/{uuid.uuid4()}"
    for url in (foreign, missing):
        assert (await client.get(url, headers=mine["headers"])).status_code == 404
        assert (await client.delete(url, headers=mine["headers"])).status_code == 404
    runs = await client.get("/v1/workflows/runs", headers=mine["headers"])
    assert runs.status_code == 200
    assert runs.json() == []
