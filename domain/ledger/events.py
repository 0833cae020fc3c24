"""What happens to a ledger. Every event that moves money carries the balance after it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

import msgspec

from domain.identity.roles import Psyche
from domain.ledger.plans import ActionKind
from domain.shared import Event


class CreditGranted(Event, frozen=True, kw_only=True):
    transaction_id: UUID
    workspace_id: UUID
    user_id: UUID | None
    amount: Decimal
    description: str
    at: datetime
    balance: Decimal | None = None


class ActionsMetered(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    user_id: UUID | None
    kind: ActionKind
    actions: int
    from_quota: int
    period_start: datetime
    actions_used: int
    transaction_id: UUID | None
    amount: Decimal  # debited beyond the quota, ≥ 0
    description: str
    instrument_id: str | None
    at: datetime
    balance: Decimal


class TopUpRequested(Event, frozen=True, kw_only=True):
    transaction_id: UUID
    workspace_id: UUID
    user_id: UUID
    amount: Decimal
    at: datetime


class TopUpConfirmed(Event, frozen=True, kw_only=True):
    transaction_id: UUID
    confirmed_by: UUID
    amount: Decimal
    at: datetime
    balance: Decimal


class MicroAppUnlocked(Event, frozen=True, kw_only=True):
    transaction_id: UUID
    workspace_id: UUID
    user_id: UUID
    app_id: str
    description: str
    amount: Decimal
    at: datetime
    balance: Decimal


class TributePaid(Event, frozen=True, kw_only=True):
    transaction_id: UUID
    workspace_id: UUID
    user_id: UUID
    instrument_id: str
    tribute: Decimal
    boon: Decimal
    luck: float
    outcome: str
    psyche: Psyche | None
    tier_draw: float
    boon_draw: float
    at: datetime
    balance: Decimal


class Tribute(msgspec.Struct, frozen=True, kw_only=True):
    transaction_id: UUID
    user_id: UUID
    instrument_id: str
    tribute: Decimal
    boon: Decimal
    luck: float
    outcome: str
    psyche: Psyche | None
    tier_draw: float
    boon_draw: float
