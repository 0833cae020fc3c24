from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID, uuid4

from litestar import Controller, Request, Response
from litestar.exceptions import ClientException

from api.commanding import run
from api.ledger_views import top_up_view, transaction_from_row, tribute_view
from api.pagination import Cursor, Limit, decode_cursor, paginate
from api.routes import get, post
from api.schemas import TopUpRequest, TransactionOut, TributeRequest, UsageOut
from api.security import Member, requires
from api.services import Services
from commands.klepsydra.pay_tribute import PayTribute
from commands.ledger.confirm_top_up import ConfirmTopUp
from commands.ledger.request_top_up import RequestTopUp
from domain.identity.policy import Permission
from domain.ledger.plans import MONTHLY_ACTIONS, period_of
from domain.shared import NotFound
from domain.workspaces.workspace import PlanTier
from projections.ledger.queries import get_usage, list_transactions
from projections.workspaces.queries import get_workspace

LEDGER = ("ledger", "workspaces")
TransactionType = Literal["CREDIT", "DEBIT", "TRIBUTE"]
TransactionStatus = Literal["PENDING", "COMPLETED", "FAILED"]


def credits(amount: float) -> Decimal:
    """A JSON number as exact credits (its shortest repr), with at most two decimals."""
    exact = Decimal(repr(amount))
    if exact != exact.quantize(Decimal("0.01")):
        raise ClientException("Amounts have at most two decimal places.")
    return exact


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
        type: TransactionType | None = None,
        status: TransactionStatus | None = None,
    ) -> Response[list[TransactionOut]]:
        """Retrieve transaction history for the current workspace, newest first."""
        rows = await list_transactions(
            services.pool, member.workspace_id, limit + 1, decode_cursor(cursor), type, status
        )
        page, headers = paginate(request, rows, limit, {"type": type, "status": status})
        return Response([transaction_from_row(r) for r in page], headers=headers)

    @get("/usage", operation_id="getUsage", **requires(Permission.READ))
    async def usage(self, member: Member, services: Services) -> UsageOut:
        """This month's plan quota, actions used and the credit balance."""
        workspace = await get_workspace(services.pool, member.workspace_id)
        if workspace is None:
            raise NotFound("Workspace not found.")
        start, end = period_of(datetime.now(UTC))
        usage = await get_usage(services.pool, member.workspace_id)
        used = usage["actions_used"] if usage and usage["period_start"] == start else 0
        plan = PlanTier(workspace["plan_tier"])
        return UsageOut(
            plan_tier=plan,
            plan_limit=MONTHLY_ACTIONS[plan],
            actions_used=used,
            period_start=start,
            period_end=end,
            credit_balance=float(workspace["credits"]),
        )

    @post(
        "/top-ups",
        operation_id="requestTopUp",
        status_code=201,
        **requires(Permission.REQUEST_TOP_UP),
    )
    async def top_up(
        self,
        request: Request[Any, Any, Any],
        data: TopUpRequest,
        member: Member,
        services: Services,
    ) -> Response[TransactionOut]:
        """Request credits: a PENDING CREDIT until an ADMIN confirms it."""
        command = RequestTopUp(transaction_id=uuid4(), amount=credits(data.amount))
        return await run(
            request,
            services,
            command,
            member.context(),
            lambda requested: top_up_view(requested, "PENDING"),
            status=201,
            projections=LEDGER,
        )

    @post(
        "/transactions/{transactionId:uuid}/confirm",
        operation_id="confirmTopUp",
        status_code=200,
        **requires(Permission.CONFIRM_TOP_UP),
    )
    async def confirm(
        self,
        request: Request[Any, Any, Any],
        transactionId: UUID,
        member: Member,
        services: Services,
    ) -> Response[TransactionOut]:
        """Confirm a pending top-up: it completes and the balance grows (409 when done twice)."""
        return await run(
            request,
            services,
            ConfirmTopUp(transaction_id=transactionId),
            member.context(),
            lambda requested: top_up_view(requested, "COMPLETED"),
            projections=LEDGER,
        )

    @post(
        "/tributes", operation_id="payTribute", status_code=201, **requires(Permission.PAY_TRIBUTE)
    )
    async def tribute(
        self,
        request: Request[Any, Any, Any],
        data: TributeRequest,
        member: Member,
        services: Services,
    ) -> Response[TransactionOut]:
        """Pay a tribute to a folly instrument; the outcome rides on the caller's luck."""
        draws = random.SystemRandom()
        command = PayTribute(
            instrument_id=data.instrument_id,
            amount=credits(data.amount) if data.amount is not None else None,
            transaction_id=uuid4(),
            tier_draw=draws.random(),
            boon_draw=draws.random(),
        )
        return await run(
            request,
            services,
            command,
            member.context(),
            tribute_view,
            status=201,
            projections=(*LEDGER, "users"),
        )
