"""The event store: eventsourcing's PostgreSQL application recorder behind a small port.

Each stored event is an envelope (metadata + the event's own fields) under the event's type
name as topic; notification ids are the global positions the relay and projections follow.
"""

from __future__ import annotations

import copy
import select
import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID, uuid4

import msgspec
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import Connection
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from aevon.recorder import AevonRecorder, IdempotencyRecord
from domain.registry import EVENT_TYPES
from domain.shared import Aggregate, Event

EVENTS_TABLE = "aevon_events"
# Bounds one save's statement and the time it holds the table lock.
MAX_EVENTS_PER_SAVE = 500
REDACTED = "[redacted]"

A = TypeVar("A", bound=Aggregate)


class Metadata(msgspec.Struct, frozen=True, kw_only=True):
    workspace_id: UUID | None
    actor_id: UUID | None
    correlation_id: UUID
    causation_id: UUID
    occurred_at: datetime
    # Set on what a workflow run's step decided: such events never fire event triggers.
    run_id: UUID | None = None


class Envelope(msgspec.Struct, frozen=True, kw_only=True):
    event_id: UUID
    aggregate: str
    meta: Metadata
    data: msgspec.Raw


class Change(msgspec.Struct, kw_only=True):
    """One command's decisions, ready to save: its changed aggregates and their metadata."""

    aggregates: list[Aggregate]
    meta: Metadata
    idempotency: IdempotencyRecord | None = None


class RecordedEvent(msgspec.Struct, frozen=True, kw_only=True):
    """An event as read back from the store, with where it stands in the log."""

    position: int
    aggregate_id: UUID
    version: int
    type: str
    envelope: Envelope

    def redacted(self) -> RecordedEvent:
        if not EVENT_TYPES[self.type].secret_fields:
            return self  # nothing to mask: no need to decode and encode its data again
        data = msgspec.Raw(_encoder.encode(self.public_data()))
        return msgspec.structs.replace(
            self, envelope=msgspec.structs.replace(self.envelope, data=data)
        )

    def public_data(self) -> dict[str, Any]:
        """The event's fields with every secret replaced, safe to leave the write side."""
        data: dict[str, Any] = _money_decoder.decode(self.envelope.data)
        for name in EVENT_TYPES[self.type].secret_fields:
            if name in data:
                data[name] = REDACTED
        return data


def decode_stored(
    position: int, aggregate_id: UUID, version: int, topic: str, state: bytes
) -> RecordedEvent:
    return RecordedEvent(
        position=position,
        aggregate_id=aggregate_id,
        version=version,
        type=topic,
        envelope=_envelope.decode(state),
    )


_encoder = msgspec.json.Encoder(decimal_format="number")
_envelope = msgspec.json.Decoder(Envelope)
# Amounts are JSON numbers in events; read them back exactly, never as binary floats.
_money_decoder = msgspec.json.Decoder(float_hook=Decimal)


def datastore_from_url(url: str, pool_size: int = 4) -> PostgresDatastore:
    params = conninfo_to_dict(url)
    datastore = PostgresDatastore(
        dbname=str(params.get("dbname") or "postgres"),
        host=str(params.get("host") or "localhost"),
        port=str(params.get("port") or "5432"),
        user=str(params.get("user") or "postgres"),
        password=str(params.get("password") or ""),
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_timeout=3,
        lock_timeout=5,
        idle_in_transaction_session_timeout=5,
    )
    # The pool's only hook for this check is its constructor, which the datastore calls.
    datastore.pool._check = _ping_if_readable
    return datastore


def _ping_if_readable(conn: Connection[Any]) -> None:
    """Checks a pooled connection before it is handed out. An idle connection has nothing to
    read unless the server closed it (a restart, a terminated backend) or sent a notice; only
    then is a round trip spent on a real ping, which fails and gets the connection replaced.
    Pinging every checkout cost ~8 % of the instructions of a save."""
    if conn.closed or select.select([conn.fileno()], [], [], 0)[0]:
        ConnectionPool.check_connection(conn)


# The recorder retries failed statements ten times on its own; retries stall requests while the
# database is down: call the undecorated method and let the command bus and the API decide.
_select_events = PostgresApplicationRecorder.select_events.__wrapped__


class AggregateCache:
    """The last known state of recently used aggregates (least recently used out), thread-safe."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self.entries: OrderedDict[UUID, Aggregate] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, id: UUID) -> Aggregate | None:
        with self.lock:
            cached = self.entries.get(id)
            if cached is None:
                return None
            self.entries.move_to_end(id)
        return copy.deepcopy(cached)

    def put(self, aggregate: Aggregate) -> None:
        """Takes the aggregate as it is: after a save or a load nobody changes it any more,
        and `get` hands out copies, so only reads pay for copying."""
        with self.lock:
            current = self.entries.get(aggregate.id)
            if current is None or current.version < aggregate.version:
                self.entries[aggregate.id] = aggregate
                self.entries.move_to_end(aggregate.id)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


class EventStore:
    def __init__(self, recorder: AevonRecorder) -> None:
        self.recorder = recorder
        self.cache = AggregateCache()

    @classmethod
    def connect(cls, url: str, pool_size: int = 4) -> EventStore:
        recorder = AevonRecorder(datastore_from_url(url, pool_size), events_table_name=EVENTS_TABLE)
        with Connection.connect(url, autocommit=True) as lock:
            # Every process creates the store when it starts, and on a new database concurrent
            # creations fail ("tuple concurrently updated"). The projections' DDL takes this
            # lock too; closing the connection releases it.
            lock.execute("SELECT pg_advisory_lock(hashtext('aevon-ddl'))")
            recorder.create_table()
        return cls(recorder)

    def close(self) -> None:
        self.recorder.datastore.close()

    def load(self, cls: type[A], id: UUID) -> A:
        """The aggregate; an id that names another kind of aggregate is as good as missing.

        A copy of the last known state is kept per aggregate, so a load reads only the events
        saved since (by this or any other process) instead of the whole history.
        """
        aggregate = self.cache.get(id)
        if not isinstance(aggregate, cls):
            aggregate = cls(id)
        envelopes = [
            (s.topic, _envelope.decode(s.state))
            for s in _select_events(self.recorder, id, gt=aggregate.version or None)
        ]
        if any(envelope.aggregate != cls.category for _, envelope in envelopes):
            return cls(id)
        for topic, envelope in envelopes:
            aggregate.apply(msgspec.json.decode(envelope.data, type=EVENT_TYPES[topic]))
            aggregate.version += 1
        if envelopes:
            self.cache.put(copy.deepcopy(aggregate))  # the handler is about to change this one
        return aggregate

    def save(self, changes: Sequence[Change]) -> list[list[int]]:
        """Saves several commands' changes in one transaction; the positions of each change."""
        stored = [self._stored(change) for change in changes]
        flat = [event for events in stored for event in events]
        if len(flat) > MAX_EVENTS_PER_SAVE:
            raise ValueError(f"{len(flat)} events in one save; at most {MAX_EVENTS_PER_SAVE}")
        records = [change.idempotency for change in changes if change.idempotency]
        positions = self.recorder.append(flat, records) if flat else []
        for change in changes:
            for aggregate in change.aggregates:
                aggregate.pending.clear()
                self.cache.put(aggregate)
        per_change, start = [], 0
        for events in stored:
            per_change.append(positions[start : start + len(events)])
            start += len(events)
        return per_change

    def append(self, aggregates: Sequence[Aggregate], meta: Metadata) -> list[int]:
        return self.save([Change(aggregates=list(aggregates), meta=meta)])[0]

    def _stored(self, change: Change) -> list[StoredEvent]:
        return [
            StoredEvent(
                originator_id=aggregate.id,
                originator_version=aggregate.version - len(aggregate.pending) + index + 1,
                topic=event.type_name(),
                state=self._encode(aggregate, event, change.meta),
            )
            for aggregate in change.aggregates
            for index, event in enumerate(aggregate.pending)
        ]

    def find_response(self, scope: str, key: str) -> IdempotencyRecord | None:
        return self.recorder.find_response(scope, key)

    @staticmethod
    def _encode(aggregate: Aggregate, event: Event, meta: Metadata) -> bytes:
        envelope = Envelope(
            event_id=uuid4(),
            aggregate=aggregate.category,
            meta=meta,
            data=msgspec.Raw(_encoder.encode(event)),
        )
        return _encoder.encode(envelope)


def ensure_store(url: str) -> None:
    """Creates the event store's table if this database has none yet."""
    EventStore.connect(url, pool_size=1).close()
