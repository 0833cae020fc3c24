from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response

from api.commanding import etag_value, expected_version, run
from api.pagination import Cursor, Limit, decode_cursor, paginate
from api.routes import delete, get, post, put
from api.schemas import AgentOut, AgentRequest, AgentUpdateRequest, changes_of
from api.security import Member, requires
from api.services import Services
from commands.agents.create_agent import CreateAgent
from commands.agents.delete_agent import DeleteAgent
from commands.agents.update_agent import UpdateAgent
from commands.unit_of_work import mint
from domain.agents.agent import Agent, AgentNotFound, AgentProfile, AgentStatus
from domain.identity.policy import Permission
from projections.agents.queries import get_agent, list_agents

AGENTS = ("agents",)


def agent_view(agent: Agent) -> AgentOut:
    assert agent.profile is not None
    profile = agent.profile
    return AgentOut(
        id=agent.id,
        name=profile.name,
        type=profile.type,
        description=profile.description,
        status=profile.status,
    )


def agent_from_row(row: dict[str, Any]) -> AgentOut:
    return AgentOut(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        description=row["description"],
        status=AgentStatus(row["status"]),
    )


class AgentsController(Controller):
    path = "/agents"
    tags = ["Agents"]

    @get("/", operation_id="listAgents", **requires(Permission.READ))
    async def list(
        self,
        request: Request[Any, Any, Any],
        member: Member,
        services: Services,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> Response[list[AgentOut]]:
        """The workspace's agents, newest first."""
        rows = await list_agents(
            services.pool, member.workspace_id, limit + 1, decode_cursor(cursor)
        )
        page, headers = paginate(request, rows, limit)
        return Response([agent_from_row(r) for r in page], headers=headers)

    @post("/", operation_id="createAgent", status_code=201, **requires(Permission.WRITE_AGENTS))
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: AgentRequest,
        member: Member,
        services: Services,
    ) -> Response[AgentOut]:
        """Create an agent (ADMIN, MANAGER)."""
        profile = AgentProfile(
            name=data.name, type=data.type, description=data.description, status=data.status
        )
        command = CreateAgent(agent_id=mint(), profile=profile)
        return await run(
            request,
            services,
            command,
            member.context(),
            agent_view,
            status=201,
            projections=AGENTS,
            etag=lambda a: a.version,
        )

    @get("/{agentId:uuid}", operation_id="getAgent", **requires(Permission.READ))
    async def get(self, agentId: UUID, member: Member, services: Services) -> Response[AgentOut]:
        """Retrieve one agent."""
        row = await get_agent(services.pool, member.workspace_id, agentId)
        if row is None:
            raise AgentNotFound()
        return Response(agent_from_row(row), headers={"ETag": etag_value(row["version"])})

    @put("/{agentId:uuid}", operation_id="updateAgent", **requires(Permission.WRITE_AGENTS))
    async def update(
        self,
        request: Request[Any, Any, Any],
        agentId: UUID,
        data: AgentUpdateRequest,
        member: Member,
        services: Services,
    ) -> Response[AgentOut]:
        """Change an agent's name, type, description or status (`If-Match` supported)."""
        command = UpdateAgent(
            agent_id=agentId, changes=changes_of(data), expected_version=expected_version(request)
        )
        return await run(
            request,
            services,
            command,
            member.context(),
            agent_view,
            projections=AGENTS,
            etag=lambda a: a.version,
        )

    @delete("/{agentId:uuid}", operation_id="deleteAgent", **requires(Permission.WRITE_AGENTS))
    async def delete(
        self, request: Request[Any, Any, Any], agentId: UUID, member: Member, services: Services
    ) -> Response[None]:
        """Delete an agent (then 404)."""
        command = DeleteAgent(agent_id=agentId, expected_version=expected_version(request))
        return await run(
            request,
            services,
            command,
            member.context(),
            lambda _: None,
            status=204,
            projections=AGENTS,
        )
