"""A projection owns a schema of tables, written only by its handlers.

Handler SQL names tables without a schema: the runner sets `search_path` to the live schema,
and a rebuild to a fresh one that is then swapped in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from psycopg import AsyncCursor
from psycopg.types.json import Jsonb

from aevon.eventstore import RecordedEvent

_json = msgspec.json.Encoder(decimal_format="number")


def jsonb(value: Any) -> Jsonb:
    """A JSON column value; event numbers arrive as Decimal, which stay exact numbers."""
    return Jsonb(value, dumps=_json.encode)


Apply = Callable[[AsyncCursor[Any], RecordedEvent, dict[str, Any]], Awaitable[None]]


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

    async def apply(self, cur: AsyncCursor[Any], event: RecordedEvent) -> None:
        handler = self.handlers.get(event.type)
        if handler is not None:
            await handler(cur, event, event.public_data())

    def on(self, *event_types: str) -> Callable[[Apply], Apply]:
        def register(handler: Apply) -> Apply:
            for event_type in event_types:
                self.handlers[event_type] = handler
            return handler

        return register
