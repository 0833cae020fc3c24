"""Runs commands: load, decide, commit in a worker thread; retries on conflicts.

The commands of one workspace queue in its lane and are decided in batches: in order, each
against the state the ones before it left, then saved together in one transaction.
With an idempotency key, the response is rendered before the commit and stored in the same
transaction as the events, so a retried request gets the first answer back, exactly once.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Hashable, Mapping
from typing import Any
from uuid import UUID

import anyio
import msgspec
from eventsourcing.persistence import IntegrityError

from aevon.advisory import AdvisoryLocks
from aevon.eventstore import MAX_EVENTS_PER_SAVE, Change, EventStore
from aevon.recorder import IdempotencyRecord
from commands.context import Context
from commands.group_commit import GroupCommit
from commands.lanes import Lanes
from commands.unit_of_work import UnitOfWork
from domain.shared import Aggregate, Conflict, DomainError

Handler = Callable[[Any, UnitOfWork], Any]
Render = Callable[[Any], tuple[int, bytes]]

MAX_ATTEMPTS = 20
THREADS = 8
BATCH_ATTEMPTS = 3
# A lane's batch stops taking commands once their events reach this (one save holds at most
# MAX_EVENTS_PER_SAVE); the rest wait for the next batch.
BATCH_EVENTS = MAX_EVENTS_PER_SAVE // 2


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


class Request(msgspec.Struct, frozen=True):
    command: Any
    context: Context
    idempotency: Idempotency | None = None
    render: Render | None = None


class Decision(msgspec.Struct, frozen=True):
    """What a handler decided, not saved yet."""

    result: Any
    change: Change | None
    loaded: dict[UUID, Aggregate]
    response: bytes | None = None
    status: int | None = None

    @property
    def events(self) -> int:
        return sum(len(a.pending) for a in self.change.aggregates) if self.change else 0

    def outcome(self, positions: list[int]) -> Outcome:
        if isinstance(self.result, Refused):
            raise self.result.error
        return Outcome(self.result, max(positions, default=None), self.response, self.status)


class CommandBus:
    def __init__(
        self,
        store: EventStore,
        handlers: Mapping[type, Handler],
        threads: int = THREADS,
        locks: AdvisoryLocks | None = None,
    ) -> None:
        """With `locks`, a lane of its own (one ledger's) takes turns with the other processes'
        for each batch, instead of conflicting with them."""
        self.store = store
        self.locks = locks
        self.handlers = dict(handlers)
        self.limiter = anyio.CapacityLimiter(threads)
        self.committer = GroupCommit(store)
        self.lanes = Lanes(self._run_batch)

    async def execute(
        self,
        command: object,
        context: Context,
        idempotency: Idempotency | None = None,
        render: Render | None = None,
    ) -> Outcome:
        request = Request(command, context, idempotency, render)
        lane = _lane_of(command, context)
        if lane is not None:
            return await self.lanes.submit(lane, request)
        return await anyio.to_thread.run_sync(self._execute, request, limiter=self.limiter)

    async def close(self) -> None:
        """Closes the store once every queued command has been answered."""
        await self.lanes.idle()
        await anyio.to_thread.run_sync(self.store.close)
        if self.locks is not None:
            await anyio.to_thread.run_sync(self.locks.close)

    def execute_sync(
        self,
        command: object,
        context: Context,
        idempotency: Idempotency | None = None,
        render: Render | None = None,
    ) -> Outcome:
        return self._execute(Request(command, context, idempotency, render))

    def _execute(self, request: Request) -> Outcome:
        for attempt in range(MAX_ATTEMPTS):
            decision = self._decide(request, {})
            if isinstance(decision, Outcome):
                return decision
            try:
                positions = self.committer.save(decision.change) if decision.change else []
            except IntegrityError:
                _pause(attempt)
                continue
            return decision.outcome(positions)
        raise ConcurrentModification()

    async def _run_batch(self, requests: list[Request]) -> list[Outcome | Exception | None]:
        return await anyio.to_thread.run_sync(self._take_turns, requests, limiter=self.limiter)

    def _take_turns(self, requests: list[Request]) -> list[Outcome | Exception | None]:
        key = _serial_key(requests[0].command, requests[0].context)
        if key is None or self.locks is None:
            return self.execute_batch(requests)
        with self.locks.taking_turns(str(key)):
            return self.execute_batch(requests)

    def execute_batch(self, requests: list[Request]) -> list[Outcome | Exception | None]:
        """Decides the requests in order, each against the state the ones before it left, and
        saves what they decided in one transaction; a refused command fails alone.

        Answers each request, or None for one left for a later batch (a twin of an idempotent
        request decided here, or one whose events would not fit in the save); the first always
        gets an answer. A batch that keeps meeting other writers runs each request on its own,
        so that a command that keeps conflicting fails alone.
        """
        for attempt in range(BATCH_ATTEMPTS):
            answers = self._decide_in_order(requests)
            changes = [a.change for a in answers if isinstance(a, Decision) and a.change]
            try:
                saved = iter(self.committer.save_together(changes) if changes else [])
            except IntegrityError:
                _pause(attempt)
                continue
            return [
                _settle(a, next(saved) if a.change else []) if isinstance(a, Decision) else a
                for a in answers
            ]
        return [self._execute_alone(request) for request in requests]

    def _decide_in_order(
        self, requests: list[Request]
    ) -> list[Decision | Outcome | Exception | None]:
        earlier: dict[UUID, Aggregate] = {}
        answers: list[Decision | Outcome | Exception | None] = []
        events = 0
        keys: set[tuple[str, str]] = set()
        for request in requests:
            idempotency = request.idempotency
            key = (idempotency.scope, idempotency.key) if idempotency else None
            if key in keys or events >= BATCH_EVENTS:
                answers.append(None)  # a twin must see the first one's stored answer; or it is full
                continue
            try:
                answer = self._decide(request, earlier)
            except Exception as error:
                answers.append(error)
                continue
            if isinstance(answer, Decision):
                if events and events + answer.events > BATCH_EVENTS:
                    answers.append(None)
                    continue
                earlier.update(answer.loaded)
                events += answer.events
            if key:
                keys.add(key)
            answers.append(answer)
        return answers

    def _execute_alone(self, request: Request) -> Outcome | Exception:
        try:
            return self._execute(request)
        except Exception as error:
            return error

    def _decide(self, request: Request, earlier: dict[UUID, Aggregate]) -> Decision | Outcome:
        """The handler's decision, or the answer already given to this idempotent request."""
        idempotency = request.idempotency
        if idempotency and (answered := self._earlier_response(idempotency)):
            return answered
        uow = UnitOfWork(self.store, request.context, earlier)
        try:
            result = self.handlers[type(request.command)](request.command, uow)
        except DomainError:
            # A twin request may have committed since we looked: its effects (seen here
            # as a conflict) and its stored response arrive in the same transaction.
            if idempotency and (answered := self._earlier_response(idempotency)):
                return answered
            raise
        refused = isinstance(result, Refused)
        render = request.render
        status, response = render(result) if render and not refused else (None, None)
        record = None
        if idempotency and status is not None and response is not None:
            record = IdempotencyRecord(
                **msgspec.structs.asdict(idempotency), status=status, body=response
            )
        return Decision(result, uow.change(record), uow.loaded, response, status)

    def _earlier_response(self, idempotency: Idempotency) -> Outcome | None:
        earlier = self.store.find_response(idempotency.scope, idempotency.key)
        if earlier is None:
            return None
        if earlier.request_hash != idempotency.request_hash:
            raise IdempotencyKeyReused()
        return Outcome(None, None, earlier.body, earlier.status, replayed=True)


def _lane_of(command: object, context: Context) -> Hashable | None:
    """Commands of one workspace queue in its lane; a command may name a lane of its own (a
    workspace's ledger commands share one). Anonymous commands (sign-up, log-in, accepting an
    invitation: each hashes or checks a password, ~50 ms) run alone, in parallel."""
    return _serial_key(command, context) or context.workspace_id


def _serial_key(command: object, context: Context) -> Hashable | None:
    serial_key = getattr(command, "serial_key", None)
    return serial_key(context) if serial_key else None


def _settle(decision: Decision, positions: list[int]) -> Outcome | Exception:
    try:
        return decision.outcome(positions)
    except DomainError as refusal:
        return refusal


def _pause(attempt: int) -> None:
    """After a conflict: another writer got there first. Decide again on fresh state after a
    short random pause, so that two replicas do not keep colliding in step."""
    time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # noqa: S311
