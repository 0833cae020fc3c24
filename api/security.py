"""Bearer JWT authentication, the caller as a workspace member, and permission guards."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Self
from uuid import UUID, uuid4

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.authentication import AuthenticationResult
from litestar.security.jwt import JWTAuth, JWTAuthenticationMiddleware, Token

from aevon.logs import request_id
from aevon.settings import Settings
from api.openapi import documented
from api.services import Services
from commands.context import Context
from commands.identity.session import NewSession
from domain.identity.policy import POLICY, Permission, allows
from domain.identity.refresh import RefreshRejected
from domain.identity.roles import Role

ACCESS = "access"
PUBLIC = "/v1/auth/register", "/v1/auth/login", "/v1/auth/refresh", "/v1/auth/accept-invite"


class Member(msgspec.Struct, frozen=True):
    user_id: UUID
    workspace_id: UUID
    role: Role
    family_id: UUID | None = None

    def context(self) -> Context:
        """The request's id, when it is a UUID, correlates the events the request causes."""
        return Context.new(self.workspace_id, self.user_id, _request_uuid())


async def retrieve_member(
    token: Token, connection: ASGIConnection[Any, Any, Any, Any]
) -> Member | None:
    """The role comes from the read model (or what api/members.py remembers of it while it
    cannot have changed), so role changes and removals apply at once."""
    if token.extras.get("typ") != ACCESS:
        return None
    try:
        user_id = UUID(token.sub)
        family_id = UUID(token.extras["fam"]) if token.extras.get("fam") else None
    except (ValueError, TypeError):
        return None
    row = await connection.app.state.services.members.get(user_id)
    if row is None:
        return None
    return Member(row["id"], row["workspace_id"], Role(row["role"]), family_id)


def _request_uuid() -> UUID | None:
    try:
        current = request_id.get()
        return UUID(current) if current else None
    except ValueError:
        return None


class VerifiedToken(Token):
    """Remembers tokens whose signature and claims were checked: a client sends the same token
    for up to 15 minutes, and verifying it again costs a tenth of a read's CPU. Expiry is still
    checked on every use; only exact token strings verified with the same settings hit."""

    verified: dict[tuple[Any, ...], Token] = {}
    REMEMBERED = 10_000

    @classmethod
    def decode(
        cls,
        encoded_token: str,
        secret: str,
        algorithm: str,
        audience: str | Sequence[str] | None = None,
        issuer: str | Sequence[str] | None = None,
        require_claims: Sequence[str] | None = None,
        verify_exp: bool = True,
        verify_nbf: bool = True,
        strict_audience: bool = False,
    ) -> Self:
        checks = (audience, issuer, require_claims, verify_exp, verify_nbf, strict_audience)
        key = (encoded_token, secret, algorithm, repr(checks))
        token = cls.verified.get(key)
        if token is None:
            token = super().decode(
                encoded_token,
                secret,
                algorithm,
                audience,
                issuer,
                require_claims,
                verify_exp,
                verify_nbf,
                strict_audience,
            )
            if len(cls.verified) >= cls.REMEMBERED:
                del cls.verified[next(iter(cls.verified))]
            cls.verified[key] = token
        if token.exp <= datetime.now(UTC):
            cls.verified.pop(key, None)
            raise NotAuthorizedException("Invalid token")
        assert isinstance(token, cls)
        return token


class BearerMiddleware(JWTAuthenticationMiddleware):
    """Finds the token among the raw headers: Litestar's builds a `Headers` of every header of
    the request to look it up, 4 % of a read's instructions (docs/performance.md)."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        name = self.auth_header.lower().encode("latin-1")
        for key, value in connection.scope["headers"]:
            if key == name and value:
                encoded_token = value.decode("latin-1").partition(" ")[-1]
                return await self.authenticate_token(encoded_token, connection)
        raise NotAuthorizedException("No JWT token found in request header")


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
        exclude=["/health", "/schema", "/metrics", *PUBLIC],
        openapi_security_scheme_name="bearerAuth",
        token_cls=VerifiedToken,
        authentication_middleware_class=BearerMiddleware,
    )


def provide_member(request: Request[Member, Token, Any], services: Services) -> Member:
    # Depending on `services` resolves the two one after the other, inline: independent
    # dependencies would cost a task group per request.
    del services
    return request.user


class TokenIssuer:
    def __init__(self, auth: JWTAuth[Member, Token], settings: Settings) -> None:
        self.auth = auth
        self.settings = settings

    @property
    def expires_in(self) -> int:
        return self.settings.access_token_minutes * 60

    def access_token(self, user_id: UUID, family_id: UUID) -> str:
        return self.auth.create_token(
            identifier=str(user_id),
            token_issuer=self.settings.jwt_issuer,
            token_audience=self.settings.jwt_audience,
            token_extras={"typ": ACCESS, "fam": str(family_id)},
        )

    @staticmethod
    def new_session(family_id: UUID | None = None) -> NewSession:
        return NewSession(family_id=family_id or uuid4(), secret=secrets.token_urlsafe(32))

    @staticmethod
    def refresh_token(session: NewSession) -> str:
        """Opaque to clients: the family it belongs to and a secret stored only as a hash."""
        return f"{session.family_id.hex}.{session.secret}"

    @staticmethod
    def parse_refresh_token(token: str) -> tuple[UUID, str]:
        family, _, secret = token.partition(".")
        try:
            return UUID(hex=family), secret
        except ValueError:
            raise RefreshRejected() from None


def requires(permission: Permission, produces: dict[str, Any] | None = None) -> dict[str, Any]:
    """Route-handler options: a guard from the policy table, and the roles in the OpenAPI doc."""
    roles = sorted(POLICY[permission])

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        # Async on purpose: Litestar would run a plain function in a worker thread.
        member = connection.user
        if not isinstance(member, Member) or not allows(member.role, permission):
            raise PermissionDeniedException(f"Your role may not {permission.value}.")

    return {
        "guards": [guard],
        "operation_class": documented([str(r) for r in roles], produces),
    }
