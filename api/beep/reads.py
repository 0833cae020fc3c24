"""What BEEP's reading tools report, and which contact or workflow a request is about."""

from __future__ import annotations

from datetime import UTC, datetime
from difflib import SequenceMatcher
from typing import Any

from api.security import Member
from api.services import Services
from commands.beep.beep_tools import PlannedCall
from domain.beep.syntax import critique
from domain.klepsydra.luck import NARRATIVES, luck, phase_of
from domain.ledger.plans import MONTHLY_ACTIONS, period_of
from domain.workspaces.workspace import PlanTier
from projections.contacts.queries import contact_index
from projections.ledger.queries import get_usage, list_transactions
from projections.security.queries import list_alerts
from projections.users.queries import get_pulse
from projections.workflows.queries import list_runs, list_workflows
from projections.workspaces.queries import get_workspace

Report = dict[str, Any]
MATCH = 0.75


def full_name(row: dict[str, Any]) -> str:
    return " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p)


def score(wanted: str, row: dict[str, Any]) -> float:
    wanted = wanted.lower().strip()
    name, email = full_name(row).lower(), (row.get("email") or "").lower()
    if wanted and wanted in (email, name):
        return 1.0
    parts = name.split()
    if wanted in parts or (email and wanted == email.split("@")[0]):
        return 0.9
    return max(
        SequenceMatcher(None, wanted, name).ratio(), SequenceMatcher(None, wanted, email).ratio()
    )


async def matching_contacts(
    services: Services, member: Member, wanted: str
) -> list[dict[str, Any]]:
    rows = await contact_index(services.pool, member.workspace_id)
    ranked = sorted(((score(wanted, r), r) for r in rows), key=lambda p: -p[0])
    return [r for s, r in ranked if s >= MATCH][:5]


async def resolve(call: PlannedCall, services: Services, member: Member) -> PlannedCall:
    """Finds the contact or workflow a changing call is about; unresolved calls are not run."""
    if call.tool in ("contacts.update", "contacts.delete"):
        wanted = call.args.get("target")
        found = await matching_contacts(services, member, wanted) if wanted else []
        if len(found) != 1 and not (found and score(wanted or "", found[0]) == 1.0):
            detail = (
                f"I found {len(found)} contacts matching “{wanted}”; say which one."
                if found
                else f"I found no contact matching “{wanted or '…'}”."
            )
            return _unresolved(call, detail)
        return _with_target(call, found[0]["id"])
    if call.tool == "workflows.run":
        wanted = call.args.get("name") or ""
        rows = await list_workflows(services.pool, member.workspace_id, 200)
        ranked = sorted(
            rows, key=lambda r: -SequenceMatcher(None, wanted.lower(), r["name"].lower()).ratio()
        )
        best = ranked[0] if ranked else None
        if (
            best is None
            or SequenceMatcher(None, wanted.lower(), best["name"].lower()).ratio() < 0.6
        ):
            return _unresolved(call, f"I found no workflow called “{wanted or '…'}”.")
        return _with_target(call, best["id"], name=best["name"])
    return call


def _unresolved(call: PlannedCall, detail: str) -> PlannedCall:
    return PlannedCall(tool=call.tool, args=call.args, status="unresolved", detail=detail)


def _with_target(call: PlannedCall, target: Any, **extra: Any) -> PlannedCall:
    return PlannedCall(tool=call.tool, args=call.args | extra, target_id=target)


async def report(tool: str, args: dict[str, Any], services: Services, member: Member) -> Report:
    pool, workspace = services.pool, member.workspace_id
    match tool:
        case "contacts.find":
            found = await matching_contacts(services, member, args.get("target") or "")
            return {"contacts": [_contact(r) for r in found]}
        case "contacts.list":
            rows = await contact_index(pool, workspace)
            return {"count": len(rows), "contacts": [_contact(r) for r in rows[:10]]}
        case "billing.balance":
            row = await get_workspace(pool, workspace)
            return {"balance": float(row["credits"]) if row else 0.0}
        case "billing.usage":
            return await _usage(services, member)
        case "billing.transactions":
            rows = await list_transactions(pool, workspace, 5)
            return {"transactions": [_transaction(r) for r in rows]}
        case "workflows.list":
            rows = await list_workflows(pool, workspace, 50)
            return {
                "workflows": [
                    {"id": str(r["id"]), "name": r["name"], "isActive": r["is_active"]}
                    for r in rows
                ]
            }
        case "alerts.recent":
            rows = await list_alerts(pool, workspace, 5)
            return {"alerts": [_alert(r) for r in rows]}
        case "pulse.current":
            return await _pulse(services, member)
        case "dossier.compile":
            return await _dossier(services, member, args.get("target") or "")
        case "dr_syntax.critique":
            return critique(args.get("text") or "")
    return {}


async def _usage(services: Services, member: Member) -> Report:
    workspace = await get_workspace(services.pool, member.workspace_id)
    usage = await get_usage(services.pool, member.workspace_id)
    start, _ = period_of(datetime.now(UTC))
    used = usage["actions_used"] if usage and usage["period_start"] == start else 0
    plan = PlanTier(workspace["plan_tier"]) if workspace else PlanTier.APPRENTICE
    return {"planTier": str(plan), "planLimit": MONTHLY_ACTIONS[plan], "actionsUsed": used}


async def _pulse(services: Services, member: Member) -> Report:
    row = await get_pulse(services.pool, member.user_id)
    if row is None:
        return {}
    minutes = (datetime.now(UTC) - row["since"]).total_seconds() / 60
    value = luck(minutes, row["phase_offset"], row["frustration"], row["flow"])
    phase = phase_of(value)
    return {"phase": phase.value, "narrative": NARRATIVES[phase], "value": round(value, 4)}


async def _dossier(services: Services, member: Member, target: str) -> Report:
    """What the workspace knows of someone: the contact, and the runs and alerts naming them."""
    contacts = await matching_contacts(services, member, target) if target else []
    terms = {t.lower() for c in contacts for t in (c.get("email"), full_name(c)) if t} or {
        target.lower()
    }
    runs = await list_runs(services.pool, member.workspace_id, 200)
    alerts = await list_alerts(services.pool, member.workspace_id, 200)

    def mentions(value: Any) -> bool:
        text = str(value).lower()
        return any(term and term in text for term in terms)

    return {
        "target": target,
        "contacts": [_contact(c) for c in contacts],
        "workflowRuns": [
            {"id": str(r["id"]), "workflow": r["workflow_name"], "status": r["status"]}
            for r in runs
            if mentions(r["trigger_payload"])
        ][:10],
        "alerts": [_alert(a) for a in alerts if mentions(a["explanation"])][:10],
        "compiledAt": datetime.now(UTC).isoformat(),
    }


def _contact(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "name": full_name(row),
        "email": row.get("email"),
        "phone": row.get("phone"),
    }


def _transaction(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "type": row["type"],
        "amount": float(row["amount"]),
        "description": row["description"],
        "status": row["status"],
    }


def _alert(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "type": row["type"],
        "riskLevel": row["risk_level"],
        "explanation": row["explanation"],
        "timestamp": row["raised_at"].isoformat(),
    }
