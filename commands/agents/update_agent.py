from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.agents.agent import Agent
from domain.shared import expect_version


class UpdateAgent(msgspec.Struct, frozen=True, kw_only=True):
    agent_id: UUID
    changes: dict[str, Any]
    expected_version: int | None = None


def handle(command: UpdateAgent, uow: UnitOfWork) -> Agent:
    agent = uow.get(Agent, command.agent_id).visible_to(uow.context.workspace)
    expect_version(agent, command.expected_version)
    assert agent.profile is not None
    agent.update(msgspec.structs.replace(agent.profile, **command.changes), uow.context.now)
    return agent
