"""The spine under real PostgreSQL and NATS: crashes, replays, rebuilds, secrets."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import httpx
import msgspec
import nats

from aevon.eventstore import decode_stored
from tests.integration.helpers import converged, head, positions, snapshot
from tests.support import Servers, Service, connect, register, registration


async def update_names(client: httpx.AsyncClient, headers: dict[str, str], count: int) -> list[int]:
    acknowledged = []
    for index in range(count):
        response = await client.put(
            "/v1/users/me", headers=headers, json={"firstName": f"n{index}"}
        )
        if response.status_code == 200:
            acknowledged.append(index)
    return acknowledged


async def test_kill_9_of_the_worker_mid_stream_loses_nothing(
    client: httpx.AsyncClient, service: Service, servers: Servers
) -> None:
    users = [await register(client) for _ in range(4)]
    load = [asyncio.create_task(update_names(client, u["headers"], 30)) for u in users]
    await asyncio.sleep(0.3)
    service.kill("worker")
    await asyncio.sleep(1.0)
    service.start("worker")
    acknowledged = await asyncio.gather(*load)

    await converged(servers.database_url)
    for user, done in zip(users, acknowledged, strict=True):
        assert done == list(range(30))
        me = await client.get("/v1/users/me", headers=user["headers"])
        assert me.json()["firstName"] == "n29"
    before = snapshot(servers.database_url)
    rebuild(servers)
    assert snapshot(servers.database_url) == before


def rebuild(servers: Servers) -> None:
    subprocess.run(
        [sys.executable, "-m", "aevon.cli", "projections", "rebuild", "--all", "--yes"],
        env=servers.environment(0),
        check=True,
        capture_output=True,
        timeout=120,
    )


async def test_rebuild_equals_the_live_read_models_while_the_api_keeps_serving(
    client: httpx.AsyncClient, service: Service, servers: Servers
) -> None:
    users = [await register(client) for _ in range(3)]
    await converged(servers.database_url)
    live = snapshot(servers.database_url)
    statuses: list[int] = []
    rebuilding = asyncio.create_task(asyncio.to_thread(rebuild, servers))
    while not rebuilding.done():
        for user in users:
            statuses.append((await client.get("/v1/users/me", headers=user["headers"])).status_code)
    await rebuilding
    assert statuses
    assert set(statuses) == {200}
    assert snapshot(servers.database_url) == live
    assert min(positions(servers.database_url).values()) == head(servers.database_url)


async def test_a_replayed_bus_message_is_applied_once(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    owner = await register(client)
    with connect(servers.database_url) as conn:
        row = conn.execute(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            " FROM aevon_events WHERE topic='CreditGranted' ORDER BY notification_id DESC LIMIT 1"
        ).fetchone()
    assert row is not None
    event = decode_stored(row[0], row[1], row[2], row[3], bytes(row[4])).redacted()
    assert event.envelope.meta.workspace_id is not None
    subject = f"{servers.namespace}.{event.envelope.meta.workspace_id}.ledger.CreditGranted"
    connection = await nats.connect(servers.nats_url)
    js = connection.jetstream()
    payload = msgspec.json.encode(event)
    same_id = await js.publish(
        subject,
        payload,
        headers={
            "Nats-Msg-Id": str(event.position),
            "Aevon-Position": str(event.position),
            "Aevon-Prev-Position": str(event.position - 1),
        },
    )
    assert same_id.duplicate
    await js.publish(
        subject,
        payload,
        headers={
            "Nats-Msg-Id": f"replay-{event.position}",
            "Aevon-Position": str(event.position),
            "Aevon-Prev-Position": str(event.position - 1),
        },
    )
    await connection.close()
    marker = await client.put("/v1/users/me", headers=owner["headers"], json={"lastName": "X"})
    assert marker.status_code == 200
    await converged(servers.database_url)
    workspace = await client.get("/v1/workspaces/me", headers=owner["headers"])
    assert workspace.json()["credits"] == 100.0
    transactions = await client.get("/v1/billing/transactions", headers=owner["headers"])
    assert len(transactions.json()) == 1


async def test_no_password_hash_ever_reaches_the_bus_or_the_read_models(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    await register(client)
    await converged(servers.database_url)
    connection = await nats.connect(servers.nats_url)
    js = connection.jetstream()
    subscription = await js.subscribe(
        f"{servers.namespace}.*.user.PasswordHashSet", ordered_consumer=True
    )
    message = await subscription.next_msg(timeout=5)
    await connection.close()
    assert b"$argon2" not in message.data
    assert b"[redacted]" in message.data
    assert "$argon2" not in repr(snapshot(servers.database_url))
    with connect(servers.database_url) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM aevon_events"
            " WHERE position('$argon2id$' in convert_from(state, 'UTF8')) > 0"
        ).fetchone()
    assert stored is not None
    assert stored[0] >= 1  # only the write side's own store holds the hash


async def test_the_relay_survives_a_nats_restart_without_losing_events(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    if servers.nats is None:
        return  # an external NATS is not ours to restart
    owner = await register(client)
    servers.nats.stop()
    while_down = await client.put(
        "/v1/users/me", headers=owner["headers"], json={"firstName": "During"}
    )
    assert while_down.status_code == 200
    assert while_down.headers.get("Aevon-Consistency") == "pending"
    servers.nats.start()
    await converged(servers.database_url, within=60)
    me = await client.get("/v1/users/me", headers=owner["headers"])
    assert me.json()["firstName"] == "During"


async def test_a_read_may_wait_for_a_position_even_before_its_caller_is_projected(
    client: httpx.AsyncClient, service: Service
) -> None:
    service.stop_one("worker")
    registered = await client.post("/v1/auth/register", json=registration())
    assert registered.status_code == 201
    assert registered.headers["Aevon-Consistency"] == "pending"
    service.start("worker")
    headers = {
        "Authorization": f"Bearer {registered.json()['accessToken']}",
        "Aevon-Min-Position": registered.headers["Aevon-Position"],
    }
    me = await client.get("/v1/users/me", headers=headers)
    assert me.status_code == 200


async def test_the_api_answers_503_while_postgres_is_down_and_recovers_alone(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    if servers.postgres is None:
        return  # an external PostgreSQL is not ours to stop
    owner = await register(client)
    servers.postgres.halt("immediate")
    try:
        during = [
            await client.put("/v1/users/me", headers=owner["headers"], json={"firstName": "Down"}),
            await client.post("/v1/auth/register", json=registration()),
        ]
    finally:
        servers.postgres.resume()
    for response in during:
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["Retry-After"]
    after = None
    for _ in range(100):
        after = await client.put("/v1/users/me", headers=owner["headers"], json={"firstName": "Up"})
        if after.status_code == 200:
            break
        await asyncio.sleep(0.2)
    assert after is not None
    assert after.status_code == 200, after.text
    await converged(servers.database_url, within=60)
    me = await client.get("/v1/users/me", headers=owner["headers"])
    assert me.json()["firstName"] == "Up"
    before = snapshot(servers.database_url)
    rebuild(servers)
    assert snapshot(servers.database_url) == before
