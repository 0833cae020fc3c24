"""A Loom workflow: every change of its definition makes a new version; deleting keeps history."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from domain.loom.definition import TriggerType, validate
from domain.shared import Aggregate, Event, NotFound


class WorkflowCreated(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    name: str
    trigger_type: TriggerType
    is_active: bool
    definition: dict[str, Any]
    at: datetime


class WorkflowUpdated(Event, frozen=True, kw_only=True):
    name: str
    is_active: bool
    definition: dict[str, Any]
    definition_version: int
    at: datetime


class WorkflowDeleted(Event, frozen=True, kw_only=True):
    at: datetime


class WorkflowNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Workflow not found.")


class Workflow(Aggregate):
    category = "workflow"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.workspace_id: UUID | None = None
        self.name = ""
        self.trigger_type = TriggerType.API
        self.is_active = True
        self.definition: dict[str, Any] = {}
        self.definition_version = 0
        self.deleted = False

    def create(self, event: WorkflowCreated) -> None:
        validate(event.definition, event.trigger_type)
        self.record(event)

    def visible_to(self, workspace_id: UUID) -> Workflow:
        if not self.exists or self.deleted or self.workspace_id != workspace_id:
            raise WorkflowNotFound()
        return self

    def update(self, name: str, is_active: bool, definition: dict[str, Any], at: datetime) -> None:
        validate(definition, self.trigger_type)
        if (name, is_active, definition) == (self.name, self.is_active, self.definition):
            return
        version = self.definition_version + (definition != self.definition)
        self.record(
            WorkflowUpdated(
                name=name,
                is_active=is_active,
                definition=definition,
                definition_version=version,
                at=at,
            )
        )

    def delete(self, at: datetime) -> None:
        self.record(WorkflowDeleted(at=at))

    def apply(self, event: Event) -> None:
        match event:
            case WorkflowCreated():
                self.workspace_id = event.workspace_id
                self.name = event.name
                self.trigger_type = event.trigger_type
                self.is_active = event.is_active
                self.definition = event.definition
                self.definition_version = 1
            case WorkflowUpdated():
                self.name = event.name
                self.is_active = event.is_active
                self.definition = event.definition
                self.definition_version = event.definition_version
            case WorkflowDeleted():
                self.deleted = True
            case _:
                super().apply(event)
