"""Building blocks of the pure domain: events, aggregates and domain errors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Self
from uuid import UUID

import msgspec


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """Something that happened. Subclasses are named in the past tense."""

    # Fields that never leave the write side in clear text (relay, projections, audit).
    secret_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def type_name(cls) -> str:
        return cls.__name__


class Aggregate:
    """A consistency boundary rebuilt from its own events; decisions record new ones."""

    category: ClassVar[str]

    def __init__(self, id: UUID) -> None:
        self.id = id
        self.version = 0
        self.pending: list[Event] = []

    @classmethod
    def replay(cls, id: UUID, events: Iterable[Event]) -> Self:
        aggregate = cls(id)
        for event in events:
            aggregate.apply(event)
            aggregate.version += 1
        return aggregate

    def apply(self, event: Event) -> None:
        raise TypeError(f"{type(self).__name__} cannot apply {event.type_name()}")

    def record(self, event: Event) -> None:
        self.apply(event)
        self.version += 1
        self.pending.append(event)

    @property
    def exists(self) -> bool:
        return self.version > 0


class DomainError(Exception):
    """A rule of the domain refused a command. Mapped once to HTTP in the API."""

    title = "Request refused"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    title = "Not found"


class Conflict(DomainError):
    title = "Conflict"


class Forbidden(DomainError):
    title = "Forbidden"


class InvalidInput(DomainError):
    title = "Invalid input"


class PreconditionFailed(DomainError):
    title = "Precondition failed"

    def __init__(self) -> None:
        super().__init__("The resource has changed since you read it (If-Match does not match).")


def expect_version(aggregate: Aggregate, expected: int | None) -> None:
    """Optimistic concurrency for clients: `If-Match` names the version they last saw."""
    if expected is not None and aggregate.version != expected:
        raise PreconditionFailed()
