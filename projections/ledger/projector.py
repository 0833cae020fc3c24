from pathlib import Path
from typing import Any

from psycopg import AsyncCursor

from aevon.eventstore import RecordedEvent
from projections.base import Projection

projection = Projection("ledger", Path(__file__).with_name("schema.sql"))


@projection.on("CreditGranted")
async def credit_granted(cur: AsyncCursor[Any], event: RecordedEvent, data: dict[str, Any]) -> None:
    await cur.execute(
        "INSERT INTO transactions (id, workspace_id, user_id, type, amount, description, status,"
        " created_at, position) VALUES (%s,%s,%s,'CREDIT',%s,%s,'COMPLETED',%s,%s)"
        " ON CONFLICT (id) DO NOTHING",
        (
            data["transaction_id"],
            data["workspace_id"],
            data.get("user_id"),
            data["amount"],
            data["description"],
            data["at"],
            event.position,
        ),
    )
