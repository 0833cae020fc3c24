from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.integrations.integration import Integration, IntegrationConfig
from domain.shared import expect_version


class UpdateIntegration(msgspec.Struct, frozen=True, kw_only=True):
    integration_id: UUID
    name: str | None = None
    config: IntegrationConfig = IntegrationConfig()
    expected_version: int | None = None


def handle(command: UpdateIntegration, uow: UnitOfWork) -> Integration:
    integration = uow.get(Integration, command.integration_id).visible_to(uow.context.workspace)
    expect_version(integration, command.expected_version)
    integration.update(command.name or integration.name, command.config, uow.context.now)
    return integration
