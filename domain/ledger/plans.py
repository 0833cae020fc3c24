"""Plans and agent-action costs (domain-reference.md)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from domain.workspaces.workspace import PlanTier

MONTHLY_ACTIONS: dict[PlanTier, int | None] = {
    PlanTier.APPRENTICE: 100,
    PlanTier.ARTISAN: 2000,
    PlanTier.PRIESTHOOD: None,  # unlimited
}
PRICE_PER_ACTION = Decimal(1)


class ActionKind(StrEnum):
    SIMPLE_STEP = "simple_step"
    COMPLEX_STEP = "complex_step"
    TOOL_USE = "tool_use"
    EXTERNAL_CALL = "external_call"
    IMAGE = "image"
    AEGIS_SCAN = "aegis_scan"
    DOSSIER_EXPORT = "dossier_export"


ACTION_COST: dict[ActionKind, int] = {
    ActionKind.SIMPLE_STEP: 1,
    ActionKind.COMPLEX_STEP: 2,
    ActionKind.TOOL_USE: 1,
    ActionKind.EXTERNAL_CALL: 2,
    ActionKind.IMAGE: 5,
    ActionKind.AEGIS_SCAN: 2,
    ActionKind.DOSSIER_EXPORT: 5,
}


def actions_for(kind: ActionKind, multiplier: float = 1.0) -> int:
    # The tolerance keeps float noise (3 × 1.1 = 3.3000000000000003) from adding an action.
    return math.ceil(ACTION_COST[kind] * multiplier - 1e-9)


def period_of(at: datetime) -> tuple[datetime, datetime]:
    """The UTC calendar month containing `at`: [start, end)."""
    start = datetime(at.year, at.month, 1, tzinfo=UTC)
    end = datetime(at.year + (at.month == 12), at.month % 12 + 1, 1, tzinfo=UTC)
    return start, end
