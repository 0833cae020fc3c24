"""One consumer feeds every projection in one transaction; a broken one falls behind alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import nats
import psycopg
import pytest
from psycopg import AsyncConnection

from aevon.eventlog import read_events
from aevon.eventstore import RecordedEvent
from aevon.settings import load_settings
from projections.base import Projection, Writes
from projections.engine import Delivery, apply_together, ensure_projection, tracked_position
from tests.support import Servers, register
from workers.projector import ProjectionRunner

TABLE = "CREATE TABLE IF NOT EXISTS seen (position bigint PRIMARY KEY, type text NOT NULL);"


def recording(name: str, schema_dir: Path, column: str = "type") -> Projection:
    """Records every event it is given; with another `column`, its SQL fails on the database."""
    schema_file = schema_dir / f"{name}.sql"
    schema_file.write_text(TABLE)
    projection = Projection(name, schema_file)

    async def record(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
        await cur.execute(
            f"INSERT INTO seen (position, {column}) VALUES (%s, %s)", (event.position, event.type)
        )

    projection.on("UserRegistered", "WorkspaceCreated", "CreditGranted")(record)
    return projection


async def seen(conn: AsyncConnection[Any], projection: Projection) -> list[int]:
    cur = await conn.execute(f"SELECT position FROM {projection.schema}.seen ORDER BY 1")
    return [row[0] for row in await cur.fetchall()]


async def test_a_projection_that_fails_falls_behind_alone_and_the_others_advance(
    client: httpx.AsyncClient, servers: Servers, tmp_path: Path
) -> None:
    await register(client)
    suffix = uuid4().hex[:8]
    good = recording(f"good_{suffix}", tmp_path)
    broken = recording(f"broken_{suffix}", tmp_path, column="no_such_column")
    other = recording(f"other_{suffix}", tmp_path)
    settings = load_settings({**servers.environment(0), "AEVON_NAMESPACE": f"runner{suffix}"})
    announced: dict[str, int] = {}
    nc = await nats.connect(servers.nats_url)

    async def on_position(message: Any) -> None:
        announced.update(json.loads(message.data))

    await nc.subscribe(f"runner{suffix}.positions", cb=on_position)
    runner = ProjectionRunner(settings, nc, [good, broken, other])
    async with await AsyncConnection.connect(servers.database_url, autocommit=True) as conn:
        for projection in runner.projections:
            await ensure_projection(conn, projection)
        events = await read_events(conn, 0, 10_000)
        recorded = [e.position for e in events if e.type in good.handlers]
        assert recorded

        deliveries = [Delivery(e, 0) for e in events]
        await runner.apply(conn, deliveries)
        await nc.flush()

        last = events[-1].position
        assert await seen(conn, good) == recorded
        assert await seen(conn, other) == recorded
        assert await seen(conn, broken) == []
        assert await tracked_position(conn, good.name) == last
        assert await tracked_position(conn, broken.name) == 0
        assert announced.get(good.name) == last
        assert broken.name not in announced
        assert broken.name in runner.behind

        # Left out of later batches until it is due again: the others pay nothing for it.
        await runner.apply(conn, deliveries)
        await runner.retry_behind(conn)
        assert await tracked_position(conn, broken.name) == 0

        # Once fixed and due, it catches up from the store on its own.
        healed = recording(broken.name, tmp_path)
        runner.projections = [good, healed, other]
        runner.behind[healed.name] = 0.0
        await runner.retry_behind(conn)
        await nc.flush()
        assert (await seen(conn, healed))[: len(recorded)] == recorded
        assert await tracked_position(conn, healed.name) >= last
        assert announced.get(healed.name, 0) >= last
        assert healed.name not in runner.behind

        # When no projection can take a batch, it is refused (not acked) rather than skipped.
        lone = ProjectionRunner(settings, nc, [recording(f"lone_{suffix}", tmp_path, "nope")])
        await ensure_projection(conn, lone.projections[0])
        with pytest.raises(psycopg.errors.UndefinedColumn):
            await lone.apply(conn, deliveries)
    await nc.close()


async def test_events_the_bus_did_not_bring_are_read_from_the_store_in_order(
    client: httpx.AsyncClient, servers: Servers, tmp_path: Path
) -> None:
    await register(client)
    await register(client)
    first, second = (recording(f"holes_{uuid4().hex[:8]}", tmp_path) for _ in range(2))
    async with await AsyncConnection.connect(servers.database_url, autocommit=True) as conn:
        for projection in (first, second):
            await ensure_projection(conn, projection)
        events = await read_events(conn, 0, 10_000)
        recorded = [e.position for e in events if e.type in first.handlers]
        assert len(recorded) >= 4
        # Only every other recorded event arrives; each names the one the relay sent before it.
        arrived = [e for e in events if e.position in recorded[1::2]]
        deliveries = [Delivery(e, e.position - 1) for e in arrived]

        positions = await apply_together(conn, [first, second], deliveries)

        assert positions == {first.name: arrived[-1].position, second.name: arrived[-1].position}
        for projection in (first, second):
            assert await seen(conn, projection) == [
                p for p in recorded if p <= arrived[-1].position
            ]
            assert await tracked_position(conn, projection.name) == arrived[-1].position


async def test_a_batch_whose_handler_raises_after_writing_leaves_nothing_behind(
    client: httpx.AsyncClient, servers: Servers, tmp_path: Path
) -> None:
    await register(client)
    suffix = uuid4().hex[:8]
    projection = recording(f"raising_{suffix}", tmp_path)
    written = projection.handlers["UserRegistered"]

    async def write_then_raise(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
        await written(cur, event, data)
        await cur.flush()  # the row reaches the database inside the batch's transaction
        raise RuntimeError("a handler's bug")

    projection.handlers["WorkspaceCreated"] = write_then_raise
    async with await AsyncConnection.connect(servers.database_url, autocommit=True) as conn:
        await ensure_projection(conn, projection)
        deliveries = [Delivery(e, 0) for e in await read_events(conn, 0, 10_000)]
        with pytest.raises(RuntimeError):
            await apply_together(conn, [projection], deliveries)
        assert await seen(conn, projection) == []
        assert await tracked_position(conn, projection.name) == 0
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
