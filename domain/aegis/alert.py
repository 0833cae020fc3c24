"""Aegis security alerts: each one an aggregate raised once, by a rule, a scan or a workflow."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.shared import Aggregate, Conflict, Event, InvalidInput, NotFound

MAX_TEXT = 2000


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class AlertStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    DISMISSED = "dismissed"


class SecurityAlertRaised(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    type: str
    explanation: str
    risk_level: RiskLevel
    source: str
    actor_id: UUID | None = None
    at: datetime


class AlertAcknowledged(Event, frozen=True, kw_only=True):
    note: str | None
    by: UUID | None
    at: datetime


class AlertDismissed(Event, frozen=True, kw_only=True):
    note: str | None
    by: UUID | None
    at: datetime


class AlertNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Alert not found.")


class Alert(Aggregate):
    category = "alert"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.workspace_id: UUID | None = None
        self.risk_level = RiskLevel.LOW
        self.status = AlertStatus.OPEN

    def raise_alert(self, event: SecurityAlertRaised) -> None:
        if self.exists:
            raise Conflict("This alert was already raised.")
        if not event.type.strip() or not event.explanation.strip():
            raise InvalidInput("An alert needs a type and an explanation.")
        if max(len(event.type), len(event.explanation)) > MAX_TEXT:
            raise InvalidInput(f"An alert's type and explanation are at most {MAX_TEXT} chars.")
        self.record(event)

    def visible_to(self, workspace_id: UUID) -> Alert:
        if not self.exists or self.workspace_id != workspace_id:
            raise AlertNotFound()
        return self

    def acknowledge(self, note: str | None, by: UUID | None, at: datetime) -> None:
        if self.status is not AlertStatus.OPEN:
            raise Conflict(f"Only an open alert can be acknowledged; this one is {self.status}.")
        self.record(AlertAcknowledged(note=note, by=by, at=at))

    def dismiss(self, note: str | None, by: UUID | None, at: datetime) -> None:
        if self.status is AlertStatus.DISMISSED:
            raise Conflict("This alert is already dismissed.")
        self.record(AlertDismissed(note=note, by=by, at=at))

    def apply(self, event: Event) -> None:
        match event:
            case SecurityAlertRaised():
                self.workspace_id = event.workspace_id
                self.risk_level = event.risk_level
            case AlertAcknowledged():
                self.status = AlertStatus.ACKNOWLEDGED
            case AlertDismissed():
                self.status = AlertStatus.DISMISSED
            case _:
                super().apply(event)
