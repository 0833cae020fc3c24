from typing import Any

import httpx
import pytest

from tests.support import register, team


async def test_contacts_are_created_read_updated_and_deleted(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    headers = owner["headers"]
    created = await client.post(
        "/v1/contacts",
        json={
            "firstName": "Jane",
            "lastName": "Doe",
            "email": "Jane@Acme.io",
            "phone": "+1 555 0100",
        },
        headers=headers,
    )
    assert created.status_code == 201
    contact = created.json()
    assert contact == {
        "id": contact["id"],
        "email": "jane@acme.io",
        "firstName": "Jane",
        "lastName": "Doe",
        "phone": "+1 555 0100",
    }
    url = f"/v1/contacts/{contact['id']}"
    assert (await client.get(url, headers=headers)).json() == contact
    updated = await client.put(url, json={"phone": None, "lastName": "Roe"}, headers=headers)
    assert updated.json()["phone"] is None
    assert updated.json()["lastName"] == "Roe"
    assert updated.json()["email"] == "jane@acme.io"
    assert (await client.delete(url, headers=headers)).status_code == 204
    assert (await client.get(url, headers=headers)).status_code == 404
    assert (await client.delete(url, headers=headers)).status_code == 404
    assert (await client.get("/v1/contacts", headers=headers)).json() == []


async def test_contact_email_is_unique_per_workspace_in_any_case(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    other = await register(client)
    first = await client.post("/v1/contacts", json={"email": "a@b.io"}, headers=owner["headers"])
    assert first.status_code == 201
    dup = await client.post("/v1/contacts", json={"email": "A@B.io"}, headers=owner["headers"])
    assert dup.status_code == 409
    elsewhere = await client.post(
        "/v1/contacts", json={"email": "a@b.io"}, headers=other["headers"]
    )
    assert elsewhere.status_code == 201
    second = await client.post("/v1/contacts", json={"email": "c@b.io"}, headers=owner["headers"])
    taken = await client.put(
        f"/v1/contacts/{second.json()['id']}", json={"email": "a@B.io"}, headers=owner["headers"]
    )
    assert taken.status_code == 409
    await client.delete(f"/v1/contacts/{first.json()['id']}", headers=owner["headers"])
    reused = await client.post("/v1/contacts", json={"email": "a@b.io"}, headers=owner["headers"])
    assert reused.status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not an email"},
        {"phone": "call me maybe"},
        {"phone": "12"},
        {"firstName": ""},
        {"firstName": 3},
        {"id": "00000000-0000-0000-0000-000000000000"},
        {"workspaceId": "00000000-0000-0000-0000-000000000000"},
    ],
)
async def test_invalid_contacts_are_400(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    owner = await register(client)
    response = await client.post("/v1/contacts", json=body, headers=owner["headers"])
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


async def test_an_auditor_reads_contacts_but_cannot_write_them(client: httpx.AsyncClient) -> None:
    members = await team(client)
    await client.post(
        "/v1/contacts", json={"firstName": "A"}, headers=members["OPERATOR"]["headers"]
    )
    auditor = members["AUDITOR"]["headers"]
    assert len((await client.get("/v1/contacts", headers=auditor)).json()) == 1
    refused = await client.post("/v1/contacts", json={"firstName": "B"}, headers=auditor)
    assert refused.status_code == 403
