from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from aevon.eventstore import Metadata
from projections.catalogue import PROJECTIONS
from tests.support import connect

Snapshot = dict[str, list[tuple[Any, ...]]]
NOW = datetime(2026, 11, 26, tzinfo=UTC)


def meta() -> Metadata:
    """Metadata of a save made straight through the event store, in a fresh workspace."""
    return Metadata(
        workspace_id=uuid4(),
        actor_id=None,
        correlation_id=uuid4(),
        causation_id=uuid4(),
        occurred_at=NOW,
    )


def head(url: str) -> int:
    with connect(url) as conn:
        row = conn.execute("SELECT COALESCE(MAX(notification_id), 0) FROM aevon_events").fetchone()
        return int(row[0]) if row else 0


def positions(url: str) -> dict[str, int]:
    with connect(url) as conn:
        rows = conn.execute(
            "SELECT projection, position FROM aevon_tracking WHERE projection = ANY(%s)",
            (list(PROJECTIONS),),
        ).fetchall()
    return {name: int(position) for name, position in rows}


async def converged(url: str, within: float = 30) -> float:
    """Waits until every projection has the store's last event; returns the seconds it took."""
    started = time.monotonic()
    target = head(url)
    while time.monotonic() - started < within:
        current = positions(url)
        if len(current) == len(PROJECTIONS) and min(current.values()) >= target:
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    raise AssertionError(f"projections stuck at {positions(url)}, store head {target}")


def snapshot(url: str) -> Snapshot:
    """Every row of every live read-model table, in a stable order."""
    tables: Snapshot = {}
    with connect(url) as conn:
        for projection in PROJECTIONS.values():
            names = conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema=%s"
                " ORDER BY table_name",
                (projection.schema,),
            ).fetchall()
            for (table,) in names:
                rows = conn.execute(
                    f'SELECT * FROM "{projection.schema}"."{table}" ORDER BY 1'
                ).fetchall()
                tables[f"{projection.schema}.{table}"] = rows
    return tables


async def lag_under_one_second(url: str, within: float = 30) -> float:
    """Seconds until every event stored at least 1 s earlier is in every read model."""
    started = time.monotonic()
    heads: list[tuple[float, int]] = []
    while (now := time.monotonic()) - started < within:
        heads.append((now, head(url)))
        settled = [h for at, h in heads if now - at >= 1.0]
        if settled and min(positions(url).values(), default=0) >= settled[-1]:
            return now - started
        await asyncio.sleep(0.1)
    raise AssertionError(f"lag still over 1 s after {within} s: {positions(url)}")
