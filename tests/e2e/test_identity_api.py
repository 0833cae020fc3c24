import asyncio

import httpx

from tests.support import PASSWORD, register, registration, unique_email


async def test_registration_creates_admin_owner_apprentice_workspace_and_initial_grant(
    client: httpx.AsyncClient,
) -> None:
    email = unique_email("Owner").upper()
    body = await register(client, email=email, whatMustEnd="chaos", goal="order")
    assert body["tokenType"] == "bearer"
    assert body["expiresIn"] == 900
    assert body["user"]["email"] == email.lower()
    assert body["user"]["role"] == "ADMIN"
    assert body["workspace"] == {
        "id": body["workspace"]["id"],
        "name": "Acme",
        "planTier": "Apprentice",
        "credits": 100.0,
    }
    transactions = (await client.get("/v1/billing/transactions", headers=body["headers"])).json()
    assert [(t["type"], t["amount"], t["status"], t["description"]) for t in transactions] == [
        ("CREDIT", 100.0, "COMPLETED", "Initial Apprentice credit grant.")
    ]
    assert transactions[0]["luckWeight"] is None


async def test_writes_are_readable_at_once_and_carry_their_position(
    client: httpx.AsyncClient,
) -> None:
    body = await register(client)
    headers = body["headers"]
    me = await client.get("/v1/users/me", headers=headers)
    assert me.json()["id"] == body["user"]["id"]
    update = await client.put("/v1/users/me", headers=headers, json={"firstName": "Ann"})
    assert update.status_code == 200
    assert int(update.headers["Aevon-Position"]) > 0
    assert "Aevon-Consistency" not in update.headers
    assert (await client.get("/v1/users/me", headers=headers)).json()["firstName"] == "Ann"
    rename = await client.put("/v1/workspaces/me", headers=headers, json={"name": "Acme Two"})
    assert rename.json()["name"] == "Acme Two"
    assert (await client.get("/v1/workspaces/me", headers=headers)).json()["name"] == "Acme Two"


async def test_two_concurrent_registrations_of_one_email_give_one_201_and_one_409(
    client: httpx.AsyncClient,
) -> None:
    email = unique_email("race")
    responses = await asyncio.gather(
        *(
            client.post("/v1/auth/register", json=registration(spelling))
            for spelling in (email, email.upper(), email, email.title())
        )
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses[0] == 201
    assert statuses[1:] == [409, 409, 409]
    assert all(
        r.headers["content-type"] == "application/problem+json"
        for r in responses[1:]
        if r.status_code == 409
    )


async def test_login_returns_a_token_and_records_the_time(client: httpx.AsyncClient) -> None:
    body = await register(client)
    response = await client.post(
        "/v1/auth/login", json={"email": body["user"]["email"], "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["accessToken"]
    me = await client.get("/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["lastLoginAt"] is not None


async def test_wrong_password_and_unknown_email_get_one_identical_401(
    client: httpx.AsyncClient,
) -> None:
    body = await register(client)
    wrong = await client.post(
        "/v1/auth/login", json={"email": body["user"]["email"], "password": "not it at all"}
    )
    unknown = await client.post(
        "/v1/auth/login", json={"email": unique_email(), "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


async def test_plan_changes_apply_and_credits_cannot_be_written(client: httpx.AsyncClient) -> None:
    headers = (await register(client))["headers"]
    changed = await client.put("/v1/workspaces/me", headers=headers, json={"planTier": "Artisan"})
    assert changed.json()["planTier"] == "Artisan"
    refused = await client.put("/v1/workspaces/me", headers=headers, json={"credits": 10**6})
    assert refused.status_code == 400
    assert (await client.get("/v1/workspaces/me", headers=headers)).json()["credits"] == 100.0


async def test_admin_overview_and_users_describe_the_callers_workspace_only(
    client: httpx.AsyncClient,
) -> None:
    mine = await register(client)
    await register(client)
    overview = await client.get("/v1/admin/overview", headers=mine["headers"])
    assert overview.json() == {
        "userCount": 1,
        "agentCount": 0,
        "activeAgentCount": 0,
        "creditBalance": 100.0,
        "planTier": "Apprentice",
    }
    users = (await client.get("/v1/admin/users", headers=mine["headers"])).json()
    assert [u["id"] for u in users] == [mine["user"]["id"]]


async def test_changing_email_to_a_taken_one_is_a_409(client: httpx.AsyncClient) -> None:
    first = await register(client)
    second = await register(client)
    response = await client.put(
        "/v1/users/me", headers=second["headers"], json={"email": first["user"]["email"]}
    )
    assert response.status_code == 409


async def test_an_eventual_write_answers_without_waiting_but_still_names_its_position(
    client: httpx.AsyncClient,
) -> None:
    body = await register(client)
    headers = body["headers"] | {"Aevon-Consistency": "eventual"}
    update = await client.put("/v1/users/me", headers=headers, json={"lastName": "Later"})
    assert update.status_code == 200
    position = update.headers["Aevon-Position"]
    me = await client.get(
        "/v1/users/me", headers=body["headers"] | {"Aevon-Min-Position": position}
    )
    assert me.json()["lastName"] == "Later"
