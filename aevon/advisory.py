"""PostgreSQL advisory locks that take turns for one key between the processes of a database.

Two API processes deciding batches for one ledger at once keep conflicting: one of them saves,
the other decides its whole batch again, and after three tries each command alone. Holding the
lane's lock from the batch's first load to its save makes them take turns instead (32
connections charging one ledger, two API processes: 401–540/s at p99 226–257 ms without it,
`docs/performance.md`).

A lock that cannot be had within `wait_s` (a holder that hangs), or a database that is away, is
not an error: the caller goes on without it, and the store's version check still keeps the
decisions right.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)
# A key space of its own: advisory locks on two int keys never meet those on one bigint key,
# which the relay, the projection runner and the DDL take.
_TAKE = "SELECT pg_advisory_lock(hashtext('aevon-lane'), hashtext(%s))"
_GIVE = "SELECT pg_advisory_unlock(hashtext('aevon-lane'), hashtext(%s))"


class AdvisoryLocks:
    def __init__(self, url: str, size: int, wait_s: float = 2.0) -> None:
        # Connections of their own: a holder also needs one of the store's for its loads and
        # its save, and taking both from one pool could leave every holder waiting for the other.
        self.pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url,
            min_size=1,
            max_size=size,
            kwargs={"autocommit": True, "connect_timeout": 3},
            configure=partial(_wait_at_most, milliseconds=int(wait_s * 1000)),
            timeout=wait_s,
            open=True,
        )

    @contextmanager
    def taking_turns(self, key: str) -> Iterator[None]:
        """Runs the block while holding `key`'s lock, or without it when it is not to be had."""
        conn = self._connection(key)
        taken = conn is not None and _take(conn, key)
        try:
            yield
        finally:
            if conn is not None:
                if taken:
                    _give(conn, key)
                self.pool.putconn(conn)

    def _connection(self, key: str) -> psycopg.Connection[Any] | None:
        try:
            return self.pool.getconn()
        except Exception as error:
            log.warning("no connection for the lock on %s (%s); going on without it", key, error)
            return None

    def close(self) -> None:
        self.pool.close()


def _wait_at_most(conn: psycopg.Connection[Any], milliseconds: int) -> None:
    conn.execute(f"SET lock_timeout = {milliseconds}")


def _take(conn: psycopg.Connection[Any], key: str) -> bool:
    try:
        conn.execute(_TAKE, (key,))
    except psycopg.Error as error:
        log.warning("lock on %s not taken (%s); going on without it", key, error)
        return False
    return True


def _give(conn: psycopg.Connection[Any], key: str) -> None:
    try:
        conn.execute(_GIVE, (key,))
    except psycopg.Error:
        conn.close()  # its session ends, and the lock with it
