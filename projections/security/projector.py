from pathlib import Path
from typing import Any

from psycopg import AsyncCursor

from aevon.eventstore import RecordedEvent
from projections.base import Projection

projection = Projection("security", Path(__file__).with_name("schema.sql"))


@projection.on("SecurityAlertRaised")
async def alert_raised(cur: AsyncCursor[Any], event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO alerts (id, workspace_id, type, explanation, risk_level, source, actor_id,"
        " raised_at, position) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT (id) DO NOTHING",
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
async def alert_handled(cur: AsyncCursor[Any], event: RecordedEvent, data: dict[str, Any]) -> None:
    status = "acknowledged" if event.type == "AlertAcknowledged" else "dismissed"
    await cur.execute(
        "UPDATE alerts SET status=%s, note=COALESCE(%s, note) WHERE id=%s",
        (status, data.get("note"), event.aggregate_id),
    )
