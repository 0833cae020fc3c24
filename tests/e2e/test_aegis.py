"""Aegis end to end: alerts from the event stream, visible to their own workspace only."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.support import invite, register, team


async def alerts_of(
    client: httpx.AsyncClient, headers: dict[str, str], wanted: int = 1, **params: Any
) -> list[dict[str, Any]]:
    """The workspace's alerts once there are `wanted` of them (or whatever there is after 10 s)."""
    found: list[dict[str, Any]] = []
    for _ in range(100):
        response = await client.get("/v1/security/alerts", params=params, headers=headers)
        assert response.status_code == 200, response.text
        found = response.json()
        if len(found) >= wanted:
            return found
        await asyncio.sleep(0.1)
    return found


async def test_six_wrong_passwords_raise_one_high_alert_for_that_workspace_only(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    victim = await invite(client, owner, "OPERATOR")
    bystander = await register(client)
    statuses = []
    for _ in range(6):
        response = await client.post(
            "/v1/auth/login", json={"email": victim["user"]["email"], "password": "not it at all"}
        )
        statuses.append(response.status_code)
    assert statuses == [401] * 5 + [429]
    alerts = await alerts_of(client, owner["headers"])
    await asyncio.sleep(1)  # a second alert for the same burst would show up by now
    alerts = await alerts_of(client, owner["headers"])
    assert [(a["type"], a["riskLevel"], a["status"]) for a in alerts] == [
        ("Brute-force suspected", "high", "open")
    ]
    assert alerts[0]["actorId"] == victim["user"]["id"]
    assert "acknowledge" in alerts[0]["actionableOptions"]
    assert await alerts_of(client, bystander["headers"], wanted=0) == []


async def test_alerts_are_acknowledged_dismissed_and_filtered(client: httpx.AsyncClient) -> None:
    members = await team(client)
    admin, manager = members["ADMIN"]["headers"], members["MANAGER"]["headers"]
    await client.put(
        f"/v1/admin/users/{members['OPERATOR']['user']['id']}",
        json={"role": "ADMIN"},
        headers=admin,
    )
    [raised] = await alerts_of(client, admin)
    assert (raised["type"], raised["riskLevel"]) == ("Privilege raised", "medium")
    url = f"/v1/security/alerts/{raised['id']}"
    auditor_denied = await client.post(f"{url}/acknowledge", headers=members["AUDITOR"]["headers"])
    assert auditor_denied.status_code == 403
    acknowledged = await client.post(
        f"{url}/acknowledge", json={"note": "expected"}, headers=manager
    )
    assert acknowledged.json()["status"] == "acknowledged"
    assert (await client.post(f"{url}/acknowledge", headers=manager)).status_code == 409
    assert (await client.post(f"{url}/dismiss", headers=manager)).status_code == 200
    [dismissed] = (await client.get("/v1/security/alerts", headers=admin)).json()
    assert (dismissed["status"], dismissed["note"], dismissed["actionableOptions"]) == (
        "dismissed",
        "expected",
        [],
    )
    filtered = await client.get("/v1/security/alerts", params={"status": "open"}, headers=admin)
    assert filtered.json() == []
    high = await client.get("/v1/security/alerts", params={"riskLevel": "high"}, headers=admin)
    assert high.json() == []
    stranger = await register(client)
    foreign = await client.post(f"{url}/dismiss", headers=stranger["headers"])
    assert foreign.status_code == 404
    auditor = await client.get("/v1/security/alerts", headers=members["AUDITOR"]["headers"])
    assert len(auditor.json()) == 1
    operator = await client.get("/v1/security/alerts", headers=members["OPERATOR"]["headers"])
    assert operator.status_code == 200  # now an ADMIN


async def test_edicts_and_threat_indicators_block_commands_and_workflow_runs(
    client: httpx.AsyncClient,
) -> None:
    from tests.e2e.test_workflow_runs import LEAD_INTAKE, create, settled

    owner = await register(client)
    headers = owner["headers"]
    edicts = {
        "edicts": [
            {
                "description": "No talk of Project X",
                "pattern": "project x, codename",
                "riskLevel": "high",
            },
            {"description": "Invoices", "pattern": "/inv-\\d{4}/", "riskLevel": "low"},
        ]
    }
    saved = await client.put("/v1/security/edicts", json=edicts, headers=headers)
    assert saved.status_code == 200, saved.text
    assert [e["description"] for e in saved.json()] == ["No talk of Project X", "Invoices"]
    listed = (await client.get("/v1/security/edicts", headers=headers)).json()
    assert listed == saved.json()
    unsafe = {"edicts": [{"description": "x", "pattern": "/(a+)+$/", "riskLevel": "low"}]}
    assert (
        await client.put("/v1/security/edicts", json=unsafe, headers=headers)
    ).status_code == 400
    indicators = {"domains": ["Evil.example"], "ips": ["203.0.113.0/24"]}
    put = await client.put("/v1/security/threat-indicators", json=indicators, headers=headers)
    assert put.json() == {"domains": ["evil.example"], "ips": ["203.0.113.0/24"]}
    bad = await client.put(
        "/v1/security/threat-indicators", json={"ips": ["999.1.1.1"]}, headers=headers
    )
    assert bad.status_code == 400
    blocked = await client.post(
        "/v1/beep/command", json={"command": "add contact about Project X"}, headers=headers
    )
    assert blocked.json()["blocked"] is True
    assert "No talk of Project X" in blocked.json()["response"]
    mentioned = await client.post(
        "/v1/beep/command", json={"command": "find files.evil.example"}, headers=headers
    )
    assert mentioned.json()["blocked"] is True
    workflow_id = await create(client, headers, LEAD_INTAKE)
    payload = {"lead": {"note": "from 203.0.113.7"}}
    started = await client.post(f"/v1/workflows/{workflow_id}/run", json=payload, headers=headers)
    assert (started.status_code, started.json()["status"]) == (202, "failed")
    failed = await settled(client, headers, started.json()["runId"])
    assert failed["status"] == "failed"
    assert failed["error"].startswith("Blocked by Aegis: It mentions 203.0.113.7")
    types = [a["type"] for a in await alerts_of(client, headers, wanted=3)]
    assert types.count("Blocked BEEP command") == 2
    assert "Blocked workflow run" in types


async def test_baselines_describe_each_member(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    for _ in range(2):
        await client.post(
            "/v1/auth/login",
            json={"email": owner["user"]["email"], "password": "correct horse battery"},
        )
    baselines = (await client.get("/v1/security/baselines", headers=owner["headers"])).json()
    assert [b["userId"] for b in baselines] == [owner["user"]["id"]]
    assert baselines[0]["knownIpCount"] == 1
    assert len(baselines[0]["usualLoginHours"]) == 1


async def test_probing_many_foreign_ids_raises_one_high_alert(client: httpx.AsyncClient) -> None:
    import uuid

    prober = await register(client)
    victim = await register(client)
    theirs = await client.post("/v1/contacts", json={"firstName": "T"}, headers=victim["headers"])
    targets = [theirs.json()["id"]] + [str(uuid.uuid4()) for _ in range(24)]
    for target in targets:
        probe = await client.get(f"/v1/contacts/{target}", headers=prober["headers"])
        assert probe.status_code == 404
    alerts = await alerts_of(client, prober["headers"])
    assert [(a["type"], a["riskLevel"]) for a in alerts] == [("Cross-tenant probing", "high")]
    assert await alerts_of(client, victim["headers"], wanted=0) == []


async def test_the_sole_admin_demoting_themself_is_refused_and_noted(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    refused = await client.put(
        f"/v1/admin/users/{owner['user']['id']}", json={"role": "AUDITOR"}, headers=owner["headers"]
    )
    assert refused.status_code == 409
    assert "last ADMIN" in refused.json()["detail"]
    alerts = await alerts_of(client, owner["headers"])
    assert [(a["type"], a["riskLevel"]) for a in alerts] == [("Last-admin guard hit", "low")]
    me = await client.get("/v1/users/me", headers=owner["headers"])
    assert me.json()["role"] == "ADMIN"
