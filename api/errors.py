"""The one place where failures become RFC 9457 problem+json responses."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing.persistence import OperationalError as StoreUnavailable
from eventsourcing.persistence import PersistenceError
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.plugins.problem_details import ProblemDetailsException

from commands.bus import IdempotencyKeyReused
from commands.lanes import LaneStopped
from domain.identity.errors import InvalidCredentials, TooManyLoginAttempts
from domain.identity.refresh import RefreshRejected
from domain.ledger.ledger import InsufficientCredits
from domain.shared import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
)

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"

DOMAIN_STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    InvalidInput: 400,
    InvalidCredentials: 401,
    RefreshRejected: 401,
    InsufficientCredits: 402,
    PreconditionFailed: 412,
    IdempotencyKeyReused: 422,
    TooManyLoginAttempts: 429,
}


def problem(status: int, detail: str, title: str | None = None, **extra: Any) -> Response[Any]:
    body = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    headers = {"Retry-After": "1"} if status == 503 else None
    return Response(body, status_code=status, media_type=PROBLEM, headers=headers)


def domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    status = next((code for kind, code in DOMAIN_STATUS.items() if isinstance(error, kind)), 400)
    services = getattr(request.app.state, "services", None)
    if status == 404 and services is not None and "user" in request.scope:
        services.probes.denied(request.scope["user"])
    response = problem(status, error.detail, error.title)
    if isinstance(error, TooManyLoginAttempts):
        response.headers["Retry-After"] = str(max(1, error.retry_after_seconds))
    return response


def http_error(_: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    if isinstance(error, ProblemDetailsException):
        return error.to_response(_)
    extra: dict[str, Any] = {}
    if isinstance(error, ValidationException) and isinstance(error.extra, list):
        extra["errors"] = [_readable(e) for e in error.extra]
    detail = error.detail if error.status_code < 500 else HTTPStatus(error.status_code).phrase
    response = problem(error.status_code, detail, **extra)
    if error.headers:
        response.headers.update(error.headers)
    if error.status_code == 429:
        response.headers.setdefault("Retry-After", response.headers.get("RateLimit-Reset", "60"))
    return response


def _readable(error: Any) -> Any:
    if isinstance(error, dict) and error.get("key") == "data" and error.get("message") == "'data'":
        return {**error, "message": "A JSON request body is required."}
    return error


def unavailable(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    log.warning("dependency unavailable: %s", error)
    return problem(503, "A backing service is unavailable; retry shortly.")


def unexpected(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    log.exception("unhandled error", exc_info=error)
    return problem(500, "An unexpected error occurred.")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error,
    HTTPException: http_error,
    psycopg.OperationalError: unavailable,
    psycopg_pool.PoolTimeout: unavailable,
    StoreUnavailable: unavailable,
    LaneStopped: unavailable,
    PersistenceError: unavailable,
    Exception: unexpected,
}
