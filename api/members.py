"""Who a token's user is a member as, remembered between requests while it cannot have changed.

Every authenticated request needs the caller's workspace and role; reading them cost about a
quarter of a read's CPU (docs/performance.md). A row read here is reused only while:
- no membership change was announced since it was read: the projection runner announces one in
  the same message as the position that carries it (`aevon.bus.MEMBERSHIP`), so the request
  waiting for a role change or a removal is answered only after this process forgot the old row;
- the bus connection stayed up (an announcement missed while it was down would go unnoticed);
- it is younger than `FRESH_S`, a bound for anything else that might go wrong.
A row read while a change was being announced is not remembered. Unknown users are not
remembered either, so a new member needs no announcement.
"""

from __future__ import annotations

import time
from typing import Any, Protocol
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from aevon.positions import Positions
from projections.users.queries import Row, get_member


class BusConnection(Protocol):
    @property
    def is_connected(self) -> bool: ...

    @property
    def stats(self) -> dict[str, Any]: ...


class Members:
    FRESH_S = 1.0
    REMEMBERED = 10_000

    def __init__(
        self, pool: AsyncConnectionPool[Any], positions: Positions, bus: BusConnection
    ) -> None:
        self.pool = pool
        self.positions = positions
        self.bus = bus
        # user id → (row, the epoch it was read in, when it was read)
        self.rows: dict[UUID, tuple[Row, tuple[int, int], float]] = {}

    async def get(self, user_id: UUID) -> Row | None:
        epoch, now = self._epoch(), time.monotonic()
        remembered = self.rows.get(user_id)
        if remembered is not None:
            known, read_in, read_at = remembered
            if read_in == epoch and now - read_at < self.FRESH_S and self.bus.is_connected:
                return known
            del self.rows[user_id]
        row = await get_member(self.pool, user_id)
        if row is not None and self.bus.is_connected and self._epoch() == epoch:
            if len(self.rows) >= self.REMEMBERED:
                del self.rows[next(iter(self.rows))]
            self.rows[user_id] = (row, epoch, now)
        return row

    def _epoch(self) -> tuple[int, int]:
        return self.positions.membership_changes, int(self.bus.stats["reconnects"])
