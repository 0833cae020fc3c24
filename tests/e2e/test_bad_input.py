"""Bad input on every endpoint gets a 4xx problem+json, never a 500."""

from typing import Any

import httpx
import pytest

from tests.support import register, registration

PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]


@pytest.mark.parametrize(
    "changes",
    [
        {"email": "not-an-email"},
        {"password": "short"},
        {"psyche": "NIHILIST"},
        {"workspaceName": ""},
        {"workspaceName": 42},
        {"role": "ADMIN"},
        {"credits": 1000},
        {"workspaceId": "00000000-0000-0000-0000-000000000000"},
        {"goal": "x" * 5000},
    ],
)
async def test_register_rejects_each_invalid_or_unknown_field(
    client: httpx.AsyncClient, changes: dict[str, Any]
) -> None:
    assert_problem(await client.post("/v1/auth/register", json=registration(**changes)), 400)


@pytest.mark.parametrize("missing", ["email", "password", "workspaceName", "psyche"])
async def test_register_requires_each_required_field(
    client: httpx.AsyncClient, missing: str
) -> None:
    body = registration()
    del body[missing]
    assert_problem(await client.post("/v1/auth/register", json=body), 400)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/auth/register"),
        ("POST", "/v1/auth/login"),
        ("PUT", "/v1/users/me"),
        ("PUT", "/v1/workspaces/me"),
    ],
)
@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b'"text"', b"null", b""])
async def test_malformed_bodies_are_400(
    client: httpx.AsyncClient, method: str, path: str, content: bytes
) -> None:
    headers = (await register(client))["headers"] | {"content-type": "application/json"}
    assert_problem(await client.request(method, path, content=content, headers=headers), 400)


async def test_bodies_over_one_mebibyte_are_413(client: httpx.AsyncClient) -> None:
    body = registration(goal="x" * (1024 * 1024 + 10))
    assert_problem(await client.post("/v1/auth/register", json=body), 413)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/users/me"),
        ("PUT", "/v1/users/me"),
        ("GET", "/v1/workspaces/me"),
        ("PUT", "/v1/workspaces/me"),
        ("GET", "/v1/billing/transactions"),
        ("GET", "/v1/admin/overview"),
        ("GET", "/v1/admin/users"),
    ],
)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer eyJhbGciOiJub25lIn0.e30."],
)
async def test_protected_endpoints_need_a_valid_bearer_token(
    client: httpx.AsyncClient, method: str, path: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    assert_problem(await client.request(method, path, headers=headers, json={}), 401)


@pytest.mark.parametrize("limit", ["0", "201", "-1", "ten", "1e3"])
async def test_transaction_limit_out_of_range_is_400(client: httpx.AsyncClient, limit: str) -> None:
    headers = (await register(client))["headers"]
    response = await client.get(
        "/v1/billing/transactions", params={"limit": limit}, headers=headers
    )
    assert_problem(response, 400)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/users/me", {"firstName": 7}),
        ("/v1/users/me", {"email": "nope"}),
        ("/v1/users/me", {"role": "ADMIN"}),
        ("/v1/workspaces/me", {"planTier": "Emperor"}),
        ("/v1/workspaces/me", {"name": ""}),
        ("/v1/workspaces/me", {"credits": 5}),
    ],
)
async def test_updates_reject_invalid_and_unknown_fields(
    client: httpx.AsyncClient, path: str, body: dict[str, Any]
) -> None:
    headers = (await register(client))["headers"]
    assert_problem(await client.put(path, json=body, headers=headers), 400)


async def test_an_unknown_path_is_a_404_problem(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/nowhere"), 404)


async def test_a_wrong_method_is_a_405_problem(client: httpx.AsyncClient) -> None:
    assert_problem(await client.delete("/v1/auth/register"), 405)
