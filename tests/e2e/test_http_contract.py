import asyncio
import re

import httpx
import pytest

from tests.support import register, team


async def test_twenty_concurrent_identical_requests_with_one_key_create_one_contact(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    headers = owner["headers"] | {"Idempotency-Key": "create-jane-1"}
    body = {"firstName": "Jane", "email": "jane@acme.io"}
    responses = await asyncio.gather(
        *(client.post("/v1/contacts", json=body, headers=headers) for _ in range(20))
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 19
    contacts = await client.get("/v1/contacts", headers=owner["headers"])
    assert len(contacts.json()) == 1


async def test_reusing_a_key_with_another_body_is_422(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    headers = owner["headers"] | {"Idempotency-Key": "k-1"}
    first = await client.post("/v1/contacts", json={"firstName": "A"}, headers=headers)
    assert first.status_code == 201
    other = await client.post("/v1/contacts", json={"firstName": "B"}, headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"


async def test_keys_are_scoped_per_user(client: httpx.AsyncClient) -> None:
    members = await team(client)
    key = {"Idempotency-Key": "shared-key"}
    mine = await client.post(
        "/v1/contacts", json={"firstName": "A"}, headers=members["ADMIN"]["headers"] | key
    )
    theirs = await client.post(
        "/v1/contacts", json={"firstName": "A"}, headers=members["OPERATOR"]["headers"] | key
    )
    assert mine.json()["id"] != theirs.json()["id"]
    assert "Idempotent-Replayed" not in theirs.headers


async def test_an_overlong_idempotency_key_is_400(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    response = await client.post(
        "/v1/contacts",
        json={"firstName": "A"},
        headers=owner["headers"] | {"Idempotency-Key": "k" * 300},
    )
    assert response.status_code == 400


async def test_if_match_with_a_stale_etag_is_412_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    created = await client.post("/v1/contacts", json={"firstName": "A"}, headers=owner["headers"])
    url = f"/v1/contacts/{created.json()['id']}"
    etag = (await client.get(url, headers=owner["headers"])).headers["ETag"]
    assert etag == created.headers["ETag"]
    updated = await client.put(
        url, json={"firstName": "B"}, headers=owner["headers"] | {"If-Match": etag}
    )
    assert updated.status_code == 200
    assert updated.headers["ETag"] != etag
    stale = await client.put(
        url, json={"firstName": "C"}, headers=owner["headers"] | {"If-Match": etag}
    )
    assert stale.status_code == 412
    stale_delete = await client.delete(url, headers=owner["headers"] | {"If-Match": etag})
    assert stale_delete.status_code == 412
    assert (await client.get(url, headers=owner["headers"])).json()["firstName"] == "B"
    fresh = updated.headers["ETag"]
    assert (
        await client.delete(url, headers=owner["headers"] | {"If-Match": fresh})
    ).status_code == 204
    assert (await client.get(url, headers=owner["headers"])).status_code == 404


@pytest.mark.parametrize("path", ["/v1/users/me", "/v1/workspaces/me"])
async def test_profile_and_workspace_honour_if_match(client: httpx.AsyncClient, path: str) -> None:
    owner = await register(client)
    etag = (await client.get(path, headers=owner["headers"])).headers["ETag"]
    body = {"firstName": "X"} if "users" in path else {"name": "X"}
    ok = await client.put(path, json=body, headers=owner["headers"] | {"If-Match": etag})
    assert ok.status_code == 200
    again = await client.put(
        path,
        json=body | ({"lastName": "Y"} if "users" in path else {"name": "Y"}),
        headers=owner["headers"] | {"If-Match": etag},
    )
    assert again.status_code == 412
    garbage = await client.put(path, json=body, headers=owner["headers"] | {"If-Match": '"abc"'})
    assert garbage.status_code == 412


async def test_lists_page_with_opaque_cursors_and_link_headers(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    for index in range(5):
        await client.post("/v1/contacts", json={"firstName": f"c{index}"}, headers=owner["headers"])
    seen = []
    url = "/v1/contacts?limit=2"
    pages = 0
    while url:
        response = await client.get(url, headers=owner["headers"])
        assert response.status_code == 200
        assert isinstance(response.json(), list)
        seen += [c["firstName"] for c in response.json()]
        link = response.headers.get("Link")
        url = re.match(r"<([^>]+)>; rel=\"next\"", link).group(1) if link else ""
        pages += 1
    assert seen == ["c4", "c3", "c2", "c1", "c0"]
    assert pages == 3


@pytest.mark.parametrize("params", [{"cursor": "not-a-cursor"}, {"limit": "201"}, {"limit": "0"}])
async def test_bad_list_parameters_are_400(
    client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    owner = await register(client)
    for path in ("/v1/contacts", "/v1/admin/users", "/v1/billing/transactions"):
        response = await client.get(path, params=params, headers=owner["headers"])
        assert response.status_code == 400, path


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
async def test_non_json_bodies_are_415(client: httpx.AsyncClient, content_type: str) -> None:
    owner = await register(client)
    response = await client.post(
        "/v1/contacts",
        content=b'{"firstName": "A"}',
        headers=owner["headers"] | {"Content-Type": content_type},
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_next_link_ignores_unknown_and_non_ascii_parameters(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    for index in range(3):
        await client.post("/v1/contacts", json={"firstName": f"c{index}"}, headers=owner["headers"])
    response = await client.get(
        "/v1/contacts",
        params={"limit": "1", "\U0008d71e": "é", "x": "<y>"},
        headers=owner["headers"],
    )
    assert response.status_code == 200
    link = response.headers["Link"]
    assert link.isascii()
    assert "x=" not in link
