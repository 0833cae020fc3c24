"""An agent of the workspace: a named worker with a type, a description and a status."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

import msgspec

from domain.shared import Aggregate, Conflict, Event, NotFound


class AgentStatus(StrEnum):
    ACTIVE = "active"
    IDLE = "idle"
    PROCESSING = "processing"
    PAUSED = "paused"
    ERROR = "error"


class AgentProfile(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    type: str
    description: str | None = None
    status: AgentStatus = AgentStatus.IDLE


class AgentCreated(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    profile: AgentProfile
    at: datetime


class AgentUpdated(Event, frozen=True, kw_only=True):
    profile: AgentProfile
    at: datetime


class AgentDeleted(Event, frozen=True, kw_only=True):
    at: datetime


class AgentNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Agent not found.")


class Agent(Aggregate):
    category = "agent"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.workspace_id: UUID | None = None
        self.profile: AgentProfile | None = None
        self.deleted = False

    def create(self, workspace_id: UUID, profile: AgentProfile, at: datetime) -> None:
        if self.exists:
            raise Conflict("An agent with this id already exists.")
        self.record(AgentCreated(workspace_id=workspace_id, profile=profile, at=at))

    def visible_to(self, workspace_id: UUID) -> Agent:
        if not self.exists or self.deleted or self.workspace_id != workspace_id:
            raise AgentNotFound()
        return self

    def update(self, profile: AgentProfile, at: datetime) -> None:
        if profile != self.profile:
            self.record(AgentUpdated(profile=profile, at=at))

    def delete(self, at: datetime) -> None:
        self.record(AgentDeleted(at=at))

    def apply(self, event: Event) -> None:
        match event:
            case AgentCreated():
                self.workspace_id = event.workspace_id
                self.profile = event.profile
            case AgentUpdated():
                self.profile = event.profile
            case AgentDeleted():
                self.deleted = True
            case _:
                super().apply(event)
