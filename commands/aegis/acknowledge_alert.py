from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.aegis.alert import Alert


class AcknowledgeAlert(msgspec.Struct, frozen=True, kw_only=True):
    alert_id: UUID
    note: str | None = None


def handle(command: AcknowledgeAlert, uow: UnitOfWork) -> Alert:
    context = uow.context
    alert = uow.get(Alert, command.alert_id).visible_to(context.workspace)
    alert.acknowledge(command.note, context.actor_id, context.now)
    return alert
