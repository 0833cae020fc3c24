from pathlib import Path
from typing import Any

from aevon.eventstore import RecordedEvent
from projections.base import Projection, Writes

projection = Projection("contacts", Path(__file__).with_name("schema.sql"))


@projection.on("ContactCreated")
async def created(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    details = data["details"]
    await cur.add_row(
        "INSERT INTO contacts (id, workspace_id, email, first_name, last_name, phone,"
        " created_at, version, position) SELECT * FROM unnest(%b::uuid[], %b::uuid[],"
        " %b::text[], %b::text[], %b::text[], %b::text[], %b::timestamptz[], %b::bigint[],"
        " %b::bigint[])",
        (
            event.aggregate_id,
            data["workspace_id"],
            details.get("email"),
            details.get("first_name"),
            details.get("last_name"),
            details.get("phone"),
            data["at"],
            event.version,
            event.position,
        ),
    )


@projection.on("ContactUpdated")
async def updated(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    details = data["details"]
    await cur.execute(
        "UPDATE contacts SET email=%s, first_name=%s, last_name=%s, phone=%s, version=%s"
        " WHERE id=%s",
        (
            details.get("email"),
            details.get("first_name"),
            details.get("last_name"),
            details.get("phone"),
            event.version,
            event.aggregate_id,
        ),
    )


@projection.on("ContactDeleted")
async def deleted(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute("DELETE FROM contacts WHERE id=%s", (event.aggregate_id,))
