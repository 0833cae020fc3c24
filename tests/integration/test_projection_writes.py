"""Rows queued by column go out in one statement, live and in a rebuild; the audit chain that
links a whole batch in one call is the chain auditors recompute, and linking again is a no-op."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from psycopg import AsyncConnection

from aevon.audit import GENESIS, canonical, link, record_of
from aevon.eventlog import read_events
from aevon.eventstore import RecordedEvent
from projections.audit.projector import projection as audit
from projections.base import Projection, Writes
from projections.engine import Delivery, apply_together, ensure_projection
from tests.support import Servers, register

SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (position bigint PRIMARY KEY, type text, note text);
CREATE TABLE IF NOT EXISTS statements (rows int NOT NULL);
"""
# Each execution of it leaves one row in `statements`, however many events it carries.
BY_COLUMN = """
WITH added AS (
    INSERT INTO seen (position, type, note)
    SELECT * FROM unnest(%b::bigint[], %b::text[], %b::text[]) RETURNING 1
)
INSERT INTO statements (rows) SELECT count(*) FROM added
"""
PLAIN_BY_COLUMN = (
    "INSERT INTO seen (position, type, note)"
    " SELECT * FROM unnest(%b::bigint[], %b::text[], %b::text[])"
)


def by_column(name: str, schema_dir: Path, query: str) -> Projection:
    schema_file = schema_dir / f"{name}.sql"
    schema_file.write_text(SCHEMA)
    projection = Projection(name, schema_file)

    async def record(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
        await cur.add_row(query, (event.position, event.type, None))

    projection.on("UserRegistered", "WorkspaceCreated", "CreditGranted")(record)
    return projection


async def rows(conn: AsyncConnection[Any], query: str) -> list[tuple[Any, ...]]:
    cursor = await conn.execute(query)
    return await cursor.fetchall()


@pytest.mark.parametrize("bulk", [False, True], ids=["live", "bulk"])
async def test_rows_added_by_column_are_one_statement_per_batch(
    client: httpx.AsyncClient, servers: Servers, tmp_path: Path, bulk: bool
) -> None:
    await register(client)
    await register(client)
    suffix = uuid4().hex[:8]
    counted = by_column(f"columns_{suffix}", tmp_path, BY_COLUMN)
    plain = by_column(f"plain_columns_{suffix}", tmp_path, PLAIN_BY_COLUMN)
    async with await AsyncConnection.connect(servers.database_url, autocommit=True) as conn:
        for projection in (counted, plain):
            await ensure_projection(conn, projection)
        events = await read_events(conn, 0, 10_000)
        expected = [(e.position, e.type, None) for e in events if e.type in counted.handlers]
        assert len(expected) >= 4

        await apply_together(conn, [counted, plain], [Delivery(e, 0) for e in events], None, bulk)

        for projection in (counted, plain):
            table = f"{projection.schema}.seen"
            assert await rows(conn, f"SELECT * FROM {table} ORDER BY 1") == expected
        statements = await rows(conn, f"SELECT rows FROM {counted.schema}.statements")
        assert statements == [(len(expected),)]


async def linked(conn: AsyncConnection[Any], schema: str) -> dict[UUID, list[tuple[Any, ...]]]:
    chains: dict[UUID, list[tuple[Any, ...]]] = {}
    query = f"SELECT workspace_id, position, hash, prev_hash FROM {schema}.chain ORDER BY 2"
    for workspace, *link_ in await rows(conn, query):
        chains.setdefault(workspace, []).append(tuple(link_))
    return chains


def recomputed(events: list[RecordedEvent]) -> dict[UUID, list[tuple[Any, ...]]]:
    chains: dict[UUID, list[tuple[Any, ...]]] = {}
    for event in events:
        workspace = event.envelope.meta.workspace_id
        if workspace is None:
            continue
        chain = chains.setdefault(workspace, [])
        previous = chain[-1][1] if chain else GENESIS
        chain.append((event.position, link(previous, record_of(event)), previous))
    return chains


async def test_a_batch_links_as_auditors_recompute_and_linking_again_changes_nothing(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    for _ in range(3):
        await register(client)
    schema = f"rm_audit_test_{uuid4().hex[:8]}"
    async with await AsyncConnection.connect(servers.database_url, autocommit=True) as conn:
        await ensure_projection(conn, audit, schema)
        events = await read_events(conn, 0, 10_000)
        workspaces = {e.envelope.meta.workspace_id for e in events} - {None}
        assert len(workspaces) >= 3  # interleaved in the batch

        await apply_together(conn, [audit], [Delivery(e, 0) for e in events], schema)
        chains = await linked(conn, schema)
        assert chains == recomputed(events)

        # The same events again, then one new link: the chain keeps its links and follows on.
        workspace, chain = next(iter(chains.items()))
        extra = {"position": 10**9, "data": {}}
        batch = [
            (e.position, e.envelope.meta.workspace_id, canonical(record_of(e)))
            for e in events
            if e.envelope.meta.workspace_id is not None
        ]
        batch.append((10**9, workspace, canonical(extra)))
        async with conn.transaction():
            await conn.execute(f"SET LOCAL search_path TO {schema}")
            await conn.execute(
                "SELECT link_events(%b::bigint[], %b::uuid[], %b::bytea[], %s)",
                [*map(list, zip(*batch, strict=True)), GENESIS],
            )
        head = chain[-1][1]
        assert await linked(conn, schema) == {
            **chains,
            workspace: [*chain, (10**9, link(head, extra), head)],
        }
        heads = await rows(conn, f"SELECT workspace_id, position, hash FROM {schema}.heads")
        assert sorted(heads) == sorted(
            (w, c[-1][0], c[-1][1]) for w, c in (await linked(conn, schema)).items()
        )
