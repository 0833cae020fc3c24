from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response

from api.commanding import run
from api.consistency import settle
from api.pagination import Cursor, Limit, decode_cursor, paginate
from api.routes import delete, get, post, put
from api.schemas import (
    AdminOverview,
    InvitationOut,
    InvitationRequest,
    RoleChangeRequest,
    UserOut,
    user_from_row,
)
from api.security import Member, requires
from api.services import Services
from commands.members.change_member_role import ChangeMemberRole
from commands.members.invite_member import InviteMember
from commands.members.remove_member import RemoveMember
from domain.identity.invitation import Invitation
from domain.identity.policy import Permission
from domain.shared import NotFound
from domain.workspaces.workspace import PlanTier
from projections.agents.queries import count_agents
from projections.users.queries import count_users, get_user, list_users
from projections.workspaces.queries import get_workspace


class AdminController(Controller):
    path = "/admin"
    tags = ["Admin"]

    @get("/overview", operation_id="getAdminOverview", **requires(Permission.VIEW_ADMIN))
    async def overview(self, member: Member, services: Services) -> AdminOverview:
        """Get an overview of workspace statistics. Requires ADMIN role."""
        workspace = await get_workspace(services.pool, member.workspace_id)
        if workspace is None:
            raise NotFound("Workspace not found.")
        agents = await count_agents(services.pool, member.workspace_id)
        return AdminOverview(
            user_count=await count_users(services.pool, member.workspace_id),
            agent_count=agents["total"],
            active_agent_count=agents["active"],
            credit_balance=float(workspace["credits"]),
            plan_tier=PlanTier(workspace["plan_tier"]),
        )

    @get("/users", operation_id="listWorkspaceUsers", **requires(Permission.VIEW_ADMIN))
    async def users(
        self,
        request: Request[Any, Any, Any],
        member: Member,
        services: Services,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Response[list[UserOut]]:
        """List all users in the workspace, newest first. Requires ADMIN role."""
        rows = await list_users(
            services.pool, member.workspace_id, limit + 1, decode_cursor(cursor)
        )
        page, headers = paginate(request, rows, limit)
        return Response([user_from_row(r) for r in page], headers=headers)

    @post(
        "/invitations",
        operation_id="inviteMember",
        status_code=201,
        **requires(Permission.MANAGE_MEMBERS),
    )
    async def invite(
        self,
        request: Request[Any, Any, Any],
        data: InvitationRequest,
        member: Member,
        services: Services,
    ) -> Response[InvitationOut]:
        """Invite someone by email with a role; pass them the single-use token (valid 7 days)."""
        token = secrets.token_urlsafe(32)

        def render(invitation: Invitation) -> InvitationOut:
            assert invitation.expires_at is not None
            return InvitationOut(
                id=invitation.id,
                email=invitation.email,
                role=invitation.role,
                invite_token=token,
                expires_at=invitation.expires_at,
            )

        command = InviteMember(email=data.email, role=data.role, token=token)
        return await run(request, services, command, member.context(), render, status=201)

    @put(
        "/users/{userId:uuid}",
        operation_id="changeMemberRole",
        **requires(Permission.MANAGE_MEMBERS),
    )
    async def change_role(
        self, userId: UUID, data: RoleChangeRequest, member: Member, services: Services
    ) -> UserOut:
        """Change a member's role (not your own; the last ADMIN stays ADMIN)."""
        outcome = await services.bus.execute(
            ChangeMemberRole(user_id=userId, role=data.role), member.context()
        )
        await settle(services, outcome, ("users",))
        row = await get_user(services.pool, member.workspace_id, userId)
        if row is None:
            raise NotFound("No such member in this workspace.")
        return user_from_row(row)

    @delete(
        "/users/{userId:uuid}", operation_id="removeMember", **requires(Permission.MANAGE_MEMBERS)
    )
    async def remove(
        self, request: Request[Any, Any, Any], userId: UUID, member: Member, services: Services
    ) -> Response[None]:
        """Remove a member: their tokens stop working at once (not yourself, not the last ADMIN)."""
        return await run(
            request,
            services,
            RemoveMember(user_id=userId),
            member.context(),
            render=lambda _: None,
            status=204,
            projections=("users",),
        )
