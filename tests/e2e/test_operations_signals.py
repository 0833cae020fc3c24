"""What operators see: request ids in responses, logs and events; lag metrics."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx

from tests.integration.helpers import converged
from tests.support import Servers, Service, register


async def test_a_request_id_follows_the_request_into_logs_and_events(
    client: httpx.AsyncClient, service: Service, servers: Servers
) -> None:
    owner = await register(client)
    request_id = str(uuid.uuid4())
    created = await client.post(
        "/v1/contacts",
        json={"firstName": "Traced"},
        headers=owner["headers"] | {"X-Request-ID": request_id},
    )
    assert created.headers["x-request-id"] == request_id
    assert uuid.UUID((await client.get("/health/live")).headers["x-request-id"])
    await client.get(
        f"/v1/contacts/{uuid.uuid4()}", headers=owner["headers"] | {"X-Request-ID": request_id}
    )
    await converged(servers.database_url)
    events = (
        await client.get(
            "/v1/audit/events", params={"type": "ContactCreated"}, headers=owner["headers"]
        )
    ).json()
    assert [e["correlationId"] for e in events] == [request_id]
    for line in (service.log_dir / "api.log").read_text().splitlines():
        assert {"time", "level", "logger", "message"} <= set(json.loads(line)), line


async def test_metrics_show_the_event_flow(client: httpx.AsyncClient) -> None:
    await register(client)
    for _ in range(30):
        text = (await client.get("/metrics")).text
        if (
            "aevon_events_appended " in text
            and 'aevon_projection_lag_events{projection="audit"}' in text
        ):
            break
        await asyncio.sleep(0.5)
    assert "aevon_relay_lag_events" in text
    assert 'aevon_projection_lag_events{projection="contacts"}' in text
    assert "aevon_request_duration_seconds_bucket" in text


async def test_request_metrics_are_labelled_by_route_not_by_resource_id(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    series = (
        'aevon_requests_total{app_name="aevon",method="GET",'
        'path="/v1/contacts/{contactId}",status_code="404"}'
    )

    async def not_found_so_far() -> tuple[float, str]:
        metrics = (await client.get("/metrics")).text
        line = next((x for x in metrics.splitlines() if x.startswith(series)), f"{series} 0")
        return float(line.rpartition(" ")[2]), metrics

    before, _ = await not_found_so_far()
    missing = [uuid.uuid4() for _ in range(3)]
    for contact_id in missing:
        await client.get(f"/v1/contacts/{contact_id}", headers=owner["headers"])
    after, metrics = await not_found_so_far()
    assert after - before == 3
    assert not any(str(contact_id) in metrics for contact_id in missing)
