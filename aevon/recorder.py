"""The application recorder, plus idempotency records written in the events' own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier, Literal

IDEMPOTENCY_DDL = (
    "CREATE TABLE IF NOT EXISTS public.aevon_idempotency ("
    " scope text NOT NULL, key text NOT NULL, request_hash text NOT NULL,"
    " status int NOT NULL, body bytea NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (scope, key))"
)
RETENTION = "24 hours"
# The library's save sends the table lock, the notify and the insert as separate statements in a
# transaction, paying the client's CPU for each and holding the lock across the round trip back
# to the client for the commit. This does all of it in one call on an autocommit connection.
# The lock keeps positions committing in the order they were allocated, so that readers never
# skip one. A request's idempotency record reusing a live key fails on the primary key, so the
# events saved with it roll back.
APPEND_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.aevon_append_events(
    ids uuid[], versions bigint[], topics text[], states bytea[],
    scopes text[], keys text[], hashes text[], statuses int[], bodies bytea[]
) RETURNS SETOF bigint LANGUAGE plpgsql AS $body$
BEGIN
    IF cardinality(keys) > 0 THEN
        DELETE FROM public.aevon_idempotency AS kept USING unnest(scopes, keys) AS new(scope, key)
        WHERE kept.scope = new.scope AND kept.key = new.key
            AND kept.created_at < now() - interval {retention};
        INSERT INTO public.aevon_idempotency (scope, key, request_hash, status, body)
        SELECT * FROM unnest(scopes, keys, hashes, statuses, bodies);
    END IF;
    SET LOCAL lock_timeout = {lock_timeout};
    LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE;
    NOTIFY {channel};
    RETURN QUERY
        INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)
        SELECT * FROM unnest(ids, versions, topics, states)
        RETURNING notification_id;
END;
$body$
"""


class IdempotencyRecord(msgspec.Struct, frozen=True, kw_only=True):
    scope: str
    key: str
    request_hash: str
    status: int
    body: bytes


class AevonRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schema = Identifier(self.datastore.schema)
        self.sql_create_statements.append(SQL(IDEMPOTENCY_DDL))  # type: ignore[arg-type]
        self.sql_create_statements.append(
            SQL(APPEND_FUNCTION).format(
                schema=schema,
                table=Identifier(self.events_table_name),
                channel=Identifier(self.channel_name),
                lock_timeout=Literal(f"{self.datastore.lock_timeout}s"),
                retention=Literal(RETENTION),
            )
        )
        # One binary array per column: psycopg dumps an array of the library's composite type
        # in Python, escaping each event's bytes as text. Rendered once, as psycopg renders a
        # composed statement again on every execution.
        self.append_statement = (
            SQL(
                "SELECT * FROM {schema}.aevon_append_events("
                "%b::uuid[], %b::bigint[], %b::text[], %b::bytea[],"
                " %b::text[], %b::text[], %b::text[], %b::int[], %b::bytea[])"
                " AS appended(notification_id)"
            )
            .format(schema=schema)
            .as_bytes()
        )

    def append(
        self, stored_events: Sequence[StoredEvent], records: Sequence[IdempotencyRecord]
    ) -> list[int]:
        """Saves the events and the idempotency records in one transaction; the events'
        positions. Raises the library's IntegrityError if an event's version or a record's
        key is taken.

        The library's insert retries failed statements ten times on its own. Retrying a save
        whose commit reply was lost would append twice, and the retries stall requests while the
        database is down: the command bus and the API decide instead."""
        parameters = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
            [r.scope for r in records],
            [r.key for r in records],
            [r.request_hash for r in records],
            [r.status for r in records],
            [r.body for r in records],
        )
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.append_statement, parameters, prepare=True)
            return [row["notification_id"] for row in curs.fetchall()]

    def find_response(self, scope: str, key: str) -> IdempotencyRecord | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                "SELECT request_hash, status, body FROM public.aevon_idempotency"
                f" WHERE scope=%s AND key=%s AND created_at >= now() - interval '{RETENTION}'",
                (scope, key),
            )
            row = curs.fetchone()
        if row is None:
            return None
        return IdempotencyRecord(
            scope=scope,
            key=key,
            request_hash=row["request_hash"],
            status=row["status"],
            body=bytes(row["body"]),
        )
