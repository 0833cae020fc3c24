"""Aegis's rules over the event stream. Pure: they see events in order, keep what they need to
remember, and decide alerts whose ids derive from the triggering event, so reading the stream
again decides the same alerts (and the store refuses them twice)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_OID, UUID, uuid5

import msgspec

from domain.aegis.alert import RiskLevel


class Thresholds(msgspec.Struct, frozen=True, kw_only=True):
    brute_force_failures: int = 5
    brute_force_window_s: float = 60
    new_ip_after_logins: int = 3
    spend_multiplier: float = 3.0
    spend_floor: float = 50.0
    probe_denials: int = 20
    probe_window_s: float = 300


class Burst:
    """Counts occurrences per key in a sliding window; reports a burst once, when it reaches
    the threshold, until a quiet window ends it."""

    def __init__(self, threshold: int, window_s: float) -> None:
        self.threshold, self.window = threshold, timedelta(seconds=window_s)
        self.times: dict[UUID, deque[datetime]] = {}
        self.reported: set[UUID] = set()

    def observe(self, key: UUID, at: datetime) -> int:
        """How many occurred within the window, when this one makes a new burst; else 0."""
        times = self.times.setdefault(key, deque())
        if times and at - times[-1] > self.window:
            self.reported.discard(key)
        times.append(at)
        while times and at - times[0] > self.window:
            times.popleft()
        if len(times) < self.threshold or key in self.reported:
            return 0
        self.reported.add(key)
        return len(times)


class Seen(msgspec.Struct, frozen=True, kw_only=True):
    """An event as the rules need it."""

    event_id: UUID
    type: str
    aggregate_id: UUID
    workspace_id: UUID | None
    actor_id: UUID | None
    at: datetime
    data: dict[str, Any]


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    alert_id: UUID
    workspace_id: UUID
    actor_id: UUID | None
    type: str
    explanation: str
    risk_level: RiskLevel


HOUR = timedelta(hours=1)
WEEK = timedelta(days=7)


class Rules:
    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self.t = thresholds or Thresholds()
        self.failures = Burst(self.t.brute_force_failures, self.t.brute_force_window_s)
        self.logins: dict[UUID, int] = {}
        self.known_ips: dict[UUID, set[str]] = {}
        self.debits: dict[UUID, deque[tuple[datetime, Decimal]]] = {}
        self.spike_alerted_at: dict[UUID, datetime] = {}
        self.by_type: dict[str, Callable[[Seen], list[Decision]]] = {
            "LoginFailed": self._failed_login,
            "UserLoggedIn": self._logged_in,
            "ActionsMetered": self._debited,
            "MicroAppUnlocked": self._debited,
            "MemberRoleChanged": self._role_changed,
            "LastAdminGuardHit": self._last_admin_guard_hit,
        }

    @property
    def observed(self) -> frozenset[str]:
        """The event types the rules look at; they decide nothing on any other."""
        return frozenset(self.by_type)

    def observe(self, event: Seen) -> list[Decision]:
        rule = self.by_type.get(event.type)
        return rule(event) if rule else []

    def _decide(self, event: Seen, rule: str, **fields: Any) -> list[Decision]:
        if event.workspace_id is None:
            return []
        alert_id = uuid5(NAMESPACE_OID, f"aevon:aegis:{rule}:{event.event_id}")
        return [Decision(alert_id=alert_id, workspace_id=event.workspace_id, **fields)]

    def _failed_login(self, event: Seen) -> list[Decision]:
        count = self.failures.observe(event.aggregate_id, event.at)
        if not count:
            return []
        ip = event.data.get("ip") or "an unknown address"
        return self._decide(
            event,
            "brute-force",
            actor_id=event.data.get("user_id") and UUID(str(event.data["user_id"])),
            type="Brute-force suspected",
            explanation=f"{count} failed logins for one account within "
            f"{self.t.brute_force_window_s:g} s, the last from {ip}.",
            risk_level=RiskLevel.HIGH,
        )

    def _logged_in(self, event: Seen) -> list[Decision]:
        user, ip = event.aggregate_id, event.data.get("ip")
        count = self.logins.get(user, 0)
        self.logins[user] = count + 1
        known = self.known_ips.setdefault(user, set())
        if not ip or ip in known:
            if ip:
                known.add(ip)
            return []
        known.add(ip)
        if count < self.t.new_ip_after_logins:
            return []
        return self._decide(
            event,
            "new-ip",
            actor_id=user,
            type="Login from a new address",
            explanation=f"A login from {ip}, an address this user never logged in from.",
            risk_level=RiskLevel.LOW,
        )

    def _debited(self, event: Seen) -> list[Decision]:
        amount = Decimal(str(event.data.get("amount") or 0))
        workspace = event.workspace_id
        if amount <= 0 or workspace is None:
            return []
        debits = self.debits.setdefault(workspace, deque())
        debits.append((event.at, amount))
        while debits and event.at - debits[0][0] > WEEK + HOUR:
            debits.popleft()
        last_hour = sum((a for t, a in debits if event.at - t < HOUR), Decimal(0))
        before = sum((a for t, a in debits if event.at - t >= HOUR), Decimal(0))
        hourly_mean = before / (7 * 24)
        alerted = self.spike_alerted_at.get(workspace)
        if (
            last_hour <= Decimal(str(self.t.spend_floor))
            or last_hour <= hourly_mean * Decimal(str(self.t.spend_multiplier))
            or (alerted is not None and event.at - alerted < HOUR)
        ):
            return []
        self.spike_alerted_at[workspace] = event.at
        return self._decide(
            event,
            "spend",
            actor_id=event.actor_id,
            type="Unusual spending",
            explanation=f"{last_hour} Ξ debited in the last hour against a usual "
            f"{hourly_mean.quantize(Decimal('0.01'))} Ξ an hour.",
            risk_level=RiskLevel.MEDIUM,
        )

    def _last_admin_guard_hit(self, event: Seen) -> list[Decision]:
        return self._decide(
            event,
            "last-admin",
            actor_id=event.actor_id,
            type="Last-admin guard hit",
            explanation="Someone tried to demote or remove the workspace's last ADMIN.",
            risk_level=RiskLevel.LOW,
        )

    def _role_changed(self, event: Seen) -> list[Decision]:
        if event.data.get("role") != "ADMIN":
            return []
        return self._decide(
            event,
            "privilege",
            actor_id=event.actor_id,
            type="Privilege raised",
            explanation=f"A member became ADMIN (was {event.data.get('previous')}).",
            risk_level=RiskLevel.MEDIUM,
        )
