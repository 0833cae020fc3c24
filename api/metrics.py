"""Prometheus gauges of the event flow, refreshed in the background every few seconds: events
appended (the store's head), and how far the relay and each projection are behind it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from prometheus_client import Gauge
from psycopg_pool import AsyncConnectionPool

from projections.catalogue import PROJECTIONS

log = logging.getLogger(__name__)
REFRESH_S = 5.0

EVENTS = Gauge("aevon_events_appended", "Events appended to the store (its head position)")
RELAY_LAG = Gauge("aevon_relay_lag_events", "Stored events the relay has not yet published")
PROJECTION_LAG = Gauge(
    "aevon_projection_lag_events", "Stored events a projection has not yet applied", ["projection"]
)


async def refresh(pool: AsyncConnectionPool[Any]) -> None:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT (SELECT COALESCE(max(notification_id), 0) FROM public.aevon_events) AS head,"
            " (SELECT position FROM public.aevon_relay WHERE id = 1) AS relay"
        )
        row = await cur.fetchone()
        cur = await conn.execute(
            "SELECT projection, position FROM public.aevon_tracking WHERE projection = ANY(%s)",
            (list(PROJECTIONS),),
        )
        positions = {r["projection"]: r["position"] for r in await cur.fetchall()}
    head = int(row["head"]) if row else 0
    EVENTS.set(head)
    RELAY_LAG.set(head - int(row["relay"] or 0) if row else 0)
    for name in PROJECTIONS:
        PROJECTION_LAG.labels(name).set(head - int(positions.get(name, 0)))


async def keep_refreshed(pool: AsyncConnectionPool[Any]) -> None:
    while True:
        with contextlib.suppress(Exception):  # a database that is down shows as stale figures
            await refresh(pool)
        await asyncio.sleep(REFRESH_S)
