from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response

from api.commanding import etag_value, expected_version, run
from api.routes import get, put
from api.schemas import UserOut, UserUpdateRequest, changes_of, user_from_row
from api.security import Member, requires
from api.services import Services
from api.views import user_view
from commands.identity.update_profile import UpdateProfile
from domain.identity.policy import Permission
from domain.shared import NotFound
from projections.users.queries import get_user


class UsersController(Controller):
    path = "/users"
    tags = ["Users"]

    @get("/me", operation_id="getCurrentUser", **requires(Permission.READ))
    async def get_me(self, member: Member, services: Services) -> Response[UserOut]:
        """Retrieve the authenticated user's profile."""
        row = await get_user(services.pool, member.workspace_id, member.user_id)
        if row is None:
            raise NotFound("User not found.")
        return Response(user_from_row(row), headers={"ETag": etag_value(row["version"])})

    @put("/me", operation_id="updateCurrentUser", **requires(Permission.EDIT_OWN_PROFILE))
    async def update_me(
        self,
        request: Request[Any, Any, Any],
        data: UserUpdateRequest,
        member: Member,
        services: Services,
    ) -> Response[UserOut]:
        """Update the authenticated user's profile (`If-Match` guards against lost updates)."""
        changes = changes_of(data)
        if changes.get("email", "") is None:
            del changes["email"]
        command = UpdateProfile(
            user_id=member.user_id, changes=changes, expected_version=expected_version(request)
        )
        return await run(
            request,
            services,
            command,
            member.context(),
            render=lambda user: user_view(user, member.role),
            projections=("users",),
            etag=lambda user: user.version,
        )
