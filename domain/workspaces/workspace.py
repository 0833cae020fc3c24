from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.identity.roles import Role
from domain.shared import Aggregate, Conflict, Event, NotFound


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


class MemberRoleChanged(Event, frozen=True, kw_only=True):
    user_id: UUID
    role: Role
    previous: Role
    at: datetime


class LastAdminGuardHit(Event, frozen=True, kw_only=True):
    """Someone tried to demote or remove the workspace's last ADMIN, and was refused."""

    user_id: UUID
    by: UUID
    at: datetime


class LastAdminKept(Conflict):
    def __init__(self) -> None:
        super().__init__("The last ADMIN of a workspace cannot be demoted or removed.")


class MemberRemoved(Event, frozen=True, kw_only=True):
    user_id: UUID
    at: datetime


class MemberNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such member in this workspace.")


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

    def admit(self, user_id: UUID, role: Role, at: datetime) -> None:
        if user_id not in self.members:
            self.record(MemberJoined(user_id=user_id, role=role, at=at))

    def change_role(self, user_id: UUID, role: Role, by: UUID, at: datetime) -> None:
        previous = self._member_other_than(user_id, by)
        if previous is role:
            return
        if previous is Role.ADMIN:
            self._keep_an_admin()
        self.record(MemberRoleChanged(user_id=user_id, role=role, previous=previous, at=at))

    def remove(self, user_id: UUID, by: UUID, at: datetime) -> None:
        if self._member_other_than(user_id, by) is Role.ADMIN:
            self._keep_an_admin()
        self.record(MemberRemoved(user_id=user_id, at=at))

    def _member_other_than(self, user_id: UUID, by: UUID) -> Role:
        role = self.members.get(user_id)
        if role is None:
            raise MemberNotFound()
        if user_id == by:
            if role is Role.ADMIN:
                self._keep_an_admin()
            raise Conflict("You cannot change or remove your own membership.")
        return role

    def _keep_an_admin(self) -> None:
        if sum(role is Role.ADMIN for role in self.members.values()) <= 1:
            raise LastAdminKept()

    def note_guard_hit(self, user_id: UUID, by: UUID, at: datetime) -> None:
        self.record(LastAdminGuardHit(user_id=user_id, by=by, at=at))

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
            case MemberJoined() | MemberRoleChanged():
                self.members[event.user_id] = event.role
            case MemberRemoved():
                del self.members[event.user_id]
            case WorkspaceRenamed():
                self.name = event.name
            case PlanTierChanged():
                self.plan_tier = event.plan_tier
            case LastAdminGuardHit():
                pass
            case _:
                super().apply(event)
