from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.identity.refresh import RefreshFamily


class LogOut(msgspec.Struct, frozen=True, kw_only=True):
    family_id: UUID


def handle(command: LogOut, uow: UnitOfWork) -> None:
    uow.get(RefreshFamily, command.family_id).revoke("logout", uow.context.now)
