from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.integrations.integration import Integration, IntegrationConfig, IntegrationCreated


class CreateIntegration(msgspec.Struct, frozen=True, kw_only=True):
    integration_id: UUID
    type_id: str
    name: str
    config: IntegrationConfig


def handle(command: CreateIntegration, uow: UnitOfWork) -> Integration:
    integration = uow.get(Integration, command.integration_id)
    integration.create(
        IntegrationCreated(
            workspace_id=uow.context.workspace,
            type_id=command.type_id,
            name=command.name,
            config=command.config,
            at=uow.context.now,
        )
    )
    return integration
