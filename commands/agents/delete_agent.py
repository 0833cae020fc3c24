from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.agents.agent import Agent
from domain.shared import expect_version


class DeleteAgent(msgspec.Struct, frozen=True, kw_only=True):
    agent_id: UUID
    expected_version: int | None = None


def handle(command: DeleteAgent, uow: UnitOfWork) -> None:
    agent = uow.get(Agent, command.agent_id).visible_to(uow.context.workspace)
    expect_version(agent, command.expected_version)
    agent.delete(uow.context.now)
