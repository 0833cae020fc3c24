"""Publishes every stored event, in store order, to JetStream; resumes from its own position."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import msgspec
from nats.aio.client import Client
from nats.js.errors import NotFoundError
from psycopg import AsyncConnection

from aevon.bus import BatchPublisher, event_subject
from aevon.eventlog import read_events, write_then_read_events
from aevon.eventstore import EVENTS_TABLE, RecordedEvent
from aevon.settings import Settings

log = logging.getLogger(__name__)
BATCH = 500
RECORD = "UPDATE public.aevon_relay SET position=%s WHERE id = 1"
RELAY_DDL = (
    "CREATE TABLE IF NOT EXISTS public.aevon_relay ("
    " id int PRIMARY KEY CHECK (id = 1), position bigint NOT NULL)"
)


class Relay:
    def __init__(self, settings: Settings, nc: Client) -> None:
        self.settings = settings
        self.nc = nc
        self.js = nc.jetstream()
        self.publisher = BatchPublisher(nc, ack_timeout_s=5)
        self.position = 0
        self.recorded = 0  # the position the database has; behind `position` until the next read
        self.checked_at_reconnects: int | None = None

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self._run(stop)
            except Exception:
                log.exception("relay failed; restarting in 1 s")
                await asyncio.sleep(1)

    async def _run(self, stop: asyncio.Event) -> None:
        assert self.settings.database_url
        async with await AsyncConnection.connect(
            self.settings.database_url, autocommit=True
        ) as conn:
            # Exactly one relay publishes; a second one waits here as a standby.
            await conn.execute("SELECT pg_advisory_lock(hashtext('aevon-relay'))")
            await conn.execute(RELAY_DDL)
            await conn.execute(
                "INSERT INTO public.aevon_relay VALUES (1, 0) ON CONFLICT DO NOTHING"
            )
            cur = await conn.execute("SELECT position FROM public.aevon_relay WHERE id = 1")
            row = await cur.fetchone()
            self.position = self.recorded = int(row[0]) if row else 0
            await conn.execute(f"LISTEN {EVENTS_TABLE}")
            self.checked_at_reconnects = None
            while not stop.is_set():
                await self._went_back_for_a_lost_tail(conn)
                events = await self._read(conn)
                if not events:
                    await _wait_for_append(conn)
                elif await self._publish(conn, events):
                    self.position = events[-1].position
            if self.recorded != self.position:  # stopping: no read will record the last batch
                await self._record(conn, self.position)

    async def _read(self, conn: AsyncConnection[Any]) -> list[RecordedEvent]:
        """The next batch. A published batch's position is recorded by the read after it, in
        the same statement: a cycle is two round trips to the database, not three. A crash
        before that read publishes the batch again, and JetStream drops the duplicates."""
        if self.recorded == self.position:
            return await read_events(conn, self.position, BATCH)
        events = await write_then_read_events(conn, RECORD, (self.position,), self.position, BATCH)
        self.recorded = self.position
        return events

    async def _record(self, conn: AsyncConnection[Any], position: int) -> None:
        await conn.execute(RECORD, (position,))
        self.position = self.recorded = position

    async def _went_back_for_a_lost_tail(self, conn: AsyncConnection[Any]) -> bool:
        """JetStream acknowledges a message before it is synced to disk (`SYNC_INTERVAL` in
        aevon/embedded.py): a crash of its machine can lose the stream's last messages after
        the relay moved past them. When it starts and after each reconnect, before publishing,
        the relay reads the position of the stream's last message and, if it is behind, goes
        back to it. The lost messages' ids went with them, so the duplicate filter lets them in
        again; NATS (2.14 and later) moves consumers that were ahead back to the stream's end."""
        reconnects = int(self.nc.stats["reconnects"])
        if reconnects == self.checked_at_reconnects:
            return False
        went_back = False
        info = await self.js.stream_info(self.settings.stream)
        if info.state.last_seq:
            try:
                last = await self.js.get_msg(self.settings.stream, seq=info.state.last_seq)
            except NotFoundError:
                last = None  # removed by hand; nothing to compare with
            tail = int((last.headers or {}).get("Aevon-Position", 0)) if last else 0
            if 0 < tail < self.position:
                log.warning("the stream lost events after %s; publishing them again", tail)
                await self._record(conn, tail)
                went_back = True
        self.checked_at_reconnects = reconnects
        return went_back

    async def _publish(self, conn: AsyncConnection[Any], events: list[RecordedEvent]) -> bool:
        """Publishes the batch; False when the stream turned out to have lost events before it
        (the relay then starts again from there)."""
        while True:
            try:
                if await self._went_back_for_a_lost_tail(conn):
                    return False
                await self.publisher.publish(
                    [
                        _message(self.settings.namespace, e, p)
                        for e, p in _with_previous(events, self.position)
                    ]
                )
                return True
            except Exception as error:
                # Duplicates are dropped by Nats-Msg-Id, so publishing the batch again is safe.
                log.warning("publish failed (%s); retrying the batch", error)
                await asyncio.sleep(0.5)


def _message(
    namespace: str, event: RecordedEvent, previous: int
) -> tuple[str, bytes, dict[str, str]]:
    return (
        event_subject(namespace, event),
        msgspec.json.encode(event.redacted()),
        {
            "Nats-Msg-Id": str(event.position),
            "Aevon-Position": str(event.position),
            "Aevon-Prev-Position": str(previous),
        },
    )


def _with_previous(events: list[RecordedEvent], start: int) -> list[tuple[RecordedEvent, int]]:
    positions = [start, *(e.position for e in events[:-1])]
    return list(zip(events, positions, strict=True))


async def _wait_for_append(conn: AsyncConnection[Any]) -> None:
    """The store NOTIFYs on every append; the short timeout is the fallback poll."""
    async for _ in conn.notifies(timeout=0.5, stop_after=1):
        break
