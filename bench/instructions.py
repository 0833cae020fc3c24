"""`make bench-instructions`: the instructions the API's app executes per request, counted by
valgrind (callgrind).

Wall-clock figures on this shared two-core box drift by a fifth between runs of the same
code; instruction counts repeat within about 2 %, so they show what a change to the request
path saves. The service runs as in `make bench` (`aevon up` on embedded PostgreSQL and NATS:
the worker projects the writes, which wait for their read models). `bench/asgi_calls.py`
builds the app in a process of its own under callgrind and calls it sequentially, once with
SMALL and once with LARGE requests: the difference over LARGE − SMALL is one request's
instructions, start-up and warm-up excluded. Not counted: uvicorn's HTTP parsing, the kernel,
and the other processes (worker, PostgreSQL, NATS).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
from service import aevon_up

from tests.support import registration

SMALL, LARGE = 100, 600
CALLS = Path(__file__).with_name("asgi_calls.py")


def counted(env: dict[str, str], kind: str, requests: int) -> int:
    done = subprocess.run(
        [
            *("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"),
            *(sys.executable, str(CALLS), kind, str(requests)),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    collected = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or collected is None:
        raise RuntimeError(f"{kind} × {requests} failed:\n{done.stdout}\n{done.stderr[-2000:]}")
    return int(collected.group(1))


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
            small, large = (counted(env, kind, n) for n in (SMALL, LARGE))
            figures[f"api_instructions_per_{kind}"] = round((large - small) / (LARGE - SMALL))
            print(f"{kind}: {figures[f'api_instructions_per_{kind}']:,} instructions", flush=True)
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
