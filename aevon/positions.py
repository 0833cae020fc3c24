"""Where each projection stands, as announced on the bus; lets a request wait for a position."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import Iterable
from typing import Any

import msgspec
from nats.aio.client import Client
from nats.aio.msg import Msg
from psycopg_pool import AsyncConnectionPool

from aevon.bus import MEMBERSHIP, positions_subject

_announcement = msgspec.json.Decoder(dict[str, int])

# (position, tie-breaker, the waiting request's future)
Waiter = tuple[int, int, "asyncio.Future[None]"]


class Positions:
    """Waiting requests sit in heaps by position, one heap per set of projections waited for: an
    announcement wakes only the requests it satisfies, not every waiting one (hundreds under
    load). A request that gave up stays in its heap until it is popped or until the given-up
    ones are half of it."""

    def __init__(self, projections: Iterable[str], pool: AsyncConnectionPool[Any]) -> None:
        self.current = dict.fromkeys(projections, 0)
        self.pool = pool
        self.waiters: dict[tuple[str, ...], list[Waiter]] = {}
        self.order = itertools.count()
        self.given_up: dict[tuple[str, ...], int] = {}
        # Counts announced membership changes: see `MEMBERSHIP` and api/members.py.
        self.membership_changes = 0

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
                    self._advance(row["projection"], int(row["position"]))

    async def wait(self, position: int, within: float, names: Iterable[str] = ()) -> bool:
        wanted = tuple(names) or tuple(self.current)
        if self._reached(position, wanted):
            return True
        future = asyncio.get_running_loop().create_future()
        heap = self.waiters.setdefault(wanted, [])
        heapq.heappush(heap, (position, next(self.order), future))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                await future
                return True
        self.given_up[wanted] = self.given_up.get(wanted, 0) + 1
        if self.given_up[wanted] * 2 > len(heap):
            heap[:] = [waiter for waiter in heap if not waiter[2].done()]
            heapq.heapify(heap)
            self.given_up[wanted] = 0
        await self.refresh()
        return self._reached(position, wanted)

    def _reached(self, position: int, names: tuple[str, ...]) -> bool:
        return all(self.current.get(n, 0) >= position for n in names)

    async def _on_announcement(self, msg: Msg) -> None:
        with contextlib.suppress(msgspec.DecodeError):
            announced = _announcement.decode(msg.data)
            if MEMBERSHIP in announced:
                self.membership_changes += 1
            for name, position in announced.items():
                self._advance(name, position)

    def _advance(self, name: str, position: int) -> None:
        if name not in self.current or position <= self.current[name]:
            return
        self.current[name] = position
        for wanted, heap in self.waiters.items():
            if name not in wanted:
                continue
            reached = min(self.current.get(n, 0) for n in wanted)
            while heap and heap[0][0] <= reached:
                future = heapq.heappop(heap)[2]
                if not future.done():  # else it timed out or was cancelled
                    future.set_result(None)
