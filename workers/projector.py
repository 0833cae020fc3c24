"""Keeps one projection up to date from the JetStream stream, and announces its position."""

from __future__ import annotations

import asyncio
import logging

import msgspec
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
    def __init__(self, settings: Settings, nc: Client, projection: Projection) -> None:
        self.settings = settings
        self.nc = nc
        self.projection = projection
        self.position = 0

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self._run(stop)
            except Exception:
                log.exception("projection %s failed; restarting in 1 s", self.projection.name)
                await asyncio.sleep(1)

    async def _run(self, stop: asyncio.Event) -> None:
        assert self.settings.database_url
        name = self.projection.name
        async with await AsyncConnection.connect(
            self.settings.database_url, autocommit=True
        ) as conn:
            # One instance applies each projection; others wait here as standbys.
            await conn.execute(
                "SELECT pg_advisory_lock(hashtext(%s))", (f"aevon-projection:{name}",)
            )
            await ensure_projection(conn, self.projection)
            await self._announce(await catch_up(conn, self.projection))
            subscription = await self.nc.jetstream().pull_subscribe(
                events_filter(self.settings.namespace),
                durable=f"{self.settings.namespace}-projection-{name}",
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
                position = await apply_deliveries(conn, self.projection, deliveries)
                await messages[-1].ack()
                await self._announce(position)

    async def _announce(self, position: int) -> None:
        self.position = position
        subject = positions_subject(self.settings.namespace, self.projection.name)
        await self.nc.publish(subject, str(position).encode())


def _delivery(message: Msg) -> Delivery:
    headers = message.headers or {}
    return Delivery(
        msgspec.json.decode(message.data, type=RecordedEvent),
        int(headers.get("Aevon-Prev-Position", "0")),
    )
