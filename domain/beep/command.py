"""A BEEP command as it was processed: what was scanned, planned, run and charged."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import msgspec

from domain.aegis.alert import RiskLevel
from domain.shared import Aggregate, Conflict, Event


class ToolRun(msgspec.Struct, frozen=True, kw_only=True):
    """One planned call and what became of it: `ok`, `failed`, `denied` or `unresolved`."""

    tool: str
    args: dict[str, Any]
    status: str
    detail: str | None = None


class BeepCommandProcessed(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    user_id: UUID
    text: str
    risk_level: RiskLevel | None
    findings: list[str]
    blocked: bool
    tools: list[ToolRun]
    actions: int
    charged: Decimal
    at: datetime


class BeepCommand(Aggregate):
    category = "beep_command"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.succeeded = False

    def process(self, event: BeepCommandProcessed) -> None:
        if self.exists:
            raise Conflict("This command was already processed.")
        self.record(event)

    def apply(self, event: Event) -> None:
        match event:
            case BeepCommandProcessed():
                self.succeeded = (
                    not event.blocked
                    and bool(event.tools)
                    and all(t.status == "ok" for t in event.tools)
                )
            case _:
                super().apply(event)
