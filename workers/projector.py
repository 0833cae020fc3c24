"""Keeps every projection up to date from one JetStream consumer, and announces positions.

Each event is delivered and decoded once for all projections; each projection still applies a
batch in its own transaction with its own tracking row, so one that fails (a bug in a handler)
falls behind alone and catches up from the store on a later batch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from contextlib import AsyncExitStack

import msgspec
import psycopg
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from psycopg import AsyncConnection

from aevon.bus import events_filter, positions_subject
from aevon.eventstore import RecordedEvent
from aevon.settings import Settings
from projections.base import Projection
from projections.engine import Delivery, apply_deliveries, catch_up, ensure_projection

log = logging.getLogger(__name__)
BATCH = 500


class ProjectionRunner:
    def __init__(self, settings: Settings, nc: Client, projections: Sequence[Projection]) -> None:
        self.settings = settings
        self.nc = nc
        self.projections = list(projections)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self._run(stop)
            except Exception:
                log.exception("the projection runner failed; restarting in 1 s")
                await asyncio.sleep(1)

    async def _run(self, stop: asyncio.Event) -> None:
        assert self.settings.database_url
        url = self.settings.database_url
        async with AsyncExitStack() as stack:
            lock = await stack.enter_async_context(
                await AsyncConnection.connect(url, autocommit=True)
            )
            # One instance applies the projections; others wait here as standbys.
            await lock.execute("SELECT pg_advisory_lock(hashtext('aevon-projections'))")
            connections = {}
            for projection in self.projections:
                conn = await stack.enter_async_context(
                    await AsyncConnection.connect(url, autocommit=True)
                )
                await ensure_projection(conn, projection)
                await self._announce(projection, await catch_up(conn, projection))
                connections[projection.name] = conn
            subscription = await self.nc.jetstream().pull_subscribe(
                events_filter(self.settings.namespace),
                durable=f"{self.settings.namespace}-projections",
                stream=self.settings.stream,
                config=ConsumerConfig(
                    ack_policy=AckPolicy.ALL,
                    deliver_policy=DeliverPolicy.ALL,
                    max_ack_pending=20_000,
                    ack_wait=30,
                ),
            )
            while not stop.is_set():
                try:
                    messages = await subscription.fetch(BATCH, timeout=0.5)
                except (NatsTimeout, TimeoutError):
                    continue  # nats-py raises either, depending on how far the fetch got
                if not messages:
                    continue
                deliveries = [_delivery(m) for m in messages]
                for projection in self.projections:
                    await self._apply(connections[projection.name], projection, deliveries)
                await messages[-1].ack()

    async def _apply(
        self, conn: AsyncConnection[object], projection: Projection, deliveries: list[Delivery]
    ) -> None:
        try:
            position = await apply_deliveries(conn, projection, deliveries)
        except psycopg.OperationalError:
            raise  # the database is away: start over once it is back
        except Exception:
            log.exception("projection %s failed on a batch; it catches up later", projection.name)
            return
        await self._announce(projection, position)

    async def _announce(self, projection: Projection, position: int) -> None:
        subject = positions_subject(self.settings.namespace, projection.name)
        await self.nc.publish(subject, str(position).encode())


def _delivery(message: Msg) -> Delivery:
    headers = message.headers or {}
    return Delivery(
        msgspec.json.decode(message.data, type=RecordedEvent),
        int(headers.get("Aevon-Prev-Position", "0")),
    )
