from __future__ import annotations

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.aegis.policy import Edict, SecurityPolicy, policy_id


class ReplaceEdicts(msgspec.Struct, frozen=True, kw_only=True):
    edicts: list[Edict]


def handle(command: ReplaceEdicts, uow: UnitOfWork) -> SecurityPolicy:
    workspace = uow.context.workspace
    policy = uow.get(SecurityPolicy, policy_id(workspace))
    policy.replace_edicts(workspace, command.edicts, uow.context.now)
    return policy
