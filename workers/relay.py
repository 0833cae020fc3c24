"""Publishes every stored event, in store order, to JetStream; resumes from its own position."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import msgspec
from nats.js import JetStreamContext
from psycopg import AsyncConnection

from aevon.bus import event_subject
from aevon.eventlog import read_events
from aevon.eventstore import EVENTS_TABLE, RecordedEvent
from aevon.settings import Settings

log = logging.getLogger(__name__)
BATCH = 500
RELAY_DDL = (
    "CREATE TABLE IF NOT EXISTS public.aevon_relay ("
    " id int PRIMARY KEY CHECK (id = 1), position bigint NOT NULL)"
)


class Relay:
    def __init__(self, settings: Settings, js: JetStreamContext) -> None:
        self.settings = settings
        self.js = js
        self.position = 0

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
            self.position = int(row[0]) if row else 0
            await conn.execute(f"LISTEN {EVENTS_TABLE}")
            while not stop.is_set():
                events = await read_events(conn, self.position, BATCH)
                if events:
                    await self._publish(events)
                    self.position = events[-1].position
                    await conn.execute(
                        "UPDATE public.aevon_relay SET position=%s WHERE id = 1", (self.position,)
                    )
                else:
                    await _wait_for_append(conn)

    async def _publish(self, events: list[RecordedEvent]) -> None:
        while True:
            try:
                await asyncio.gather(
                    *(self._publish_one(e, p) for e, p in _with_previous(events, self.position))
                )
                return
            except Exception as error:
                # Duplicates are dropped by Nats-Msg-Id, so publishing the batch again is safe.
                log.warning("publish failed (%s); retrying the batch", error)
                await asyncio.sleep(0.5)

    async def _publish_one(self, event: RecordedEvent, previous: int) -> None:
        await self.js.publish(
            event_subject(self.settings.namespace, event),
            msgspec.json.encode(event.redacted()),
            headers={
                "Nats-Msg-Id": str(event.position),
                "Aevon-Position": str(event.position),
                "Aevon-Prev-Position": str(previous),
            },
            timeout=5,
        )


def _with_previous(events: list[RecordedEvent], start: int) -> list[tuple[RecordedEvent, int]]:
    positions = [start, *(e.position for e in events[:-1])]
    return list(zip(events, positions, strict=True))


async def _wait_for_append(conn: AsyncConnection[Any]) -> None:
    """The store NOTIFYs on every append; the short timeout is the fallback poll."""
    async for _ in conn.notifies(timeout=0.5, stop_after=1):
        break
