"""The audit trail: chained events, tamper detection, time travel, and the CLI."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from tests.integration.helpers import converged
from tests.support import Servers, Service, connect, invite, register, team


async def events_of(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    response = await client.get("/v1/audit/events", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


async def test_events_come_in_order_chained_and_with_secrets_masked(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    members = await team(client)
    admin = members["ADMIN"]["headers"]
    await client.post("/v1/contacts", json={"firstName": "Ann"}, headers=admin)
    await converged(servers.database_url)
    events = await events_of(client, admin, limit=1000)
    positions = [e["position"] for e in events]
    assert positions == sorted(positions)
    assert events[0]["prevHash"] == "0" * 64
    assert all(e["prevHash"] == before["hash"] for before, e in itertools.pairwise(events))
    assert {"UserRegistered", "WorkspaceCreated", "ContactCreated"} <= {e["type"] for e in events}
    hashes = [e for e in events if e["type"] == "PasswordHashSet"]
    assert hashes
    assert all(e["data"]["password_hash"] == "[redacted]" for e in hashes)
    page = await events_of(client, admin, after=positions[1], limit=2)
    assert [e["position"] for e in page] == positions[2:4]
    contacts = await events_of(client, members["AUDITOR"]["headers"], type="ContactCreated")
    assert [e["data"]["details"]["first_name"] for e in contacts] == ["Ann"]
    denied = await client.get("/v1/audit/events", headers=members["MANAGER"]["headers"])
    assert denied.status_code == 403
    stranger = await register(client)
    theirs = await events_of(client, stranger["headers"], limit=1000)
    assert not {e["position"] for e in theirs} & set(positions)


async def test_an_altered_event_is_found_by_the_api_and_the_cli_at_its_position(
    client: httpx.AsyncClient, servers: Servers, service: Service, tmp_path: Path
) -> None:
    owner = await register(client)
    headers = owner["headers"]
    created = await client.post("/v1/contacts", json={"firstName": "Honest"}, headers=headers)
    await client.post("/v1/contacts", json={"firstName": "Later"}, headers=headers)
    await converged(servers.database_url)
    assert (await client.get("/v1/audit/verify", headers=headers)).json()["verified"] is True
    exported = tmp_path / "history.jsonl"
    replay = await cli(
        service, "events", "replay", "--workspace", owner["workspace"]["id"], "--out", str(exported)
    )
    assert replay.returncode == 0, replay.stderr
    offline = await cli(
        service, "audit", "verify", "--workspace", owner["workspace"]["id"], "--file", str(exported)
    )
    assert offline.returncode == 0, offline.stderr
    with connect(servers.database_url) as conn:
        position = conn.execute(
            "SELECT notification_id FROM aevon_events WHERE originator_id=%s",
            (created.json()["id"],),
        ).fetchone()[0]
    await alter(servers, position, "Honest", "Forged")
    try:
        verdict = (await client.get("/v1/audit/verify", headers=headers)).json()
        assert (verdict["verified"], verdict["firstMismatch"]) == (False, position)
        live = await cli(service, "audit", "verify", "--workspace", owner["workspace"]["id"])
        assert live.returncode == 1
        assert str(position) in live.stdout.decode()
    finally:  # the store is shared with later tests
        await alter(servers, position, "Forged", "Honest")
    assert (await client.get("/v1/audit/verify", headers=headers)).json()["verified"] is True
    lines = exported.read_text().splitlines()
    target = next(json.loads(line) for line in lines if '"Honest"' in line)
    exported.write_text("\n".join(line.replace('"Honest"', '"Forged"') for line in lines) + "\n")
    tampered = await cli(
        service, "audit", "verify", "--workspace", owner["workspace"]["id"], "--file", str(exported)
    )
    assert tampered.returncode == 1
    assert str(target["position"]) in tampered.stdout.decode()


async def test_the_state_at_a_past_moment_follows_a_scripted_history(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    owner = await register(client)
    headers = owner["headers"]
    moments: list[datetime] = []

    async def mark() -> None:
        await converged(servers.database_url)
        moments.append(datetime.now(UTC))
        await asyncio.sleep(0.05)

    await mark()  # 0: just registered
    contact = await client.post("/v1/contacts", json={"firstName": "A"}, headers=headers)
    await client.post("/v1/contacts", json={"firstName": "B"}, headers=headers)
    operator = await invite(client, owner, "OPERATOR")
    await mark()  # 1: two contacts, two members
    await client.put("/v1/workspaces/me", json={"planTier": "Artisan"}, headers=headers)
    await client.delete(f"/v1/contacts/{contact.json()['id']}", headers=headers)
    await client.post("/v1/agents", json={"name": "Bot", "type": "ops"}, headers=headers)
    await client.put(
        f"/v1/admin/users/{operator['user']['id']}", json={"role": "ADMIN"}, headers=headers
    )
    await mark()  # 2: Artisan, one contact, an agent, the operator an ADMIN, an open alert
    await asyncio.sleep(1)  # the privilege alert comes from the Aegis engine

    async def state(index: int) -> dict[str, Any]:
        response = await client.get(
            "/v1/audit/state", params={"at": moments[index].isoformat()}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    first, second, third = await state(0), await state(1), await state(2)
    assert (first["planTier"], first["contactCount"], len(first["members"])) == ("Apprentice", 0, 1)
    assert first["creditBalance"] == 100
    assert (second["contactCount"], len(second["members"])) == (2, 2)
    assert {m["role"] for m in second["members"]} == {"ADMIN", "OPERATOR"}
    assert (third["planTier"], third["contactCount"], third["agentCount"]) == ("Artisan", 1, 1)
    assert {m["role"] for m in third["members"]} == {"ADMIN"}
    now = (
        await client.get(
            "/v1/audit/state", params={"at": datetime.now(UTC).isoformat()}, headers=headers
        )
    ).json()
    assert now["openAlerts"] == 1


async def alter(servers: Servers, position: int, old: str, new: str) -> None:
    """Edits a stored event behind the application's back, as an attacker with SQL access would."""
    with connect(servers.database_url) as conn:
        conn.execute(
            "UPDATE aevon_events SET state = convert_to(replace(convert_from(state, 'UTF8'),"
            " %s, %s), 'UTF8') WHERE notification_id=%s",
            (old, new, position),
        )
        conn.commit()


async def cli(service: Service, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "aevon.cli", *arguments]
    environment = os.environ | service.env
    return await asyncio.to_thread(
        subprocess.run, command, capture_output=True, timeout=120, env=environment
    )
