"""A verified access token is remembered, but never past its expiry and never for another key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from litestar.exceptions import NotAuthorizedException

from api.security import VerifiedToken

SECRET = "a-secret-long-enough-for-hs256-signing"
CHECKS: dict[str, Any] = {"audience": "aevon-api", "issuer": "aevon", "require_claims": ["exp"]}


def encoded(secret: str = SECRET, expires_in: timedelta = timedelta(minutes=15)) -> str:
    now = datetime.now(UTC)
    claims = {"sub": "someone", "iat": now, "exp": now + expires_in}
    return jwt.encode({**claims, "aud": "aevon-api", "iss": "aevon"}, secret, algorithm="HS256")


def decode(token: str, secret: str = SECRET) -> VerifiedToken:
    return VerifiedToken.decode(token, secret, "HS256", **CHECKS)


def test_a_token_is_verified_once_and_then_remembered() -> None:
    token = encoded()
    assert decode(token) is decode(token)


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    token = encoded()
    remembered = decode(token)
    remembered.exp = datetime.now(UTC) - timedelta(seconds=1)
    with pytest.raises(NotAuthorizedException):
        decode(token)
    remembered.exp = datetime.now(UTC) + timedelta(minutes=1)
    assert decode(token) is not remembered  # forgotten: verified afresh


def test_a_token_remembered_under_one_key_is_not_accepted_under_another() -> None:
    token = encoded()
    decode(token)
    with pytest.raises(NotAuthorizedException):
        decode(token, secret="another-secret-long-enough-for-hs256")


def test_a_forged_or_expired_token_is_never_remembered() -> None:
    forged = encoded(secret="not-the-servers-secret-but-long-enough")
    expired = encoded(expires_in=timedelta(seconds=-5))
    for token in (forged, expired):
        with pytest.raises(NotAuthorizedException):
            decode(token)
    assert all(key[0] not in (forged, expired) for key in VerifiedToken.verified)
