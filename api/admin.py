from __future__ import annotations

from litestar import Controller, get

from api.schemas import AdminOverview, UserOut, user_from_row
from api.security import Member, allow
from api.services import Services
from domain.identity.roles import Role
from domain.shared import NotFound
from domain.workspaces.workspace import PlanTier
from projections.users.queries import count_users, list_users
from projections.workspaces.queries import get_workspace


class AdminController(Controller):
    path = "/admin"
    tags = ["Admin"]
    guards = [allow(Role.ADMIN)]

    @get("/overview", operation_id="getAdminOverview", description="Requires ADMIN role.")
    async def overview(self, member: Member, services: Services) -> AdminOverview:
        """Get an overview of workspace statistics."""
        workspace = await get_workspace(services.pool, member.workspace_id)
        if workspace is None:
            raise NotFound("Workspace not found.")
        # Agents arrive with the agents resource; until then a workspace has none.
        return AdminOverview(
            user_count=await count_users(services.pool, member.workspace_id),
            agent_count=0,
            active_agent_count=0,
            credit_balance=float(workspace["credits"]),
            plan_tier=PlanTier(workspace["plan_tier"]),
        )

    @get("/users", operation_id="listWorkspaceUsers", description="Requires ADMIN role.")
    async def users(self, member: Member, services: Services) -> list[UserOut]:
        """List all users in the workspace."""
        rows = await list_users(services.pool, member.workspace_id, 200)
        return [user_from_row(r) for r in rows]
