from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.integrations.integration import Integration
from domain.shared import expect_version


class DeleteIntegration(msgspec.Struct, frozen=True, kw_only=True):
    integration_id: UUID
    expected_version: int | None = None


def handle(command: DeleteIntegration, uow: UnitOfWork) -> None:
    integration = uow.get(Integration, command.integration_id).visible_to(uow.context.workspace)
    expect_version(integration, command.expected_version)
    integration.delete(uow.context.now)
