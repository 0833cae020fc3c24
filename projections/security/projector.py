from pathlib import Path
from typing import Any

from aevon.eventstore import RecordedEvent
from projections.base import Projection, Writes, jsonb

projection = Projection("security", Path(__file__).with_name("schema.sql"))


@projection.on("SecurityAlertRaised")
async def alert_raised(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO alerts (id, workspace_id, type, explanation, risk_level, source, actor_id,"
        " raised_at, position) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
        (
            event.aggregate_id,
            data["workspace_id"],
            data["type"],
            data["explanation"],
            data["risk_level"],
            data["source"],
            data.get("actor_id"),
            data["at"],
            event.position,
        ),
    )


@projection.on("AlertAcknowledged", "AlertDismissed")
async def alert_handled(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    status = "acknowledged" if event.type == "AlertAcknowledged" else "dismissed"
    await cur.execute(
        "UPDATE alerts SET status=%s, note=COALESCE(%s, note) WHERE id=%s",
        (status, data.get("note"), event.aggregate_id),
    )


@projection.on("EdictsReplaced", "ThreatIndicatorsReplaced")
async def policy_replaced(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO policies (workspace_id) VALUES (%s) ON CONFLICT DO NOTHING",
        (data["workspace_id"],),
    )
    if event.type == "EdictsReplaced":
        await cur.execute(
            "UPDATE policies SET edicts=%s WHERE workspace_id=%s",
            (jsonb(data["edicts"]), data["workspace_id"]),
        )
    else:
        await cur.execute(
            "UPDATE policies SET domains=%s, ips=%s WHERE workspace_id=%s",
            (jsonb(data["domains"]), jsonb(data["ips"]), data["workspace_id"]),
        )


async def _baseline(cur: Writes, event: RecordedEvent, user_id: Any) -> None:
    at = event.envelope.meta.occurred_at
    await cur.execute(
        "INSERT INTO baselines (user_id, workspace_id, first_seen, last_updated)"
        " VALUES (%s,%s,%s,%s)"
        " ON CONFLICT (user_id) DO UPDATE SET last_updated=EXCLUDED.last_updated",
        (user_id, event.envelope.meta.workspace_id, at, at),
    )


@projection.on("UserLoggedIn")
async def logged_in(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    if event.envelope.meta.workspace_id is None:
        return
    await _baseline(cur, event, event.aggregate_id)
    hour = event.envelope.meta.occurred_at.hour + 1  # SQL arrays count from 1
    ip = data.get("ip")
    await cur.execute(
        "UPDATE baselines SET login_hours[%s] = login_hours[%s] + 1,"
        " ips = CASE WHEN %s::text IS NULL OR %s = ANY(ips) THEN ips ELSE array_append(ips, %s) END"
        " WHERE user_id=%s",
        (hour, hour, ip, ip, ip, event.aggregate_id),
    )


@projection.on("ActionsMetered", "MicroAppUnlocked")
async def spent(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    if not data.get("user_id") or not data.get("amount"):
        return
    await _baseline(cur, event, data["user_id"])
    await cur.execute(
        "UPDATE baselines SET spend = spend + %s WHERE user_id=%s",
        (data["amount"], data["user_id"]),
    )
