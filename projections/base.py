"""A projection owns a schema of tables, written only by its handlers.

Handler SQL names tables without a schema: the runner sets `search_path` to the live schema,
and a rebuild to a fresh one that is then swapped in.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import msgspec
from psycopg import AsyncCursor, pq, sql
from psycopg.abc import Query, QueryNoTemplate
from psycopg.types.json import Jsonb

from aevon.eventstore import RecordedEvent
from domain.registry import EVENT_TYPES

Params = Sequence[Any] | Mapping[str, Any]
_json = msgspec.json.Encoder(decimal_format="number")


def jsonb(value: Any) -> Jsonb:
    """A JSON column value; event numbers arrive as Decimal, which stay exact numbers."""
    return Jsonb(value, dumps=_json.encode)


# An INSERT of placeholders only, with no ON CONFLICT or RETURNING: COPY can do the same. Of
# one row (`VALUES (%s, …)`), or of a row per element of its arrays (`SELECT * FROM unnest(…)`).
_PLAIN_INSERT = re.compile(
    r"\s*INSERT INTO (?P<table>\w+) \((?P<columns>[\w\s,]+)\)\s*"
    r"(?:VALUES\s*\((?P<values>[%s,\s]+)\)|SELECT \* FROM unnest\((?P<arrays>[%b\w\[\]:,\s]+)\))"
    r"\s*",
    re.IGNORECASE,
)


class Writes:
    """What handlers write with: statements are queued and sent when the batch is flushed.

    Consecutive uses of one statement go out as a single `executemany`, which psycopg sends
    without a round of the event loop per row; handlers only write, they never read back.
    A statement queued with `add_row` takes one array per column instead: a run of its rows
    goes out as one execution, which spares psycopg's and PostgreSQL's work per statement.
    In `bulk` mode (a rebuild, outside pipeline mode) a run of a plain INSERT goes out as COPY.
    With a `schema`, the first flush that has statements first points `search_path` at it, so
    a batch costs nothing for the projections it does not concern.
    """

    FLUSH_AT = 5000

    def __init__(
        self, cursor: AsyncCursor[Any], bulk: bool = False, schema: str | None = None
    ) -> None:
        self.cursor = cursor
        self.bulk = bulk
        self.schema = schema
        self.on_schema = False
        self.runs: list[_Run] = []
        self.queued = 0

    async def execute(self, query: Query, params: Params = ()) -> None:
        await self._queue(query, params, columns=False)

    async def add_row(self, query: QueryNoTemplate, row: Sequence[Any]) -> None:
        """`query` takes one array per column, `row` one value each. Binary arrays
        (`unnest(%b::uuid[], …)`) cost psycopg a quarter of what text ones do."""
        await self._queue(query, row, columns=True)

    async def _queue(self, query: Query, params: Params, columns: bool) -> None:
        last = self.runs[-1] if self.runs else None
        if last is not None and last.query == query and last.columns == columns:
            last.rows.append(params)
        else:
            self.runs.append(_Run(query, [params], columns))
        self.queued += 1
        if self.queued >= self.FLUSH_AT:
            await self.flush()

    async def flush(self) -> None:
        runs, self.runs, self.queued = self.runs, [], 0
        if runs and self.schema and not self.on_schema:
            search_path = sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(self.schema))
            await self.cursor.execute(search_path)
            self.on_schema = True
        pipelined: list[_Run] = []
        for run in runs:
            copy = _as_copy(run) if self.bulk else None
            if copy is None:
                pipelined.append(run)
                continue
            await self._execute(pipelined)
            pipelined = []
            statement, rows = copy
            async with self.cursor.copy(statement) as loading:
                for row in rows:
                    await loading.write_row(row)
        await self._execute(pipelined)

    async def _execute(self, runs: list[_Run]) -> None:
        # One pipeline for the stretch: a round trip for all of it, not one per run. Inside the
        # caller's pipeline the statements just join it: a nested one would sync when it ends.
        if not runs:
            return
        connection = self.cursor.connection
        in_pipeline = connection.pgconn.pipeline_status != pq.PipelineStatus.OFF
        async with nullcontext() if in_pipeline else connection.pipeline():
            for run in runs:
                if run.columns:
                    columns = [list(c) for c in zip(*run.rows, strict=True)]
                    await self.cursor.execute(cast(QueryNoTemplate, run.query), columns)
                else:
                    await self.cursor.executemany(run.query, run.rows)


@dataclass
class _Run:
    query: Query
    rows: list[Params]
    columns: bool


def _as_copy(run: _Run) -> tuple[str, list[Sequence[Any]]] | None:
    insert = _PLAIN_INSERT.fullmatch(run.query) if isinstance(run.query, str) else None
    rows = [p for p in run.rows if not isinstance(p, Mapping)]
    if insert is None or len(rows) != len(run.rows):
        return None
    placeholders = insert["arrays"] if run.columns else insert["values"]
    if placeholders is None or placeholders.count("%") != len(insert["columns"].split(",")):
        return None
    return f"COPY {insert['table']} ({insert['columns']}) FROM STDIN", rows


Apply = Callable[[Writes, RecordedEvent, dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Projection:
    name: str
    schema_file: Path
    handlers: dict[str, Apply] = field(default_factory=dict)

    @property
    def schema(self) -> str:
        return f"rm_{self.name}"

    @property
    def ddl(self) -> str:
        return self.schema_file.read_text()

    @property
    def topics(self) -> frozenset[str] | None:
        """The event types this projection applies; None when it applies every type."""
        topics = frozenset(self.handlers)
        return None if topics >= EVENT_TYPES.keys() else topics

    async def apply(self, cur: Writes, event: RecordedEvent) -> None:
        handler = self.handlers.get(event.type)
        if handler is not None:
            await handler(cur, event, event.public_data())

    def on(self, *event_types: str) -> Callable[[Apply], Apply]:
        def register(handler: Apply) -> Apply:
            for event_type in event_types:
                self.handlers[event_type] = handler
            return handler

        return register
