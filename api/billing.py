from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import Parameter

from api.schemas import TransactionOut
from api.security import Member
from api.services import Services
from projections.ledger.queries import list_transactions

Limit = Annotated[int, Parameter(ge=1, le=200, description="Page size (1-200).")]


class BillingController(Controller):
    path = "/billing"
    tags = ["Billing"]

    @get("/transactions", operation_id="getTransactionHistory")
    async def transactions(
        self, member: Member, services: Services, limit: Limit = 20
    ) -> list[TransactionOut]:
        """Retrieve transaction history for the current workspace, newest first."""
        rows = await list_transactions(services.pool, member.workspace_id, limit)
        return [
            TransactionOut(
                id=r["id"],
                workspace_id=r["workspace_id"],
                user_id=r["user_id"],
                type=r["type"],
                amount=float(r["amount"]),
                description=r["description"],
                status=r["status"],
                created_at=r["created_at"],
                instrument_id=r["instrument_id"],
                luck_weight=r["luck_weight"],
                outcome=r["outcome"],
                boon_amount=float(r["boon_amount"]) if r["boon_amount"] is not None else None,
                user_psyche=r["user_psyche"],
            )
            for r in rows
        ]
