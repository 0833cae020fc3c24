from __future__ import annotations

from uuid import UUID

import msgspec

from commands.unit_of_work import UnitOfWork
from domain.agents.agent import Agent, AgentProfile


class CreateAgent(msgspec.Struct, frozen=True, kw_only=True):
    agent_id: UUID
    profile: AgentProfile


def handle(command: CreateAgent, uow: UnitOfWork) -> Agent:
    agent = uow.get(Agent, command.agent_id)
    agent.create(uow.context.workspace, command.profile, uow.context.now)
    return agent
