import uuid

import httpx

from tests.support import register, team


async def test_agents_are_managed_and_counted_in_the_admin_overview(
    client: httpx.AsyncClient,
) -> None:
    members = await team(client)
    manager = members["MANAGER"]["headers"]
    body = {"name": "Stonks Bot", "type": "finance", "description": "Watches spend"}
    created = await client.post("/v1/agents", json=body, headers=manager)
    assert created.status_code == 201, created.text
    agent = created.json()
    assert (agent["name"], agent["type"], agent["status"]) == ("Stonks Bot", "finance", "idle")
    url = f"/v1/agents/{agent['id']}"
    assert (await client.get(url, headers=members["AUDITOR"]["headers"])).json() == agent
    activated = await client.put(url, json={"status": "active"}, headers=manager)
    assert activated.json()["status"] == "active"
    assert activated.json()["description"] == "Watches spend"
    await client.post("/v1/agents", json={"name": "Idle", "type": "ops"}, headers=manager)
    overview = await client.get("/v1/admin/overview", headers=members["ADMIN"]["headers"])
    assert (overview.json()["agentCount"], overview.json()["activeAgentCount"]) == (2, 1)
    bad = await client.put(url, json={"status": "sleeping"}, headers=manager)
    assert bad.status_code == 400
    mass = await client.post(
        "/v1/agents", json={**body, "workspaceId": str(uuid.uuid4())}, headers=manager
    )
    assert mass.status_code == 400
    for role in ("OPERATOR", "AUDITOR"):
        denied = await client.post("/v1/agents", json=body, headers=members[role]["headers"])
        assert denied.status_code == 403
    stranger = await register(client)
    assert (await client.get(url, headers=stranger["headers"])).status_code == 404
    assert (await client.delete(url, headers=stranger["headers"])).status_code == 404
    assert (await client.delete(url, headers=manager)).status_code == 204
    assert (await client.get(url, headers=manager)).status_code == 404
    listed = (await client.get("/v1/agents", headers=manager)).json()
    assert [a["name"] for a in listed] == ["Idle"]
