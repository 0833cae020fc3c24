"""Runs a command's handler in a worker thread: load, decide, commit; retries on conflicts.

With an idempotency key, the response is rendered before the commit and stored in the same
transaction as the events, so a retried request gets the first answer back, exactly once.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

import anyio
import msgspec
from eventsourcing.persistence import IntegrityError

from aevon.eventstore import EventStore
from aevon.recorder import IdempotencyRecord
from commands.context import Context
from commands.group_commit import GroupCommit
from commands.unit_of_work import UnitOfWork
from domain.shared import Conflict, DomainError

Handler = Callable[[Any, UnitOfWork], Any]
Render = Callable[[Any], tuple[int, bytes]]

MAX_ATTEMPTS = 20
STRIPES = 64


class ConcurrentModification(Conflict):
    def __init__(self) -> None:
        super().__init__("The resource was changed concurrently; retry the request.")


class IdempotencyKeyReused(DomainError):
    title = "Idempotency key reused"

    def __init__(self) -> None:
        super().__init__("This Idempotency-Key was used with a different request.")


class Idempotency(msgspec.Struct, frozen=True, kw_only=True):
    scope: str
    key: str
    request_hash: str


class Refused(msgspec.Struct, frozen=True):
    """A handler's answer for a refusal worth keeping on record: what it decided is saved, then
    the caller gets `error`."""

    error: DomainError


class Outcome(msgspec.Struct, frozen=True):
    result: Any
    position: int | None
    response: bytes | None = None
    status: int | None = None
    replayed: bool = False


class CommandBus:
    def __init__(
        self, store: EventStore, handlers: Mapping[type, Handler], threads: int = 8
    ) -> None:
        self.store = store
        self.handlers = dict(handlers)
        self.limiter = anyio.CapacityLimiter(threads)
        self.stripes = [anyio.Lock() for _ in range(STRIPES)]
        self.committer = GroupCommit(store)

    async def execute(
        self,
        command: object,
        context: Context,
        idempotency: Idempotency | None = None,
        render: Render | None = None,
    ) -> Outcome:
        # Commands on one hot aggregate (a ledger) queue here instead of conflicting in the
        # store; waiting holds no worker thread. Other processes still meet optimistic locking.
        async with self._stripe(command, context):
            return await anyio.to_thread.run_sync(
                self.execute_sync, command, context, idempotency, render, limiter=self.limiter
            )

    def _stripe(self, command: object, context: Context) -> AbstractAsyncContextManager[Any]:
        serial_key = getattr(command, "serial_key", None)
        key = serial_key(context) if serial_key else None
        if key is None:
            return nullcontext()
        return self.stripes[hash(key) % len(self.stripes)]

    def execute_sync(
        self,
        command: object,
        context: Context,
        idempotency: Idempotency | None = None,
        render: Render | None = None,
    ) -> Outcome:
        handler = self.handlers[type(command)]
        for attempt in range(MAX_ATTEMPTS):
            if idempotency and (earlier := self._earlier_response(idempotency)):
                return earlier
            uow = UnitOfWork(self.store, context)
            try:
                result = handler(command, uow)
            except DomainError:
                # A twin request may have committed since we looked: its effects (seen here
                # as a conflict) and its stored response arrive in the same transaction.
                if idempotency and (earlier := self._earlier_response(idempotency)):
                    return earlier
                raise
            refused = isinstance(result, Refused)
            status, response = render(result) if render and not refused else (None, None)
            record = None
            if idempotency and status is not None and response is not None:
                record = IdempotencyRecord(
                    **msgspec.structs.asdict(idempotency), status=status, body=response
                )
            change = uow.change(record)
            try:
                positions = self.committer.save(change) if change else []
            except IntegrityError:
                # Another writer got there first: decide again on fresh state, after a short
                # random pause so that two replicas do not keep colliding in step.
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # noqa: S311
                continue
            if refused:
                raise result.error
            return Outcome(result, max(positions, default=None), response, status)
        raise ConcurrentModification()

    def _earlier_response(self, idempotency: Idempotency) -> Outcome | None:
        earlier = self.store.find_response(idempotency.scope, idempotency.key)
        if earlier is None:
            return None
        if earlier.request_hash != idempotency.request_hash:
            raise IdempotencyKeyReused()
        return Outcome(None, None, earlier.body, earlier.status, replayed=True)
