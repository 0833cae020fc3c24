"""An in-memory event store with the real store's optimistic-concurrency behaviour."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from aevon.eventstore import Metadata
from domain.shared import Aggregate, Event

A = TypeVar("A", bound=Aggregate)


class InMemoryEventStore:
    def __init__(self) -> None:
        self.streams: dict[UUID, list[Event]] = {}
        self.log: list[tuple[UUID, Event, Metadata]] = []

    def load(self, cls: type[A], id: UUID) -> A:
        return cls.replay(id, self.streams.get(id, []))

    def append(
        self, aggregates: Sequence[Aggregate], meta: Metadata, idempotency: object = None
    ) -> list[int]:
        for aggregate in aggregates:
            expected = aggregate.version - len(aggregate.pending)
            if len(self.streams.get(aggregate.id, [])) != expected:
                raise IntegrityError("version conflict")
        positions = []
        for aggregate in aggregates:
            for event in aggregate.pending:
                self.streams.setdefault(aggregate.id, []).append(event)
                self.log.append((aggregate.id, event, meta))
                positions.append(len(self.log))
            aggregate.pending.clear()
        return positions

    def find_response(self, scope: str, key: str) -> None:
        return None

    def types(self) -> list[str]:
        return [event.type_name() for _, event, _ in self.log]
