from __future__ import annotations

import math
import random
from typing import Any
from uuid import uuid4

from litestar import Controller, Request, Response
from litestar.middleware.rate_limit import RateLimitConfig

from api.consistency import settle
from api.openapi import documented
from api.routes import post
from api.schemas import (
    AcceptInvitationRequest,
    AuthResponse,
    LoginRequest,
    RefreshRequest,
    RegisterRequest,
    TokenResponse,
)
from api.security import Member, TokenIssuer, requires
from api.services import Services
from api.views import user_view, workspace_view
from commands.context import Context
from commands.identity.log_in import LogIn
from commands.identity.log_out import LogOut
from commands.identity.refresh_session import RefreshSession
from commands.identity.register_user import RegisterUser
from commands.members.accept_invitation import AcceptInvitation
from commands.unit_of_work import mint
from domain.identity.errors import InvalidCredentials
from domain.identity.policy import Permission
from domain.identity.refresh import RefreshRejected

EVERY_READ_MODEL = ("users", "workspaces", "ledger")
PUBLIC_OPERATION: dict[str, Any] = {"security": [{}], "operation_class": documented()}


def random_phase() -> float:
    return random.uniform(0, 2 * math.pi)  # noqa: S311 - a pulse phase, not a secret


class AuthController(Controller):
    path = "/auth"
    tags = ["Authentication"]

    @post("/register", operation_id="registerUser", status_code=201, **PUBLIC_OPERATION)
    async def register(self, data: RegisterRequest, services: Services) -> Response[AuthResponse]:
        """Register a new user and create their default workspace."""
        session = TokenIssuer.new_session()
        command = RegisterUser(
            user_id=mint(),
            workspace_id=mint(),
            grant_id=uuid4(),
            email=data.email,
            password=data.password,
            workspace_name=data.workspace_name,
            psyche=data.psyche,
            agent_alias=data.agent_alias,
            what_must_end=data.what_must_end,
            goal=data.goal,
            pulse_phase=random_phase(),
            session=session,
        )
        outcome = await services.bus.execute(
            command, Context.new(command.workspace_id, command.user_id)
        )
        headers = await settle(services, outcome, EVERY_READ_MODEL)
        registered = outcome.result
        body = AuthResponse(
            user=user_view(registered.user),
            workspace=workspace_view(registered.workspace, float(registered.ledger.balance)),
            **tokens(services, registered.user.id, session),
        )
        return Response(body, status_code=201, headers=headers)

    @post("/login", operation_id="loginUser", status_code=200, **PUBLIC_OPERATION)
    async def login(
        self, request: Request[Any, Any, Any], data: LoginRequest, services: Services
    ) -> Response[AuthResponse]:
        """Exchange an email and password for tokens; 429 after 5 failures in 15 minutes."""
        session = TokenIssuer.new_session()
        ip = request.client.host if request.client else None
        outcome = await services.bus.execute(
            LogIn(email=data.email, password=data.password, session=session, ip=ip),
            Context.new(None, None),
        )
        user = outcome.result
        if user is None:
            raise InvalidCredentials()
        headers = await settle(services, outcome, ("users",))
        body = AuthResponse(user=user_view(user), **tokens(services, user.id, session))
        return Response(body, headers=headers)

    @post("/refresh", operation_id="refreshTokens", status_code=200, **PUBLIC_OPERATION)
    async def refresh(self, data: RefreshRequest, services: Services) -> TokenResponse:
        """Rotate a refresh token; presenting a rotated one revokes its whole family (401)."""
        family_id, presented = TokenIssuer.parse_refresh_token(data.refresh_token)
        session = TokenIssuer.new_session(family_id)
        outcome = await services.bus.execute(
            RefreshSession(family_id=family_id, presented=presented, secret=session.secret),
            Context.new(None, None),
        )
        if outcome.result is None:
            raise RefreshRejected()
        return TokenResponse(**tokens(services, outcome.result.id, session))

    @post("/logout", operation_id="logout", status_code=204, **requires(Permission.READ))
    async def logout(self, member: Member, services: Services) -> None:
        """Revoke the caller's session: its refresh tokens stop working."""
        if member.family_id is not None:
            await services.bus.execute(LogOut(family_id=member.family_id), member.context())

    @post("/accept-invite", operation_id="acceptInvitation", status_code=201, **PUBLIC_OPERATION)
    async def accept_invite(
        self, data: AcceptInvitationRequest, services: Services
    ) -> Response[AuthResponse]:
        """Join the inviting workspace with the invited role; 409 if the email has an account."""
        session = TokenIssuer.new_session()
        command = AcceptInvitation(
            token=data.invite_token,
            user_id=mint(),
            password=data.password,
            first_name=data.first_name,
            last_name=data.last_name,
            psyche=data.psyche,
            pulse_phase=random_phase(),
            session=session,
        )
        outcome = await services.bus.execute(command, Context.new(None, None))
        headers = await settle(services, outcome, EVERY_READ_MODEL)
        user = outcome.result
        body = AuthResponse(user=user_view(user), **tokens(services, user.id, session))
        return Response(body, status_code=201, headers=headers)


def tokens(services: Services, user_id: Any, session: Any) -> dict[str, Any]:
    return {
        "access_token": services.tokens.access_token(user_id, session.family_id),
        "refresh_token": TokenIssuer.refresh_token(session),
        "expires_in": services.tokens.expires_in,
    }


def auth_rate_limit(per_minute: int) -> RateLimitConfig:
    """Per client address, on the anonymous auth endpoints (per-process memory store)."""
    return RateLimitConfig(rate_limit=("minute", per_minute))
