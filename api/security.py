"""Bearer JWT authentication, the caller as a workspace member, and role guards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.security.jwt import JWTAuth, Token

from aevon.settings import Settings
from domain.identity.roles import Role
from projections.users.queries import get_member

ACCESS = "access"


class Member(msgspec.Struct, frozen=True):
    user_id: UUID
    workspace_id: UUID
    role: Role


async def retrieve_member(
    token: Token, connection: ASGIConnection[Any, Any, Any, Any]
) -> Member | None:
    """The role is read from the read model on every request, so changes apply at once."""
    if token.extras.get("typ") != ACCESS:
        return None
    try:
        user_id = UUID(token.sub)
    except ValueError:
        return None
    row = await get_member(connection.app.state.services.pool, user_id)
    if row is None:
        return None
    return Member(user_id=row["id"], workspace_id=row["workspace_id"], role=Role(row["role"]))


def build_auth(settings: Settings) -> JWTAuth[Member, Token]:
    assert settings.jwt_secret
    return JWTAuth[Member, Token](
        token_secret=settings.jwt_secret,
        retrieve_user_handler=retrieve_member,
        algorithm="HS256",
        default_token_expiration=timedelta(minutes=settings.access_token_minutes),
        accepted_issuers=[settings.jwt_issuer],
        accepted_audiences=[settings.jwt_audience],
        require_claims=["exp", "iat", "sub", "iss", "aud"],
        exclude=["/health", "/schema", "/metrics", "/v1/auth/register", "/v1/auth/login"],
        openapi_security_scheme_name="bearerAuth",
    )


def issue_access_token(auth: JWTAuth[Member, Token], settings: Settings, user_id: UUID) -> str:
    return auth.create_token(
        identifier=str(user_id),
        token_issuer=settings.jwt_issuer,
        token_audience=settings.jwt_audience,
        token_extras={"typ": ACCESS},
    )


def provide_member(request: Request[Member, Token, Any]) -> Member:
    return request.user


Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]


def allow(*roles: Role) -> Guard:
    """A guard that lets only the given roles through (403 otherwise)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        member = connection.user
        if not isinstance(member, Member) or member.role not in roles:
            raise PermissionDeniedException("Your role does not allow this action.")

    guard.__name__ = "allow_" + "_".join(r.value.lower() for r in roles)
    return guard
