"""The Aegis engine: reads the event store in order through Aegis's rules and raises the alerts
they decide. One is active per deployment (an advisory lock). On start it reads the whole log
again to rebuild what the rules remember; alerts it already raised are not raised twice."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import anyio
from psycopg import AsyncConnection

from aevon.eventlog import read_page
from aevon.eventstore import EventStore, RecordedEvent
from aevon.settings import Settings
from commands.actions import AlertArgs
from commands.aegis.raise_alert import RaiseAlert
from commands.bus import CommandBus
from commands.context import Context
from commands.handlers import HANDLERS
from domain.aegis.rules import Decision, Rules, Seen

log = logging.getLogger(__name__)
PAGE = 1000
POLL_S = 0.5


class AegisEngine:
    def __init__(self, settings: Settings) -> None:
        assert settings.database_url
        self.settings = settings
        self.url = settings.database_url

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self._run(stop)
            except Exception:
                log.exception("the Aegis engine failed; restarting in 1 s")
                await asyncio.sleep(1)

    async def _run(self, stop: asyncio.Event) -> None:
        async with await AsyncConnection.connect(self.url, autocommit=True) as conn:
            await conn.execute("SELECT pg_advisory_lock(hashtext('aevon-aegis'))")
            store = await anyio.to_thread.run_sync(EventStore.connect, self.url)
            bus = CommandBus(store, HANDLERS, threads=1)
            rules = Rules(self.settings.aegis)
            position = 0
            try:
                while not stop.is_set():
                    # Only the events the rules look at are decoded: most are not theirs.
                    last, events = await read_page(conn, position, PAGE, rules.observed)
                    for event in events:
                        for decision in rules.observe(seen(event)):
                            await _raise(bus, decision)
                    if last == position:
                        await asyncio.sleep(POLL_S)
                    position = last
            finally:
                await bus.close()


def seen(event: RecordedEvent) -> Seen:
    meta = event.envelope.meta
    data: dict[str, Any] = event.public_data()
    return Seen(
        event_id=event.envelope.event_id,
        type=event.type,
        aggregate_id=event.aggregate_id,
        workspace_id=meta.workspace_id,
        actor_id=meta.actor_id,
        at=meta.occurred_at,
        data=data,
    )


async def _raise(bus: CommandBus, decision: Decision) -> None:
    alert = AlertArgs(
        type=decision.type, explanation=decision.explanation, risk_level=decision.risk_level
    )
    command = RaiseAlert(
        alert_id=decision.alert_id, alert=alert, source="aegis", actor_id=decision.actor_id
    )
    await bus.execute(command, Context.new(decision.workspace_id, None))
