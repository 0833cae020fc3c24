"""Runs a command's handler in a worker thread: load, decide, commit; retries on conflicts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import anyio
import msgspec
from eventsourcing.persistence import IntegrityError

from aevon.eventstore import EventStore
from commands.context import Context
from commands.unit_of_work import UnitOfWork
from domain.shared import Conflict

R = TypeVar("R")
Handler = Callable[[Any, UnitOfWork], Any]

MAX_ATTEMPTS = 5


class ConcurrentModification(Conflict):
    def __init__(self) -> None:
        super().__init__("The resource was changed concurrently; retry the request.")


class Outcome(msgspec.Struct, frozen=True):
    result: Any
    position: int | None


class CommandBus:
    def __init__(
        self, store: EventStore, handlers: Mapping[type, Handler], threads: int = 8
    ) -> None:
        self.store = store
        self.handlers = dict(handlers)
        self.limiter = anyio.CapacityLimiter(threads)

    async def execute(self, command: object, context: Context) -> Outcome:
        return await anyio.to_thread.run_sync(
            self.execute_sync, command, context, limiter=self.limiter
        )

    def execute_sync(self, command: object, context: Context) -> Outcome:
        handler = self.handlers[type(command)]
        for _ in range(MAX_ATTEMPTS):
            uow = UnitOfWork(self.store, context)
            result = handler(command, uow)
            try:
                position = uow.commit()
            except IntegrityError:
                continue  # another writer got there first: decide again on fresh state
            return Outcome(result, position)
        raise ConcurrentModification()
