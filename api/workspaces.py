from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response
from litestar.exceptions import PermissionDeniedException

from api.commanding import etag_value, expected_version
from api.consistency import settle
from api.routes import get, put
from api.schemas import WorkspaceOut, WorkspaceUpdateRequest, changes_of, workspace_from_row
from api.security import Member, requires
from api.services import Services
from commands.workspaces.update_workspace import UpdateWorkspace
from domain.identity.policy import Permission, allows
from domain.shared import NotFound
from projections.workspaces.queries import get_workspace


class WorkspacesController(Controller):
    path = "/workspaces"
    tags = ["Workspaces"]

    @get("/me", operation_id="getCurrentWorkspace", **requires(Permission.READ))
    async def get_me(self, member: Member, services: Services) -> Response[WorkspaceOut]:
        """Retrieve the authenticated user's current workspace details."""
        row = await get_workspace(services.pool, member.workspace_id)
        if row is None:
            raise NotFound("Workspace not found.")
        return Response(workspace_from_row(row), headers={"ETag": etag_value(row["version"])})

    @put("/me", operation_id="updateCurrentWorkspace", **requires(Permission.RENAME_WORKSPACE))
    async def update_me(
        self,
        request: Request[Any, Any, Any],
        data: WorkspaceUpdateRequest,
        member: Member,
        services: Services,
    ) -> Response[WorkspaceOut]:
        """Rename the workspace (ADMIN, MANAGER) or change its plan (ADMIN); never its credits."""
        changes = {k: v for k, v in changes_of(data).items() if v is not None}
        if "plan_tier" in changes and not allows(member.role, Permission.CHANGE_PLAN):
            raise PermissionDeniedException(f"Your role may not {Permission.CHANGE_PLAN.value}.")
        command = UpdateWorkspace(
            workspace_id=member.workspace_id,
            expected_version=expected_version(request),
            **changes,
        )
        outcome = await services.bus.execute(command, member.context())
        headers = await settle(services, outcome, ("workspaces",))
        row = await get_workspace(services.pool, member.workspace_id)
        if row is None:
            raise NotFound("Workspace not found.")
        headers["ETag"] = etag_value(row["version"])
        return Response(workspace_from_row(row), headers=headers)
