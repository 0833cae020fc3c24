"""The fault suite: one fault at a time under a mixed load, then combined.

`make chaos` runs it at full length; the test suite runs a short version. Last line of output:
one JSON object with scenarios, sent, acknowledged, lost, duplicates and max_recovery_s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
from psycopg.conninfo import conninfo_to_dict

from tests.chaos.checks import (
    ledger_is_whole,
    lost_and_duplicated,
    rebuild_matches,
    runs_finished,
)
from tests.chaos.load import Load
from tests.chaos.proxy import CommitCutter
from tests.integration.helpers import converged, lag_under_one_second
from tests.support import Servers, Service, register, until_served

Fault = Callable[[], Awaitable[None]]
WORKERS = ("relay", "projections", "loom", "aegis")  # one process each, so each can be killed alone
# A run's side effect is a contact named after the run's idempotency key, so it can be counted.
INTAKE = {
    "nodes": [
        {"id": "start", "type": "trigger", "data": {}},
        {
            "id": "save",
            "type": "tool",
            "data": {"tool": "contacts.create", "args": {"firstName": "{{key}}"}},
        },
        {"id": "wait", "type": "delay", "data": {"seconds": 0.2}},
        {"id": "done", "type": "output", "data": {}},
    ],
    "edges": [
        {"id": "1", "source": "start", "target": "save"},
        {"id": "2", "source": "save", "target": "wait"},
        {"id": "3", "source": "wait", "target": "done"},
    ],
}


class Chaos:
    def __init__(self, root: Path, seconds: float, nats_down: float) -> None:
        self.servers = Servers(root)
        assert self.servers.postgres, "the fault suite needs embedded servers"
        assert self.servers.nats, "the fault suite needs embedded servers"
        socket_dir = str(conninfo_to_dict(self.servers.database_url)["host"])
        self.cutter = CommitCutter(socket_dir)
        self.service = Service(self.servers, root, AEVON_DATABASE_URL=self.cutter.url)
        self.seconds = seconds
        self.nats_down = nats_down
        self.owner: dict[str, Any] = {}
        self.workflow_id = ""
        self.tributes: set[str] = set()

    async def kill(self, *parts: str) -> None:
        for part in parts:
            self.service.kill(part)
        await asyncio.sleep(1)
        await asyncio.to_thread(self.service.start, *parts)

    async def stop_nats(self) -> None:
        assert self.servers.nats
        self.servers.nats.stop()
        await asyncio.sleep(self.nats_down)
        self.servers.nats.start()

    async def restart_postgres(self, mode: str) -> None:
        assert self.servers.postgres
        await asyncio.to_thread(self.servers.postgres.halt, mode)
        await asyncio.sleep(1)
        await asyncio.to_thread(self.servers.postgres.resume)

    async def lose_commit_replies(self) -> None:
        self.cutter.cut_probability = 0.3
        await asyncio.sleep(3)
        self.cutter.cut_probability = 0.0

    async def everything(self) -> None:
        await asyncio.gather(self.lose_commit_replies(), self.kill(*WORKERS), self.stop_nats())

    def scenarios(self) -> dict[str, Fault]:
        return {
            "kill -9 relay": lambda: self.kill("relay"),
            "kill -9 projection worker": lambda: self.kill("projections"),
            "kill -9 loom worker": lambda: self.kill("loom"),
            "kill -9 api": lambda: self.kill("api"),
            "nats stopped": self.stop_nats,
            "postgres fast restart": lambda: self.restart_postgres("fast"),
            "postgres immediate restart": lambda: self.restart_postgres("immediate"),
            "commit replies lost": self.lose_commit_replies,
            "combined": self.everything,
        }

    async def run(self) -> dict[str, Any]:
        self.service.start("api", *WORKERS)
        async with httpx.AsyncClient(base_url=self.service.base_url, timeout=30) as http:
            self.owner = await register(http)
            # On a cold machine the worker may start after the API: wait until it projects.
            await until_served(http, self.owner["headers"])
            top_up = await http.post(
                "/v1/billing/top-ups", json={"amount": 1000}, headers=self.owner["headers"]
            )
            await http.post(
                f"/v1/billing/transactions/{top_up.json()['id']}/confirm",
                headers=self.owner["headers"],
            )
            # Unlimited actions: workflow runs are billed, and the load must not run dry.
            await http.put(
                "/v1/workspaces/me", json={"planTier": "Priesthood"}, headers=self.owner["headers"]
            )
            workflow = await http.post(
                "/v1/workflows",
                json={"name": "Chaos intake", "definition": INTAKE},
                headers=self.owner["headers"],
            )
            self.workflow_id = workflow.json()["id"]
        totals: dict[str, Any] = {
            "scenarios": [],
            "sent": 0,
            "acknowledged": 0,
            "lost": 0,
            "duplicates": 0,
            "max_recovery_s": 0.0,
            "failures": [],
        }
        for name, fault in self.scenarios().items():
            totals["scenarios"].append(await self.scenario(name, fault, totals))
        return totals

    async def scenario(self, name: str, fault: Fault, totals: dict[str, Any]) -> dict[str, Any]:
        print(f"scenario: {name}", file=sys.stderr, flush=True)
        load = Load(self.service.base_url, self.owner, self.workflow_id)
        running = asyncio.create_task(load.run(self.seconds))
        await asyncio.sleep(1)
        await fault()
        # An upper bound: the first moment every event at least 1 s old was projected.
        recovery = await lag_under_one_second(self.servers.database_url)
        await running
        await runs_finished(self.servers.database_url, load)
        await converged(self.servers.database_url, within=60)
        workspace = UUID(self.owner["workspace"]["id"])
        self.tributes |= set(load.tributes.values())
        lost, duplicates = lost_and_duplicated(
            self.servers.database_url, load, workspace, self.tributes
        )
        result = {
            "name": name,
            "sent": load.sent,
            "acknowledged": load.acknowledged,
            "workflow_runs": len(load.runs),
            "lost": lost,
            "duplicates": duplicates,
            "recovery_s": round(recovery, 2),
            "ledger_whole": ledger_is_whole(
                self.servers.database_url, UUID(self.owner["workspace"]["id"])
            ),
            "rebuild_matches": rebuild_matches(
                self.servers.database_url, self.servers.environment(0)
            ),
            "commit_replies_cut": self.cutter.cuts,
        }
        for key in ("sent", "acknowledged", "lost", "duplicates"):
            totals[key] += result[key]
        totals["max_recovery_s"] = max(totals["max_recovery_s"], result["recovery_s"])
        totals["failures"] += load.failed
        return result

    def close(self) -> None:
        self.service.stop()
        self.servers.stop()


def run(seconds: float, nats_down: float) -> dict[str, Any]:
    chaos = Chaos(Path(tempfile.mkdtemp(prefix="aevon-chaos-")), seconds, nats_down)
    try:
        return asyncio.run(chaos.run())
    finally:
        chaos.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--nats-down", type=float, default=15)
    arguments = parser.parse_args()
    report = run(arguments.seconds, arguments.nats_down)
    for scenario in report["scenarios"]:
        print(json.dumps(scenario))
    print(json.dumps(report))
