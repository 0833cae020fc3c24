from __future__ import annotations

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.aegis.policy import SecurityPolicy, policy_id


class ReplaceThreatIndicators(msgspec.Struct, frozen=True, kw_only=True):
    domains: list[str]
    ips: list[str]


def handle(command: ReplaceThreatIndicators, uow: UnitOfWork) -> SecurityPolicy:
    workspace = uow.context.workspace
    policy = uow.get(SecurityPolicy, policy_id(workspace))
    policy.replace_indicators(workspace, command.domains, command.ips, uow.context.now)
    return policy
