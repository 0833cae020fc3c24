from __future__ import annotations

from litestar import Controller, Response, get, put
from msgspec import UNSET

from api.consistency import settle
from api.schemas import UserOut, UserUpdateRequest, user_from_row
from api.security import Member
from api.services import Services
from api.views import user_view
from commands.context import Context
from commands.identity.update_profile import UpdateProfile
from domain.shared import NotFound
from projections.users.queries import get_user


class UsersController(Controller):
    path = "/users"
    tags = ["Users"]

    @get("/me", operation_id="getCurrentUser")
    async def get_me(self, member: Member, services: Services) -> UserOut:
        """Retrieve the authenticated user's profile."""
        row = await get_user(services.pool, member.workspace_id, member.user_id)
        if row is None:
            raise NotFound("User not found.")
        return user_from_row(row)

    @put("/me", operation_id="updateCurrentUser")
    async def update_me(
        self, data: UserUpdateRequest, member: Member, services: Services
    ) -> Response[UserOut]:
        """Update the authenticated user's profile."""
        changes = {
            field: getattr(data, field)
            for field in ("first_name", "last_name", "email", "agent_alias")
            if getattr(data, field) is not UNSET
        }
        if changes.get("email", "") is None:
            del changes["email"]
        outcome = await services.bus.execute(
            UpdateProfile(user_id=member.user_id, changes=changes),
            Context.new(member.workspace_id, member.user_id),
        )
        headers = await settle(services, outcome, ("users",))
        return Response(user_view(outcome.result), headers=headers)
