"""An in-memory event store with the real store's optimistic-concurrency behaviour."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from aevon.eventstore import Change, Metadata
from domain.shared import Aggregate, Event

A = TypeVar("A", bound=Aggregate)


class InMemoryEventStore:
    def __init__(self) -> None:
        self.streams: dict[UUID, list[Event]] = {}
        self.log: list[tuple[UUID, Event, Metadata]] = []

    def load(self, cls: type[A], id: UUID) -> A:
        return cls.replay(id, self.streams.get(id, []))

    def save(self, changes: Sequence[Change]) -> list[list[int]]:
        """All or nothing, like one transaction of the real store."""
        lengths = {id: len(events) for id, events in self.streams.items()}
        for change in changes:
            for aggregate in change.aggregates:
                if lengths.get(aggregate.id, 0) != aggregate.version - len(aggregate.pending):
                    raise IntegrityError("version conflict")
                lengths[aggregate.id] = aggregate.version
        per_change = []
        for change in changes:
            positions = []
            for aggregate in change.aggregates:
                for event in aggregate.pending:
                    self.streams.setdefault(aggregate.id, []).append(event)
                    self.log.append((aggregate.id, event, change.meta))
                    positions.append(len(self.log))
                aggregate.pending.clear()
            per_change.append(positions)
        return per_change

    def find_response(self, scope: str, key: str) -> None:
        return None

    def types(self) -> list[str]:
        return [event.type_name() for _, event, _ in self.log]
