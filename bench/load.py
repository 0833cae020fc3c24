"""wrk runs against the live API, the projection-lag sampler and the rebuild timing."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import httpx
import nats

from aevon.eventstore import EventStore, Metadata
from domain.crm.contact import Contact, ContactDetails

SCRIPT = Path(__file__).with_name("wrk.lua")


def wrk(
    base_url: str,
    token: str,
    method: str,
    path: str,
    connections: int,
    seconds: int = 5,
    body: str | None = None,
    consistency: str | None = None,
    delay_ms: int = 0,
) -> dict[str, float]:
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_PATH": path, "BENCH_TOKEN": token}
    env["BENCH_DELAY_MS"] = str(delay_ms)
    if body:
        env["BENCH_BODY"] = body
    if consistency:
        env["BENCH_CONSISTENCY"] = consistency
    command = [
        "wrk",
        "-t",
        str(min(connections, 2)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
        base_url,
    ]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    requests, duration, p50, p99, errors, longest = line.split()[1:]
    return {
        "rps": int(requests) / float(duration),
        "p50_ms": float(p50),
        "p99_ms": float(p99),
        "errors": int(errors),
        # wrk's percentiles count a stall for every request a connection would have sent
        # during it (coordinated omission); the longest request shows the stall itself.
        "max_ms": float(longest),
        "connections": connections,
    }


async def projection_lag(
    base_url: str, nats_url: str, namespace: str, token: str, samples: int, rate: float
) -> list[float]:
    """Writes that do not wait for read models; lag = announcement of their position − 2xx."""
    announced: list[tuple[int, float]] = []
    connection = await nats.connect(nats_url)

    async def on_position(message: nats.aio.msg.Msg) -> None:
        positions = json.loads(message.data)
        if "contacts" in positions:
            announced.append((int(positions["contacts"]), time.perf_counter()))

    await connection.subscribe(f"{namespace}.positions", cb=on_position)
    acknowledged: list[tuple[int, float]] = []
    headers = {"Authorization": f"Bearer {token}", "Aevon-Consistency": "eventual"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=10) as http:
        for _ in range(samples):
            response = await http.post("/v1/contacts", json={"firstName": "Lag"})
            if response.status_code == 201:
                acknowledged.append((int(response.headers["Aevon-Position"]), time.perf_counter()))
            await asyncio.sleep(1 / rate)
    await asyncio.sleep(1)
    await connection.close()
    lags = []
    for position, at in acknowledged:
        seen = next((when for p, when in announced if p >= position), None)
        if seen is not None:
            lags.append(max(0.0, seen - at) * 1000)
    return lags


def seed_events(url: str, count: int, batch: int = 500) -> None:
    """Fills the store with `count` contact creations straight through the event store."""
    store = EventStore.connect(url, pool_size=1)
    workspace = uuid4()
    meta = Metadata(
        workspace_id=workspace,
        actor_id=None,
        correlation_id=uuid4(),
        causation_id=uuid4(),
        occurred_at=datetime.now(UTC),
    )
    for start in range(0, count, batch):
        contacts = []
        for index in range(start, min(count, start + batch)):
            contact = Contact(uuid4())
            contact.create(workspace, ContactDetails(first_name=f"Seed {index}"), meta.occurred_at)
            contacts.append(contact)
        store.append(contacts, meta)
    store.close()


def rebuild_seconds(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "aevon.cli", "projections", "rebuild", "contacts", "--yes"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]
