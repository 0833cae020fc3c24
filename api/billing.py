from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from api.pagination import Cursor, Limit, decode_cursor, paginate
from api.schemas import TransactionOut
from api.security import Member, requires
from api.services import Services
from domain.identity.policy import Permission
from projections.ledger.queries import list_transactions


class BillingController(Controller):
    path = "/billing"
    tags = ["Billing"]

    @get("/transactions", operation_id="getTransactionHistory", **requires(Permission.READ))
    async def transactions(
        self,
        request: Request[Any, Any, Any],
        member: Member,
        services: Services,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> Response[list[TransactionOut]]:
        """Retrieve transaction history for the current workspace, newest first."""
        rows = await list_transactions(
            services.pool, member.workspace_id, limit + 1, decode_cursor(cursor)
        )
        page, headers = paginate(request, rows, limit)
        return Response([transaction_view(r) for r in page], headers=headers)


def transaction_view(row: dict[str, Any]) -> TransactionOut:
    return TransactionOut(
        id=row["id"],
        workspace_id=row["workspace_id"],
        user_id=row["user_id"],
        type=row["type"],
        amount=float(row["amount"]),
        description=row["description"],
        status=row["status"],
        created_at=row["created_at"],
        instrument_id=row["instrument_id"],
        luck_weight=row["luck_weight"],
        outcome=row["outcome"],
        boon_amount=float(row["boon_amount"]) if row["boon_amount"] is not None else None,
        user_psyche=row["user_psyche"],
    )
