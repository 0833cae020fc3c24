"""`make bench-instructions`: the instructions the API's app executes per request, and the
worker's relay and projection runner per event, counted by valgrind (callgrind).

Wall-clock figures on this shared two-core box drift by a fifth between runs of the same
code; instruction counts repeat within about 2 %, so they show what a change to the request
path saves. The service runs as in `make bench` (`aevon up` on embedded PostgreSQL and NATS:
the worker projects the writes, which wait for their read models). `bench/asgi_calls.py`
builds the app in a process of its own under callgrind and calls it sequentially, once with
SMALL and once with LARGE requests: the difference over LARGE − SMALL is one request's
instructions, start-up and warm-up excluded. Not counted: uvicorn's HTTP parsing, the kernel,
and the other processes (worker, PostgreSQL, NATS). The empty app of `bench/floor.py` is counted
the same way (`floor_instructions_per_read` / `_write`): what Litestar itself costs a request.

The worker is counted the same way: `bench/worker_calls.py` runs its relay and projection runner
under callgrind, on a database and a namespace of their own in the same servers, while this
process appends SMALL_EVENTS and then LARGE_EVENTS contact creations straight to the store. They
come through the bus in batches of WORKER_BATCH, as under the bench's write load.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import nats
import psycopg
from load import seed_events
from service import Running, aevon_up

from aevon.eventstore import ensure_store
from tests.support import registration

SMALL, LARGE = 100, 600
SMALL_EVENTS, LARGE_EVENTS = 400, 2000
WORKER_BATCH = 16  # what a batch held under the bench's write load (~1 100 writes/s)
HERE = Path(__file__).parent
CALLGRIND = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")


def collected(done: subprocess.CompletedProcess[str], what: str) -> int:
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"{what} failed:\n{done.stdout}\n{done.stderr[-2000:]}")
    return int(found.group(1))


def counted(env: dict[str, str], kind: str, requests: int, *app: str) -> int:
    """`app` is empty for ours, or `floor` for bench/floor.py's."""
    done = subprocess.run(
        [*CALLGRIND, sys.executable, str(HERE / "asgi_calls.py"), kind, str(requests), *app],
        env=env,
        capture_output=True,
        text=True,
    )
    return collected(done, f"{kind} × {requests}")


def worker_counted(up: Running, events: int) -> int:
    """The relay's and the projection runner's instructions while they take `events` appended
    events through the bus, in a database and a namespace that only this run uses."""
    name = f"bench_worker_{events}"
    with psycopg.connect(up.postgres.url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    url = up.postgres.url.replace("/postgres?", f"/{name}?")
    ensure_store(url)
    env = up.env | {"AEVON_DATABASE_URL": url, "AEVON_NAMESPACE": name}
    worker = subprocess.Popen(
        [*CALLGRIND, sys.executable, str(HERE / "worker_calls.py"), str(events), str(WORKER_BATCH)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    asyncio.run(_consumer_created(up.nats.url, name))
    seed_events(url, events)
    stdout, stderr = worker.communicate(timeout=600)
    return collected(
        subprocess.CompletedProcess(worker.args, worker.returncode, stdout, stderr), name
    )


async def _consumer_created(nats_url: str, namespace: str) -> None:
    """Appending only once the runner's consumer exists brings every event through the bus."""
    connection = await nats.connect(nats_url)
    try:
        for _ in range(1200):
            try:
                await connection.jetstream().consumer_info(
                    namespace.upper(), f"{namespace}-projections"
                )
                return
            except nats.js.errors.NotFoundError:
                await asyncio.sleep(0.1)
        raise RuntimeError("the projection runner did not start")
    finally:
        await connection.close()


def main() -> None:
    with aevon_up("aevon-instructions-", API_WORKERS="1") as up:
        base_url, env = up.base_url, dict(up.env)
        owner = httpx.post(f"{base_url}/v1/auth/register", json=registration(), timeout=30)
        token = owner.json()["accessToken"]
        contact = httpx.post(
            f"{base_url}/v1/contacts",
            json={"firstName": "Read"},
            headers={"Authorization": f"Bearer {token}"},
        )
        env |= {"BENCH_TOKEN": token, "BENCH_CONTACT": contact.json()["id"]}
        figures = {}
        for kind in ("read", "write"):
            for name, app in (("api", ()), ("floor", ("floor",))):
                small, large = (counted(env, kind, n, *app) for n in (SMALL, LARGE))
                figure = f"{name}_instructions_per_{kind}"
                figures[figure] = round((large - small) / (LARGE - SMALL))
                print(f"{figure}: {figures[figure]:,}", flush=True)
        small, large = (worker_counted(up, n) for n in (SMALL_EVENTS, LARGE_EVENTS))
        figures["worker_instructions_per_event"] = round(
            (large - small) / (LARGE_EVENTS - SMALL_EVENTS)
        )
        print(f"worker: {figures['worker_instructions_per_event']:,} instructions per event")
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
