from __future__ import annotations

import random
from uuid import uuid4

from litestar import Controller, Response, post

from api.consistency import settle
from api.schemas import AuthResponse, LoginRequest, RegisterRequest
from api.security import issue_access_token
from api.services import Services
from api.views import user_view, workspace_view
from commands.context import Context
from commands.identity.log_in import LogIn
from commands.identity.register_user import RegisterUser

USERS_AND_WORKSPACES = ("users", "workspaces", "ledger")


class AuthController(Controller):
    path = "/auth"
    tags = ["Authentication"]

    @post("/register", operation_id="registerUser", status_code=201, security=[{}])
    async def register(self, data: RegisterRequest, services: Services) -> Response[AuthResponse]:
        """Register a new user and create their default workspace."""
        command = RegisterUser(
            user_id=uuid4(),
            workspace_id=uuid4(),
            grant_id=uuid4(),
            email=data.email,
            password=data.password,
            workspace_name=data.workspace_name,
            psyche=data.psyche,
            agent_alias=data.agent_alias,
            what_must_end=data.what_must_end,
            goal=data.goal,
            pulse_phase=random.uniform(0, 2 * 3.141592653589793),  # noqa: S311 - not security
        )
        outcome = await services.bus.execute(
            command, Context.new(command.workspace_id, command.user_id)
        )
        headers = await settle(services, outcome, USERS_AND_WORKSPACES)
        registered = outcome.result
        body = AuthResponse(
            user=user_view(registered.user),
            workspace=workspace_view(registered.workspace, float(registered.ledger.balance)),
            access_token=issue_access_token(services.auth, services.settings, command.user_id),
            expires_in=services.settings.access_token_minutes * 60,
        )
        return Response(body, status_code=201, headers=headers)

    @post("/login", operation_id="loginUser", status_code=200, security=[{}])
    async def login(self, data: LoginRequest, services: Services) -> Response[AuthResponse]:
        """Exchange an email and password for an access token."""
        outcome = await services.bus.execute(
            LogIn(email=data.email, password=data.password), Context.new(None, None)
        )
        user = outcome.result
        headers = await settle(services, outcome, ("users",))
        body = AuthResponse(
            user=user_view(user),
            access_token=issue_access_token(services.auth, services.settings, user.id),
            expires_in=services.settings.access_token_minutes * 60,
        )
        return Response(body, headers=headers)
