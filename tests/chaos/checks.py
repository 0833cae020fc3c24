"""After a fault: is every acknowledged write stored once and visible, and are invariants whole?"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from decimal import Decimal
from typing import Any
from uuid import UUID

from aevon.eventstore import EventStore
from domain.ledger.ledger import Ledger, ledger_id
from tests.chaos.load import Load
from tests.integration.helpers import snapshot
from tests.support import connect


def lost_and_duplicated(
    url: str, load: Load, workspace: UUID, all_tributes: set[str]
) -> tuple[int, int]:
    """`all_tributes`: every tribute acknowledged on the workspace so far, in any scenario."""
    with connect(url) as conn:
        stored = dict(
            conn.execute(
                "SELECT originator_id::text, count(*) FROM aevon_events"
                " WHERE topic = 'ContactCreated' GROUP BY 1"
            ).fetchall()
        )
        projected = {
            row[0]: row[1]
            for row in conn.execute(
                "SELECT first_name, count(*) FROM rm_contacts.contacts"
                " WHERE first_name LIKE 'c-%%' GROUP BY 1"
            ).fetchall()
        }
        transactions = [
            str(row[0])
            for row in conn.execute(
                "SELECT id FROM rm_ledger.transactions WHERE type = 'TRIBUTE'"
                " AND workspace_id = %s",
                (workspace,),
            ).fetchall()
        ]
        users = {str(row[0]) for row in conn.execute("SELECT id FROM rm_users.users").fetchall()}
    lost = sum(
        stored.get(cid, 0) != 1 or projected.get(key, 0) == 0 for key, cid in load.contacts.items()
    )
    lost += sum(tid not in transactions for tid in load.tributes.values())
    lost += sum(uid not in users for uid in load.users)
    duplicates = sum(count - 1 for count in projected.values() if count > 1)
    # Each acknowledged tribute, retried or not, must be exactly one ledger entry.
    duplicates += len(transactions) - len(set(transactions) & all_tributes)
    run_lost, run_duplicates = runs_lost_and_repeated(url, load)
    return lost + run_lost, duplicates + run_duplicates


def runs_lost_and_repeated(url: str, load: Load) -> tuple[int, int]:
    """Each acknowledged run started once, completed, and created its one contact."""
    with connect(url) as conn:
        started = dict(
            conn.execute(
                "SELECT originator_id::text, count(*) FROM aevon_events"
                " WHERE topic = 'RunStarted' GROUP BY 1"
            ).fetchall()
        )
        completed = {
            str(row[0])
            for row in conn.execute(
                "SELECT id FROM rm_workflows.runs WHERE status = 'completed'"
            ).fetchall()
        }
        side_effects = dict(
            conn.execute(
                "SELECT first_name, count(*) FROM rm_contacts.contacts"
                " WHERE first_name LIKE 'w-%%' GROUP BY 1"
            ).fetchall()
        )
    lost = sum(
        started.get(run_id, 0) != 1 or run_id not in completed or key not in side_effects
        for key, run_id in load.runs.items()
    )
    return lost, sum(count - 1 for count in side_effects.values())


async def runs_finished(url: str, load: Load, within: float = 60) -> None:
    """Waits (bounded) until no acknowledged run is still pending or running."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with connect(url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM rm_workflows.runs WHERE id = ANY(%s)"
                " AND status IN ('completed', 'failed')",
                ([UUID(r) for r in load.runs.values()],),
            ).fetchone()
        if row is not None and row[0] == len(load.runs):
            return
        await asyncio.sleep(0.2)


def ledger_is_whole(url: str, workspace: UUID) -> bool:
    with connect(url) as conn:
        row = conn.execute(
            "SELECT (SELECT credits FROM rm_workspaces.workspaces WHERE id = %s),"
            " (SELECT sum(amount) FROM rm_ledger.transactions"
            "  WHERE workspace_id = %s AND status = 'COMPLETED')",
            (workspace, workspace),
        ).fetchone()
    assert row is not None
    store = EventStore.connect(url, pool_size=1)
    try:
        replayed = store.load(Ledger, ledger_id(workspace)).balance
    finally:
        store.close()
    credits, total = row
    return bool(credits == total == replayed and replayed >= Decimal(0))


def rebuild_matches(url: str, env: dict[str, Any]) -> bool:
    before = snapshot(url)
    subprocess.run(
        [sys.executable, "-m", "aevon.cli", "projections", "rebuild", "--all", "--yes"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return snapshot(url) == before
