"""Keeps every projection up to date from one JetStream consumer, and announces positions.

Each event is delivered and decoded once, and a batch goes to every projection in one
transaction. When that fails for another reason than the database being away (a bug in one
handler), the batch is applied to each projection in its own transaction instead: the failing
one falls behind alone and catches up from the store on a later batch.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

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
from projections.engine import (
    Delivery,
    apply_deliveries,
    apply_together,
    catch_up,
    ensure_projection,
)

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
        async with await AsyncConnection.connect(url, autocommit=True) as conn:
            # One instance applies the projections; others wait here as standbys.
            await conn.execute("SELECT pg_advisory_lock(hashtext('aevon-projections'))")
            caught_up = {}
            for projection in self.projections:
                await ensure_projection(conn, projection)
                caught_up[projection.name] = await catch_up(conn, projection)
            await self._announce(caught_up)
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
                await self._apply(conn, [_delivery(m) for m in messages])
                await messages[-1].ack()

    async def _apply(self, conn: AsyncConnection[Any], deliveries: list[Delivery]) -> None:
        try:
            positions = await apply_together(conn, self.projections, deliveries)
        except psycopg.OperationalError:
            raise  # the database is away: start over once it is back
        except Exception:
            positions = await self._apply_one_by_one(conn, deliveries)
        await self._announce(positions)

    async def _apply_one_by_one(
        self, conn: AsyncConnection[Any], deliveries: list[Delivery]
    ) -> dict[str, int]:
        positions = {}
        for projection in self.projections:
            try:
                positions[projection.name] = await apply_deliveries(conn, projection, deliveries)
            except psycopg.OperationalError:
                raise
            except Exception:
                log.exception(
                    "projection %s failed on a batch; it catches up later", projection.name
                )
        return positions

    async def _announce(self, positions: dict[str, int]) -> None:
        if positions:
            subject = positions_subject(self.settings.namespace)
            await self.nc.publish(subject, msgspec.json.encode(positions))


def _delivery(message: Msg) -> Delivery:
    headers = message.headers or {}
    return Delivery(
        msgspec.json.decode(message.data, type=RecordedEvent),
        int(headers.get("Aevon-Prev-Position", "0")),
    )
