"""Integrations: a catalogue, role rules, and secrets that never appear in clear text."""

from __future__ import annotations

import uuid

import httpx

from tests.support import Servers, connect, register, team

STRIPE_KEY = "sk_live_9f8e7d6c5b4a3456"
SIGNING = "whsec_0123456789abcdef"


async def test_secrets_are_sealed_at_rest_and_masked_on_read(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    members = await team(client)
    admin, manager = members["ADMIN"]["headers"], members["MANAGER"]["headers"]
    catalogue = (await client.get("/v1/integrations/catalogue", headers=admin)).json()
    assert {c["id"] for c in catalogue} == {"slack", "google-workspace", "stripe"}
    stripe = next(c for c in catalogue if c["id"] == "stripe")
    assert [f["name"] for f in stripe["configFields"]] == [
        "accountId",
        "secretKey",
        "webhookSecret",
    ]
    body = {
        "integrationTypeId": "stripe",
        "name": "Payments",
        "configDetails": {"accountId": "acct_123", "secretKey": STRIPE_KEY},
    }
    assert (await client.post("/v1/integrations", json=body, headers=manager)).status_code == 403
    created = await client.post("/v1/integrations", json=body, headers=admin)
    assert created.status_code == 201, created.text
    integration = created.json()
    assert integration["configDetails"] == {"accountId": "acct_123", "secretKey": "sk_l…3456"}
    url = f"/v1/integrations/{integration['id']}"
    updated = await client.put(
        url, json={"configDetails": {"webhookSecret": SIGNING}}, headers=manager
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["configDetails"]["webhookSecret"] == "whse…cdef"
    assert updated.json()["configDetails"]["secretKey"] == "sk_l…3456"
    assert (await client.get(url, headers=members["AUDITOR"]["headers"])).json() == updated.json()
    listed = (await client.get("/v1/integrations", headers=admin)).json()
    assert [i["id"] for i in listed] == [integration["id"]]
    with connect(servers.database_url) as conn:
        stored = b"".join(
            bytes(row[0]) for row in conn.execute("SELECT state FROM aevon_events")
        ).decode()
        projected = str(conn.execute("SELECT config FROM rm_integrations.integrations").fetchall())
    for secret in (STRIPE_KEY, SIGNING):
        assert secret not in stored
        assert secret not in projected
    assert "acct_123" in stored  # plain settings are kept as they are
    assert (await client.delete(url, headers=manager)).status_code == 204
    assert (await client.get(url, headers=admin)).status_code == 404


async def test_bad_integrations_are_refused(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    headers = owner["headers"]
    unknown = {"integrationTypeId": "myspace", "name": "X", "configDetails": {}}
    response = await client.post("/v1/integrations", json=unknown, headers=headers)
    assert response.status_code == 400
    assert "Unknown integration type" in response.json()["detail"]
    missing = {"integrationTypeId": "slack", "name": "Chat", "configDetails": {"workspaceUrl": "x"}}
    response = await client.post("/v1/integrations", json=missing, headers=headers)
    assert response.status_code == 400
    assert "botToken" in response.json()["detail"]
    stranger = await register(client)
    created = await client.post(
        "/v1/integrations",
        json={
            **missing,
            "configDetails": {"workspaceUrl": "acme.slack.com", "botToken": "xoxb-1234567890"},
        },
        headers=headers,
    )
    foreign = f"/v1/integrations/{created.json()['id']}"
    assert (await client.get(foreign, headers=stranger["headers"])).status_code == 404
    assert (
        await client.get(f"/v1/integrations/{uuid.uuid4()}", headers=headers)
    ).status_code == 404
