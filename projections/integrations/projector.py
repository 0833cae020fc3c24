from pathlib import Path
from typing import Any

from aevon.eventstore import RecordedEvent
from projections.base import Projection, Writes, jsonb

projection = Projection("integrations", Path(__file__).with_name("schema.sql"))


def displayed(config: dict[str, Any]) -> dict[str, str]:
    """What may be shown: plain settings, and secrets masked (their sealed form stays out)."""
    shown: dict[str, str] = dict(config.get("plain", {}))
    shown |= {name: value["masked"] for name, value in config.get("secrets", {}).items()}
    return shown


@projection.on("IntegrationCreated")
async def created(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO integrations (id, workspace_id, type_id, name, config, version, position)"
        " VALUES (%s,%s,%s,%s,%s,%s,%s)",
        (
            event.aggregate_id,
            data["workspace_id"],
            data["type_id"],
            data["name"],
            jsonb(displayed(data["config"])),
            event.version,
            event.position,
        ),
    )


@projection.on("IntegrationUpdated")
async def updated(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE integrations SET name=%s, config=%s, version=%s WHERE id=%s",
        (data["name"], jsonb(displayed(data["config"])), event.version, event.aggregate_id),
    )


@projection.on("IntegrationDeleted")
async def deleted(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute("DELETE FROM integrations WHERE id=%s", (event.aggregate_id,))
