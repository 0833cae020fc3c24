"""A workspace as it was at a past moment, folded from its audit records in order."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec

COUNTED = {
    "ContactCreated": ("contacts", 1), "ContactDeleted": ("contacts", -1),
    "WorkflowCreated": ("workflows", 1), "WorkflowDeleted": ("workflows", -1),
    "AgentCreated": ("agents", 1), "AgentDeleted": ("agents", -1),
}  # fmt: skip


class MemberAt(msgspec.Struct, frozen=True, rename="camel"):
    user_id: str
    role: str


class WorkspaceAt(msgspec.Struct, kw_only=True, rename="camel"):
    at: datetime
    name: str | None = None
    plan_tier: str | None = None
    credit_balance: float = 0.0
    members: list[MemberAt] = []
    contact_count: int = 0
    workflow_count: int = 0
    agent_count: int = 0
    open_alerts: int = 0
    events: int = 0


def state_at(records: Iterable[dict[str, Any]], at: datetime) -> WorkspaceAt:
    """`records` in store order; those that occurred after `at` are ignored."""
    state = WorkspaceAt(at=at)
    members: dict[str, str] = {}
    counts = {"contacts": 0, "workflows": 0, "agents": 0}
    open_alerts: set[str] = set()
    for record in records:
        if datetime.fromisoformat(record["occurredAt"]) > at:
            continue
        state.events += 1
        kind, data = record["type"], record["data"]
        if record["aggregateType"] == "ledger" and data.get("balance") is not None:
            state.credit_balance = float(Decimal(str(data["balance"])))
        match kind:
            case "WorkspaceCreated" | "WorkspaceRenamed":
                state.name = data.get("name", state.name)
                state.plan_tier = data.get("plan_tier", state.plan_tier)
            case "PlanTierChanged":
                state.plan_tier = data["plan_tier"]
            case "MemberJoined" | "MemberRoleChanged":
                members[str(data["user_id"])] = data["role"]
            case "MemberRemoved":
                members.pop(str(data["user_id"]), None)
            case "SecurityAlertRaised":
                open_alerts.add(record["aggregateId"])
            case "AlertAcknowledged" | "AlertDismissed":
                open_alerts.discard(record["aggregateId"])
        if kind in COUNTED:
            name, step = COUNTED[kind]
            counts[name] += step
    state.members = [MemberAt(user_id=u, role=r) for u, r in sorted(members.items())]
    state.contact_count = counts["contacts"]
    state.workflow_count = counts["workflows"]
    state.agent_count = counts["agents"]
    state.open_alerts = len(open_alerts)
    return state
