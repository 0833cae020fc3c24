"""Where each projection stands, as announced on the bus; lets a request wait for a position."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg
from psycopg_pool import AsyncConnectionPool

from aevon.bus import positions_subject


class Positions:
    def __init__(self, projections: Iterable[str], pool: AsyncConnectionPool[Any]) -> None:
        self.current = dict.fromkeys(projections, 0)
        self.pool = pool
        self.changed = asyncio.Condition()

    async def listen(self, nc: Client, namespace: str) -> None:
        await nc.subscribe(positions_subject(namespace), cb=self._on_announcement)
        await self.refresh()

    async def refresh(self) -> None:
        """Announcements are at-most-once; the tracking table is the truth."""
        with contextlib.suppress(Exception):
            async with self.pool.connection() as conn:
                cur = await conn.execute(
                    "SELECT projection, position FROM public.aevon_tracking"
                    " WHERE projection = ANY(%s)",
                    (list(self.current),),
                )
                for row in await cur.fetchall():
                    await self._advance(row["projection"], int(row["position"]))

    async def wait(self, position: int, within: float, names: Iterable[str] = ()) -> bool:
        wanted = list(names) or list(self.current)

        def reached() -> bool:
            return all(self.current.get(n, 0) >= position for n in wanted)

        if reached():
            return True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within), self.changed:
                await self.changed.wait_for(reached)
                return True
        await self.refresh()
        return reached()

    async def _on_announcement(self, msg: Msg) -> None:
        with contextlib.suppress(ValueError):
            await self._advance(msg.subject.rsplit(".", 1)[1], int(msg.data))

    async def _advance(self, name: str, position: int) -> None:
        if name in self.current and position > self.current[name]:
            async with self.changed:
                self.current[name] = position
                self.changed.notify_all()
