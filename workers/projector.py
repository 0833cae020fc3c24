"""Keeps every projection up to date from one JetStream consumer, and announces positions.

Each event is delivered and decoded once, and a batch goes to every projection in one
transaction. When that fails for another reason than the database being away (a bug in one
handler), the batch is applied to each projection in its own transaction instead: a failing one
is left out of later batches and retried from the store every RETRY_S seconds, so it costs the
others nothing while it is broken and catches up once it is fixed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

import msgspec
import psycopg
from nats.aio.client import Client
from nats.aio.msg import Msg
from psycopg import AsyncConnection

from aevon.bus import MEMBERSHIP, positions_subject
from aevon.eventstore import RecordedEvent
from aevon.pull import events_consumer
from aevon.settings import Settings
from projections.base import Projection
from projections.engine import (
    Delivery,
    apply_deliveries,
    apply_together,
    catch_up,
    ensure_projection,
)
from projections.users.projector import MEMBERSHIP_CHANGES
from projections.users.projector import projection as users

log = logging.getLogger(__name__)
_recorded = msgspec.json.Decoder(RecordedEvent)
BATCH = 500
RETRY_S = 5.0


class ProjectionRunner:
    def __init__(self, settings: Settings, nc: Client, projections: Sequence[Projection]) -> None:
        self.settings = settings
        self.nc = nc
        self.projections = list(projections)
        # Projections that failed, with when to try them again (from the store, not the bus).
        self.behind: dict[str, float] = {}
        self.last_delivered: int | None = None

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
            for projection in self.projections:
                await ensure_projection(conn, projection)
            self.behind = dict.fromkeys((p.name for p in self.projections), 0.0)
            self.last_delivered = None
            await self.retry_behind(conn)
            consumer = events_consumer(
                self.nc, self.settings, "projections", BATCH, max_ack_pending=20_000, ack_wait=30
            )
            await consumer.start()
            try:
                while not stop.is_set():
                    await self.retry_behind(conn)
                    messages = await consumer.fetch()
                    if messages:
                        await self.apply(conn, [_delivery(m) for m in messages])
                        await messages[-1].ack()
            finally:
                await consumer.stop()

    async def apply(self, conn: AsyncConnection[Any], deliveries: list[Delivery]) -> None:
        """Applies a batch to every projection that is not behind; raises (so the batch is
        not acked) only when the database is away or no projection could take it."""
        healthy = [p for p in self.projections if p.name not in self.behind]
        try:
            positions = await apply_together(conn, healthy, deliveries)
        except psycopg.OperationalError:
            raise  # the database is away: start over once it is back
        except Exception:
            positions = await self._apply_one_by_one(conn, healthy, deliveries)
        await self._announce(positions | self._membership(deliveries, positions))

    def _membership(self, deliveries: list[Delivery], positions: dict[str, int]) -> dict[str, int]:
        """Says that members may have changed when the users projection took a change of
        membership, or events the bus did not bring (a hole, read from the store)."""
        changed = False
        for delivery in deliveries:
            if (
                delivery.event.type in MEMBERSHIP_CHANGES
                or delivery.previous != self.last_delivered
            ):
                changed = True
            self.last_delivered = delivery.event.position
        return {MEMBERSHIP: positions[users.name]} if changed and users.name in positions else {}

    async def retry_behind(self, conn: AsyncConnection[Any]) -> None:
        """Brings projections that are behind up to date from the store, when they are due."""
        caught_up = {}
        for projection in self.projections:
            due = self.behind.get(projection.name)
            if due is None or due > time.monotonic():
                continue
            try:
                position = await catch_up(conn, projection)
            except psycopg.OperationalError:
                raise
            except Exception:
                self._fell_behind(projection)
                continue
            del self.behind[projection.name]
            caught_up[projection.name] = position
            if projection.name == users.name:
                caught_up[MEMBERSHIP] = position
        await self._announce(caught_up)

    async def _apply_one_by_one(
        self, conn: AsyncConnection[Any], projections: list[Projection], deliveries: list[Delivery]
    ) -> dict[str, int]:
        positions, failure = {}, None
        for projection in projections:
            try:
                positions[projection.name] = await apply_deliveries(conn, projection, deliveries)
            except psycopg.OperationalError:
                raise
            except Exception as error:
                failure = error
                self._fell_behind(projection)
        if failure is not None and not positions:
            raise failure  # not a handler's bug: the connection itself may be unusable
        return positions

    def _fell_behind(self, projection: Projection) -> None:
        log.exception("projection %s failed; retrying in %s s", projection.name, RETRY_S)
        self.behind[projection.name] = time.monotonic() + RETRY_S

    async def _announce(self, positions: dict[str, int]) -> None:
        if positions:
            subject = positions_subject(self.settings.namespace)
            await self.nc.publish(subject, msgspec.json.encode(positions))


def _delivery(message: Msg) -> Delivery:
    headers = message.headers or {}
    return Delivery(
        _recorded.decode(message.data),
        int(headers.get("Aevon-Prev-Position", "0")),
    )
