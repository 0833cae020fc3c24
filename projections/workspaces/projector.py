from pathlib import Path
from typing import Any

from aevon.eventstore import RecordedEvent
from projections.base import Projection, Writes

projection = Projection("workspaces", Path(__file__).with_name("schema.sql"))


@projection.on("WorkspaceCreated")
async def created(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO workspaces (id, name, plan_tier, owner_id, created_at, version)"
        " VALUES (%s,%s,%s,%s,%s,%s)",
        (
            event.aggregate_id,
            data["name"],
            data["plan_tier"],
            data["owner_id"],
            data["at"],
            event.version,
        ),
    )


@projection.on("WorkspaceRenamed")
async def renamed(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE workspaces SET name=%s, version=%s WHERE id=%s",
        (data["name"], event.version, event.aggregate_id),
    )


@projection.on("PlanTierChanged")
async def plan_changed(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE workspaces SET plan_tier=%s, version=%s WHERE id=%s",
        (data["plan_tier"], event.version, event.aggregate_id),
    )


@projection.on("MemberJoined", "MemberRoleChanged", "MemberRemoved")
async def membership_changed(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE workspaces SET version=%s WHERE id=%s", (event.version, event.aggregate_id)
    )


@projection.on(
    "CreditGranted", "ActionsMetered", "TopUpConfirmed", "MicroAppUnlocked", "TributePaid"
)
async def balance_moved(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    # Grants recorded before events carried their balance add their amount instead.
    await cur.execute(
        "UPDATE workspaces SET credits = COALESCE(%s, credits + %s) WHERE id = %s",
        (data.get("balance"), data.get("amount", 0), event.envelope.meta.workspace_id),
    )
