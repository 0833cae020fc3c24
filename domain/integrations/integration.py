"""A connected integration. Its secret settings arrive sealed (encrypted by the caller) with a
masked form for display; events never hold them in clear text."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from domain.integrations.catalogue import CATALOGUE, is_secret
from domain.shared import Aggregate, Conflict, Event, InvalidInput, NotFound

MAX_FIELDS = 30


class Sealed(msgspec.Struct, frozen=True):
    masked: str
    sealed: str


class IntegrationConfig(msgspec.Struct, frozen=True, kw_only=True):
    plain: dict[str, str] = {}
    secrets: dict[str, Sealed] = {}

    def merged(self, update: IntegrationConfig) -> IntegrationConfig:
        return IntegrationConfig(
            plain={k: v for k, v in self.plain.items() if k not in update.secrets} | update.plain,
            secrets={k: v for k, v in self.secrets.items() if k not in update.plain}
            | update.secrets,
        )

    def names(self) -> set[str]:
        return set(self.plain) | set(self.secrets)


class IntegrationCreated(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    type_id: str
    name: str
    config: IntegrationConfig
    at: datetime


class IntegrationUpdated(Event, frozen=True, kw_only=True):
    name: str
    config: IntegrationConfig
    at: datetime


class IntegrationDeleted(Event, frozen=True, kw_only=True):
    at: datetime


class IntegrationNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("Integration not found.")


def check_config(type_id: str, config: IntegrationConfig) -> None:
    kind = CATALOGUE.get(type_id)
    if kind is None:
        raise InvalidInput(f"Unknown integration type {type_id!r}; see /integrations/catalogue.")
    if len(config.names()) > MAX_FIELDS:
        raise InvalidInput(f"An integration has at most {MAX_FIELDS} settings.")
    if any(is_secret(name) for name in config.plain):
        raise InvalidInput("Secret settings must be sealed before they are stored.")
    missing = [f.name for f in kind.config_fields if f.required and f.name not in config.names()]
    if missing:
        raise InvalidInput(f"{kind.name} needs " + ", ".join(missing) + ".")


class Integration(Aggregate):
    category = "integration"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.workspace_id: UUID | None = None
        self.type_id = ""
        self.name = ""
        self.config = IntegrationConfig()
        self.deleted = False

    def create(self, event: IntegrationCreated) -> None:
        if self.exists:
            raise Conflict("An integration with this id already exists.")
        check_config(event.type_id, event.config)
        self.record(event)

    def visible_to(self, workspace_id: UUID) -> Integration:
        if not self.exists or self.deleted or self.workspace_id != workspace_id:
            raise IntegrationNotFound()
        return self

    def update(self, name: str, config: IntegrationConfig, at: datetime) -> None:
        merged = self.config.merged(config)
        check_config(self.type_id, merged)
        if (name, merged) != (self.name, self.config):
            self.record(IntegrationUpdated(name=name, config=merged, at=at))

    def delete(self, at: datetime) -> None:
        self.record(IntegrationDeleted(at=at))

    def apply(self, event: Event) -> None:
        match event:
            case IntegrationCreated():
                self.workspace_id = event.workspace_id
                self.type_id, self.name, self.config = event.type_id, event.name, event.config
            case IntegrationUpdated():
                self.name, self.config = event.name, event.config
            case IntegrationDeleted():
                self.deleted = True
            case _:
                super().apply(event)
