"""Transactions as the contract shows them, from read-model rows or from fresh ledger events."""

from __future__ import annotations

from typing import Any

from api.schemas import TransactionOut
from domain.ledger.events import MicroAppUnlocked, TopUpRequested, TributePaid


def transaction_from_row(row: dict[str, Any]) -> TransactionOut:
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


def top_up_view(requested: TopUpRequested, status: str) -> TransactionOut:
    return _view(
        requested,
        type="CREDIT",
        amount=float(requested.amount),
        status=status,
        description="Top-up request.",
    )


def unlock_view(unlocked: MicroAppUnlocked) -> TransactionOut:
    return _view(
        unlocked,
        type="DEBIT",
        amount=-float(unlocked.amount),
        description=unlocked.description,
        instrument_id=unlocked.app_id,
    )


def tribute_view(paid: TributePaid) -> TransactionOut:
    return _view(
        paid,
        type="TRIBUTE",
        amount=float(paid.boon - paid.tribute),
        description=f"Tribute to {paid.instrument_id}: {paid.outcome}.",
        instrument_id=paid.instrument_id,
        luck_weight=paid.luck,
        outcome=paid.outcome,
        boon_amount=float(paid.boon),
        user_psyche=paid.psyche,
    )


def _view(event: TopUpRequested | MicroAppUnlocked | TributePaid, **fields: Any) -> TransactionOut:
    defaults: dict[str, Any] = {
        "status": "COMPLETED",
        "instrument_id": None,
        "luck_weight": None,
        "outcome": None,
        "boon_amount": None,
        "user_psyche": None,
    }
    return TransactionOut(
        id=event.transaction_id,
        workspace_id=event.workspace_id,
        user_id=event.user_id,
        created_at=event.at,
        **(defaults | fields),
    )
