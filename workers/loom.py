"""The Loom engine: executes workflow runs and fires their schedule and event triggers.

One engine is active per deployment (an advisory lock; other workers stand by). Runs advance one
recorded step at a time, so whoever holds the lock after a crash continues from the last step;
optimistic concurrency on the run keeps a step from being taken twice even without the lock.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import anyio
import msgspec
from nats.aio.client import Client
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from aevon.advisory import AdvisoryLocks
from aevon.eventstore import EventStore, RecordedEvent
from aevon.positions import Positions
from aevon.pull import events_consumer
from aevon.settings import Settings
from commands.bus import CommandBus
from commands.context import Context
from commands.handlers import HANDLERS
from commands.loom.advance_run import AdvanceRun
from commands.loom.start_run import StartRun
from domain.loom.run import Run
from domain.shared import DomainError
from projections.catalogue import PROJECTIONS
from projections.engine import ensure_projection
from projections.workflows.projector import WORKFLOW_CHANGES
from projections.workflows.queries import due_runs, triggered_workflows
from workers.together import run_together
from workers.triggers import started_by_event, started_by_tick

log = logging.getLogger(__name__)
SWEEP_SECONDS = 1.0
BATCH = 200
LOOM_THREADS = 2
WAKING_EVENTS = {"RunStarted", "RunResumed"}
WORKFLOWS = ("workflows",)


class LoomEngine:
    def __init__(self, settings: Settings, nc: Client) -> None:
        assert settings.database_url
        self.settings = settings
        self.url = settings.database_url
        self.nc = nc
        self.wanted: dict[UUID, UUID] = {}  # run → workspace
        self.wake = asyncio.Event()
        self.event_workflows: list[dict[str, Any]] | None = None

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self._run(stop)
            except Exception:
                log.exception("the Loom engine failed; restarting in 1 s")
                await asyncio.sleep(1)

    async def _run(self, stop: asyncio.Event) -> None:
        async with await AsyncConnection.connect(self.url, autocommit=True) as lock:
            await lock.execute("SELECT pg_advisory_lock(hashtext('aevon-loom'))")
            await ensure_projection(lock, PROJECTIONS["workflows"])
            store = await anyio.to_thread.run_sync(EventStore.connect, self.url)
            # Its runs' steps are ledger commands: they take turns with the API's.
            locks = await anyio.to_thread.run_sync(AdvisoryLocks, self.url, LOOM_THREADS)
            self.bus = CommandBus(store, HANDLERS, LOOM_THREADS, locks)
            self.pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
                self.url,
                min_size=1,
                max_size=2,
                open=False,
                kwargs={"autocommit": True, "row_factory": dict_row},
            )
            try:
                await self.pool.open(wait=True, timeout=30)
                self.positions = Positions(WORKFLOWS, self.pool)
                self.event_workflows = None  # not known yet: asked on the first batch
                await self.positions.listen(self.nc, self.settings.namespace)
                await run_together((self._execute, self._sweep, self._tick, self._dispatch), stop)
            finally:
                await self.pool.close()
                await self.bus.close()

    def want(self, run_id: UUID, workspace_id: UUID) -> None:
        self.wanted[run_id] = workspace_id
        self.wake.set()

    async def start(self, workspace_id: UUID, command: StartRun) -> None:
        try:
            await self.bus.execute(command, Context.new(workspace_id, None))
        except DomainError as error:  # not enough credits, deactivated meanwhile, …
            log.warning("workflow %s did not start: %s", command.workflow_id, error.detail)

    async def _execute(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.wake.wait()
            self.wake.clear()
            while self.wanted:
                run_id, workspace_id = self.wanted.popitem()
                await self._advance(run_id, workspace_id)

    async def _advance(self, run_id: UUID, workspace_id: UUID) -> None:
        """Takes steps until the run waits, sleeps or finishes."""
        while True:
            try:
                outcome = await self.bus.execute(
                    AdvanceRun(run_id=run_id), Context.new(workspace_id, None)
                )
            except DomainError as error:
                log.warning("run %s did not advance: %s", run_id, error.detail)
                return
            run: Run = outcome.result
            if outcome.position is None:
                self._sleep_until_due(run, workspace_id)
                return

    def _sleep_until_due(self, run: Run, workspace_id: UUID) -> None:
        if run.wake_at is None or not run.frontier:
            return
        delay = (run.wake_at - datetime.now(UTC)).total_seconds()
        if delay > 0:
            asyncio.get_running_loop().call_later(delay, self.want, run.id, workspace_id)

    async def _sweep(self, stop: asyncio.Event) -> None:
        """Picks up runs nobody is advancing: after a crash, a restart or a missed wake-up."""
        while not stop.is_set():
            for row in await due_runs(self.pool, 500):
                if row["id"] not in self.wanted:
                    self.want(row["id"], row["workspace_id"])
            await asyncio.sleep(SWEEP_SECONDS)

    async def _tick(self, stop: asyncio.Event) -> None:
        checked = _minute(datetime.now(UTC)) - timedelta(minutes=1)
        while not stop.is_set():
            now = _minute(datetime.now(UTC))
            while checked < now:
                checked += timedelta(minutes=1)
                for workspace_id, start in started_by_tick(
                    await triggered_workflows(self.pool, "schedule"), checked
                ):
                    await self.start(workspace_id, start)
            await asyncio.sleep(1)

    async def _dispatch(self, stop: asyncio.Event) -> None:
        consumer = events_consumer(self.nc, self.settings, "loom", BATCH, ack_wait=60)
        await consumer.start()
        try:
            while not stop.is_set():
                messages = await consumer.fetch()
                if not messages:
                    continue
                events = [msgspec.json.decode(m.data, type=RecordedEvent) for m in messages]
                await self._fire_event_triggers(events)
                for event in events:
                    if event.type in WAKING_EVENTS and event.envelope.meta.workspace_id:
                        self.want(event.aggregate_id, event.envelope.meta.workspace_id)
                await messages[-1].ack()
        finally:
            await consumer.stop()

    async def _fire_event_triggers(self, events: list[RecordedEvent]) -> None:
        workflows = await self._event_workflows(events)
        if not workflows:
            return
        for event in events:
            for workspace_id, start in started_by_event(workflows, event):
                await self.start(workspace_id, start)

    async def _event_workflows(self, events: list[RecordedEvent]) -> list[dict[str, Any]]:
        """The active event-triggered workflows. Only workflow events change them, and they
        come through here too: the read model is asked again only after one of them (or a
        restart), once it has caught up with the batch, or a workflow created just before an
        event of the batch would be missed. A query on every batch was a fifth of the engines'
        CPU under the bench's writes."""
        if self.event_workflows is None or any(e.type in WORKFLOW_CHANGES for e in events):
            while not await self.positions.wait(events[-1].position, 5.0, WORKFLOWS):
                log.warning("waiting for the workflows read model to reach %s", events[-1].position)
            self.event_workflows = await triggered_workflows(self.pool, "event")
        return self.event_workflows


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)
