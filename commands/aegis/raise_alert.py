"""Raises an alert decided by an Aegis rule; the alert's id comes from what triggered it, so a
rule evaluated twice (a restart, a replay) raises it once."""

from __future__ import annotations

from uuid import UUID

import msgspec

from commands.actions import AlertArgs, raise_alert
from commands.unit_of_work import UnitOfWork
from domain.aegis.alert import Alert


class RaiseAlert(msgspec.Struct, frozen=True, kw_only=True):
    alert_id: UUID
    alert: AlertArgs
    source: str
    actor_id: UUID | None = None


def handle(command: RaiseAlert, uow: UnitOfWork) -> Alert:
    alert = uow.get(Alert, command.alert_id)
    if alert.exists:
        return alert
    uow.act_as(uow.context.workspace_id, command.actor_id)
    raise_alert(uow, command.alert, command.alert_id, command.source)
    return alert
