from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from domain.identity.roles import Psyche, Role
from domain.shared import Aggregate, Event


class UserRegistered(Event, frozen=True, kw_only=True):
    user_id: UUID
    workspace_id: UUID
    email: str
    role: Role
    psyche: Psyche | None
    first_name: str | None = None
    last_name: str | None = None
    agent_alias: str | None = None
    what_must_end: str | None = None
    goal: str | None = None
    at: datetime


class PasswordHashSet(Event, frozen=True, kw_only=True):
    secret_fields = ("password_hash",)
    password_hash: str
    at: datetime


class UserProfileUpdated(Event, frozen=True, kw_only=True):
    email: str
    first_name: str | None
    last_name: str | None
    agent_alias: str | None
    at: datetime


class UserLoggedIn(Event, frozen=True, kw_only=True):
    at: datetime
    ip: str | None = None


class UserRemoved(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    at: datetime


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    first_name: str | None
    last_name: str | None
    agent_alias: str | None


class User(Aggregate):
    category = "user"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.workspace_id: UUID | None = None
        self.email = ""
        self.role: Role | None = None
        self.psyche: Psyche | None = None
        self.first_name: str | None = None
        self.last_name: str | None = None
        self.agent_alias: str | None = None
        self.password_hash = ""
        self.last_login_at: datetime | None = None
        self.removed = False

    def register(self, event: UserRegistered, password_hash: str) -> None:
        self.record(event)
        self.record(PasswordHashSet(password_hash=password_hash, at=event.at))

    def update_profile(self, profile: Profile, at: datetime) -> None:
        self.record(
            UserProfileUpdated(
                email=profile.email,
                first_name=profile.first_name,
                last_name=profile.last_name,
                agent_alias=profile.agent_alias,
                at=at,
            )
        )

    def log_in(self, at: datetime, ip: str | None = None) -> None:
        self.record(UserLoggedIn(at=at, ip=ip))

    def remove(self, at: datetime) -> None:
        if self.workspace_id is not None and not self.removed:
            self.record(UserRemoved(workspace_id=self.workspace_id, at=at))

    def apply(self, event: Event) -> None:
        match event:
            case UserRegistered():
                self.workspace_id = event.workspace_id
                self.email = event.email
                self.role = event.role
                self.psyche = event.psyche
                self.first_name = event.first_name
                self.last_name = event.last_name
                self.agent_alias = event.agent_alias
            case PasswordHashSet():
                self.password_hash = event.password_hash
            case UserProfileUpdated():
                self.email = event.email
                self.first_name = event.first_name
                self.last_name = event.last_name
                self.agent_alias = event.agent_alias
            case UserLoggedIn():
                self.last_login_at = event.at
            case UserRemoved():
                self.removed = True
            case _:
                super().apply(event)
