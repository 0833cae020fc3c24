from pathlib import Path
from typing import Any

from aevon.eventstore import RecordedEvent
from projections.base import Projection, Writes

projection = Projection("ledger", Path(__file__).with_name("schema.sql"))

_INSERT = (
    "INSERT INTO transactions (id, workspace_id, user_id, type, amount, description, status,"
    " created_at, instrument_id, luck_weight, outcome, boon_amount, user_psyche, position)"
    " VALUES (%(id)s, %(workspace_id)s, %(user_id)s, %(type)s, %(amount)s, %(description)s,"
    " %(status)s, %(at)s, %(instrument_id)s, %(luck)s, %(outcome)s, %(boon)s, %(psyche)s,"
    " %(position)s) ON CONFLICT (id) DO NOTHING"
)


async def _transaction(cur: Writes, event: RecordedEvent, data: dict[str, Any], **row: Any) -> None:
    values = {
        "id": data["transaction_id"],
        "workspace_id": data["workspace_id"],
        "user_id": data.get("user_id"),
        "status": "COMPLETED",
        "at": data["at"],
        "instrument_id": data.get("instrument_id"),
        "luck": None,
        "outcome": None,
        "boon": None,
        "psyche": None,
        "position": event.position,
        **row,
    }
    await cur.execute(_INSERT, values)


@projection.on("CreditGranted")
async def credit_granted(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await _transaction(
        cur, event, data, type="CREDIT", amount=data["amount"], description=data["description"]
    )


@projection.on("ActionsMetered")
async def metered(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO usage (workspace_id, period_start, actions_used) VALUES (%s, %s, %s)"
        " ON CONFLICT (workspace_id) DO UPDATE"
        " SET period_start = excluded.period_start, actions_used = excluded.actions_used",
        (data["workspace_id"], data["period_start"], data["actions_used"]),
    )
    if data["transaction_id"]:
        await _transaction(
            cur, event, data, type="DEBIT", amount=-data["amount"], description=data["description"]
        )


@projection.on("TopUpRequested")
async def top_up_requested(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await _transaction(
        cur,
        event,
        data,
        type="CREDIT",
        amount=data["amount"],
        status="PENDING",
        description="Top-up request.",
    )


@projection.on("TopUpConfirmed")
async def top_up_confirmed(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "UPDATE transactions SET status='COMPLETED' WHERE id=%s", (data["transaction_id"],)
    )


@projection.on("MicroAppUnlocked")
async def unlocked(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO unlocked_apps (workspace_id, app_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (data["workspace_id"], data["app_id"]),
    )
    await _transaction(
        cur,
        event,
        data,
        type="DEBIT",
        amount=-data["amount"],
        description=data["description"],
        instrument_id=data["app_id"],
    )


@projection.on("TributePaid")
async def tribute(cur: Writes, event: RecordedEvent, data: dict[str, Any]) -> None:
    await _transaction(
        cur,
        event,
        data,
        type="TRIBUTE",
        amount=data["boon"] - data["tribute"],
        description=f"Tribute to {data['instrument_id']}: {data['outcome']}.",
        luck=data["luck"],
        outcome=data["outcome"],
        boon=data["boon"],
        psyche=data["psyche"],
    )
