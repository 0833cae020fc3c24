from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.identity.roles import Role
from domain.shared import Aggregate, Event


class PlanTier(StrEnum):
    APPRENTICE = "Apprentice"
    ARTISAN = "Artisan"
    PRIESTHOOD = "Priesthood"


class WorkspaceCreated(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    name: str
    owner_id: UUID
    plan_tier: PlanTier
    at: datetime


class MemberJoined(Event, frozen=True, kw_only=True):
    user_id: UUID
    role: Role
    at: datetime


class WorkspaceRenamed(Event, frozen=True, kw_only=True):
    name: str
    at: datetime


class PlanTierChanged(Event, frozen=True, kw_only=True):
    plan_tier: PlanTier
    previous: PlanTier
    at: datetime


class Workspace(Aggregate):
    category = "workspace"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.name = ""
        self.plan_tier = PlanTier.APPRENTICE
        self.members: dict[UUID, Role] = {}

    def create(self, name: str, owner_id: UUID, at: datetime) -> None:
        self.record(
            WorkspaceCreated(
                workspace_id=self.id,
                name=name,
                owner_id=owner_id,
                plan_tier=PlanTier.APPRENTICE,
                at=at,
            )
        )
        self.record(MemberJoined(user_id=owner_id, role=Role.ADMIN, at=at))

    def rename(self, name: str, at: datetime) -> None:
        if name != self.name:
            self.record(WorkspaceRenamed(name=name, at=at))

    def change_plan(self, plan_tier: PlanTier, at: datetime) -> None:
        if plan_tier != self.plan_tier:
            self.record(PlanTierChanged(plan_tier=plan_tier, previous=self.plan_tier, at=at))

    def apply(self, event: Event) -> None:
        match event:
            case WorkspaceCreated():
                self.name = event.name
                self.plan_tier = event.plan_tier
            case MemberJoined():
                self.members[event.user_id] = event.role
            case WorkspaceRenamed():
                self.name = event.name
            case PlanTierChanged():
                self.plan_tier = event.plan_tier
            case _:
                super().apply(event)
