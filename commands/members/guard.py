from __future__ import annotations

from uuid import UUID

from commands.bus import Refused
from commands.unit_of_work import UnitOfWork
from domain.workspaces.workspace import LastAdminKept, Workspace


def guard_hit(uow: UnitOfWork, user_id: UUID, refusal: LastAdminKept) -> Refused:
    """Keeps the attempt on record (Aegis watches for it) and refuses the command."""
    context = uow.context
    uow.discard()
    uow.get(Workspace, context.workspace).note_guard_hit(user_id, context.actor, context.now)
    return Refused(refusal)
