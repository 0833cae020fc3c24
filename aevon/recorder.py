"""The application recorder, plus idempotency records written in the events' own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.abc import Query
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composable, Identifier, Literal

IDEMPOTENCY_DDL = (
    "CREATE TABLE IF NOT EXISTS public.aevon_idempotency ("
    " scope text NOT NULL, key text NOT NULL, request_hash text NOT NULL,"
    " status int NOT NULL, body bytea NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (scope, key))"
)
RETENTION = "24 hours"
# The library's save takes the table lock, notifies and inserts in one pipelined transaction,
# paying the client's CPU for each statement and holding the lock across the round trip back to
# the client for its commit. This does the same in one call on an autocommit connection: the
# lock keeps positions committing in the order they were allocated, so readers never skip one.
APPEND_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.aevon_append_events(
    ids uuid[], versions bigint[], topics text[], states bytea[]
) RETURNS SETOF bigint LANGUAGE plpgsql AS $body$
BEGIN
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


# The recorder retries failed statements ten times on its own. Retrying an insert whose commit
# reply was lost would append twice, and the retries stall requests while the database is down:
# call the undecorated methods and let the command bus and the API decide.
_pipelined_insert = PostgresApplicationRecorder.insert_events.__wrapped__


class IdempotencyRecord(msgspec.Struct, frozen=True, kw_only=True):
    scope: str
    key: str
    request_hash: str
    status: int
    body: bytes


class AevonRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sql_create_statements.append(SQL(IDEMPOTENCY_DDL))  # type: ignore[arg-type]
        schema = Identifier(self.datastore.schema)
        table = Identifier(self.events_table_name)
        self.sql_create_statements.append(
            SQL(APPEND_FUNCTION).format(
                schema=schema,
                table=table,
                channel=Identifier(self.channel_name),
                lock_timeout=Literal(f"{self.datastore.lock_timeout}s"),
            )
        )
        self.append_statement = (
            SQL(
                "SELECT * FROM {schema}.aevon_append_events("
                "%b::uuid[], %b::bigint[], %b::text[], %b::bytea[]) AS appended(notification_id)"
            )
            .format(schema=schema)
            .as_bytes()
        )
        # One binary array per column instead of the library's array of a composite type,
        # which psycopg dumps in Python, escaping each event's bytes as text (that dumping
        # was ~8 % of the instructions of a one-event save).
        insert = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)"
            " SELECT * FROM unnest(%b::uuid[], %b::bigint[], %b::text[], %b::bytea[])"
            " RETURNING notification_id"
        ).format(schema=schema, table=table)
        # Rendered once: psycopg turns a composed statement into bytes on every execution.
        self.insert_statement = insert.as_bytes()
        self.lock_statements = [_rendered(statement) for statement in self.lock_table_statements]
        self.notify_statement = SQL("NOTIFY {0}").format(Identifier(self.channel_name)).as_bytes()

    def append(
        self, stored_events: Sequence[StoredEvent], records: Sequence[IdempotencyRecord]
    ) -> list[int]:
        """Saves the events in one transaction, with the idempotency records if any; their
        positions. Raises the library's IntegrityError if an event's version is taken."""
        if records:
            return list(_pipelined_insert(self, stored_events, idempotency=records) or [])
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.append_statement, _columns(stored_events), prepare=True)
            return [row["notification_id"] for row in curs.fetchall()]

    def _lock_table(self, curs: Cursor[DictRow]) -> None:
        for statement in self.lock_statements:
            curs.execute(statement, prepare=True)

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        # As the library's, which takes the table lock and notifies first; only the insert's
        # parameters differ.
        self._lock_table(curs)
        curs.execute(self.notify_statement)
        curs.execute(self.insert_statement, _columns(stored_events))

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        records: list[IdempotencyRecord] = kwargs.get("idempotency") or []
        if not records:
            return
        # A second request with the same key fails on the primary key, so its events roll back.
        # The nested pipeline syncs on exit, so that failure surfaces here as an IntegrityError
        # (which the command bus retries) rather than as an aborted pipeline later on.
        with curs.connection.pipeline():
            for record in records:
                self._record(curs, record)

    @staticmethod
    def _record(curs: Cursor[DictRow], record: IdempotencyRecord) -> None:
        curs.execute(
            "DELETE FROM public.aevon_idempotency WHERE scope=%s AND key=%s"
            f" AND created_at < now() - interval '{RETENTION}'",
            (record.scope, record.key),
        )
        curs.execute(
            "INSERT INTO public.aevon_idempotency (scope, key, request_hash, status, body)"
            " VALUES (%s, %s, %s, %s, %s)",
            (record.scope, record.key, record.request_hash, record.status, record.body),
        )

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


def _columns(stored_events: Sequence[StoredEvent]) -> tuple[list[Any], ...]:
    return (
        [e.originator_id for e in stored_events],
        [e.originator_version for e in stored_events],
        [e.topic for e in stored_events],
        [e.state for e in stored_events],
    )


def _rendered(statement: Query) -> Query:
    return statement.as_bytes() if isinstance(statement, Composable) else statement
