from __future__ import annotations

from litestar import Controller, Response, get, put
from litestar.exceptions import PermissionDeniedException
from msgspec import UNSET

from api.consistency import settle
from api.schemas import WorkspaceOut, WorkspaceUpdateRequest, workspace_from_row
from api.security import Member
from api.services import Services
from commands.context import Context
from commands.workspaces.update_workspace import UpdateWorkspace
from domain.identity.roles import Role
from domain.shared import NotFound
from projections.workspaces.queries import get_workspace

RENAMERS = {Role.ADMIN, Role.MANAGER}


class WorkspacesController(Controller):
    path = "/workspaces"
    tags = ["Workspaces"]

    @get("/me", operation_id="getCurrentWorkspace")
    async def get_me(self, member: Member, services: Services) -> WorkspaceOut:
        """Retrieve the authenticated user's current workspace details."""
        row = await get_workspace(services.pool, member.workspace_id)
        if row is None:
            raise NotFound("Workspace not found.")
        return workspace_from_row(row)

    @put("/me", operation_id="updateCurrentWorkspace")
    async def update_me(
        self, data: WorkspaceUpdateRequest, member: Member, services: Services
    ) -> Response[WorkspaceOut]:
        """Update the current workspace: renaming needs ADMIN or MANAGER, the plan ADMIN."""
        name = data.name if data.name is not UNSET else None
        plan_tier = data.plan_tier if data.plan_tier is not UNSET else None
        if name is not None and member.role not in RENAMERS:
            raise PermissionDeniedException("Only an ADMIN or MANAGER may rename the workspace.")
        if plan_tier is not None and member.role is not Role.ADMIN:
            raise PermissionDeniedException("Only an ADMIN may change the plan.")
        outcome = await services.bus.execute(
            UpdateWorkspace(workspace_id=member.workspace_id, name=name, plan_tier=plan_tier),
            Context.new(member.workspace_id, member.user_id),
        )
        headers = await settle(services, outcome, ("workspaces",))
        return Response(await self.get_me.fn(self, member, services), headers=headers)
