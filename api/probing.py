"""Cross-tenant probing: one member asking for many ids that are not theirs to see (the 404s
on resource ids). Counted in this API process's memory, which keeps it cheap; with several API
processes each counts its own share."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from uuid import NAMESPACE_OID, uuid5

from api.security import Member
from commands.actions import AlertArgs
from commands.aegis.raise_alert import RaiseAlert
from commands.bus import CommandBus
from commands.context import Context
from domain.aegis.alert import RiskLevel
from domain.aegis.rules import Burst, Thresholds

log = logging.getLogger(__name__)


class ProbeWatch:
    def __init__(self, bus: CommandBus, thresholds: Thresholds) -> None:
        self.bus = bus
        self.burst = Burst(thresholds.probe_denials, thresholds.probe_window_s)
        self.window_s = thresholds.probe_window_s
        self.raising: set[asyncio.Task[object]] = set()

    def denied(self, member: object) -> None:
        if not isinstance(member, Member):
            return
        now = datetime.now(UTC)
        count = self.burst.observe(member.user_id, now)
        if not count:
            return
        alert = AlertArgs(
            type="Cross-tenant probing",
            explanation=f"{count} requests for ids outside the workspace within "
            f"{self.window_s:g} s by one member.",
            risk_level=RiskLevel.HIGH,
        )
        command = RaiseAlert(
            alert_id=uuid5(NAMESPACE_OID, f"aevon:aegis:probe:{member.user_id}:{now.isoformat()}"),
            alert=alert,
            source="aegis",
            actor_id=member.user_id,
        )
        task = asyncio.get_running_loop().create_task(
            self.bus.execute(command, Context.new(member.workspace_id, None))
        )
        self.raising.add(task)
        task.add_done_callback(self.raising.discard)
