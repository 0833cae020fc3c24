import httpx

from tests.support import PASSWORD, bearer, invite, register, team, unique_email


async def test_an_invited_member_joins_the_workspace_with_the_invited_role(
    client: httpx.AsyncClient,
) -> None:
    admin = await register(client)
    email = unique_email("invitee")
    invited = await client.post(
        "/v1/admin/invitations", headers=admin["headers"], json={"email": email, "role": "MANAGER"}
    )
    body = invited.json()
    assert set(body) == {"id", "email", "role", "inviteToken", "expiresAt"}
    assert (body["email"], body["role"]) == (email, "MANAGER")
    accepted = await client.post(
        "/v1/auth/accept-invite",
        json={"inviteToken": body["inviteToken"], "password": PASSWORD, "firstName": "Mo"},
    )
    assert accepted.status_code == 201
    member = accepted.json()
    assert member["user"]["role"] == "MANAGER"
    assert member["user"]["workspaceId"] == admin["workspace"]["id"]
    assert member["refreshToken"]
    again = await client.post(
        "/v1/auth/accept-invite", json={"inviteToken": body["inviteToken"], "password": PASSWORD}
    )
    assert again.status_code == 404
    users = await client.get("/v1/admin/users", headers=admin["headers"])
    assert {u["email"] for u in users.json()} == {admin["user"]["email"], email}


async def test_inviting_an_email_that_has_an_account_is_a_409(client: httpx.AsyncClient) -> None:
    admin = await register(client)
    other = await register(client)
    response = await client.post(
        "/v1/admin/invitations",
        headers=admin["headers"],
        json={"email": other["user"]["email"], "role": "OPERATOR"},
    )
    assert response.status_code == 409


async def test_accepting_after_the_email_registered_elsewhere_is_a_409(
    client: httpx.AsyncClient,
) -> None:
    admin = await register(client)
    email = unique_email("late")
    invited = await client.post(
        "/v1/admin/invitations", headers=admin["headers"], json={"email": email, "role": "AUDITOR"}
    )
    await register(client, email=email)
    accepted = await client.post(
        "/v1/auth/accept-invite",
        json={"inviteToken": invited.json()["inviteToken"], "password": PASSWORD},
    )
    assert accepted.status_code == 409


async def test_a_role_change_applies_to_the_very_next_request(client: httpx.AsyncClient) -> None:
    members = await team(client)
    admin, manager = members["ADMIN"], members["MANAGER"]
    assert (await client.get("/v1/admin/overview", headers=manager["headers"])).status_code == 403
    changed = await client.put(
        f"/v1/admin/users/{manager['user']['id']}", headers=admin["headers"], json={"role": "ADMIN"}
    )
    assert changed.status_code == 200
    assert changed.json()["role"] == "ADMIN"
    assert (await client.get("/v1/admin/overview", headers=manager["headers"])).status_code == 200
    assert (await client.get("/v1/users/me", headers=manager["headers"])).json()["role"] == "ADMIN"


async def test_a_removed_members_tokens_stop_working_at_once(client: httpx.AsyncClient) -> None:
    members = await team(client)
    admin, operator = members["ADMIN"], members["OPERATOR"]
    assert (await client.get("/v1/users/me", headers=operator["headers"])).status_code == 200
    removed = await client.delete(
        f"/v1/admin/users/{operator['user']['id']}", headers=admin["headers"]
    )
    assert removed.status_code == 204
    assert (await client.get("/v1/users/me", headers=operator["headers"])).status_code == 401
    refreshed = await client.post(
        "/v1/auth/refresh", json={"refreshToken": operator["refreshToken"]}
    )
    assert refreshed.status_code == 401
    login = await client.post(
        "/v1/auth/login", json={"email": operator["user"]["email"], "password": PASSWORD}
    )
    assert login.status_code == 401


async def test_no_self_change_and_the_last_admin_stays(client: httpx.AsyncClient) -> None:
    members = await team(client)
    admin, manager = members["ADMIN"], members["MANAGER"]
    me = admin["user"]["id"]
    for response in (
        await client.put(
            f"/v1/admin/users/{me}", headers=admin["headers"], json={"role": "AUDITOR"}
        ),
        await client.delete(f"/v1/admin/users/{me}", headers=admin["headers"]),
    ):
        assert response.status_code == 409
    await client.put(
        f"/v1/admin/users/{manager['user']['id']}", headers=admin["headers"], json={"role": "ADMIN"}
    )
    demoted = await client.put(
        f"/v1/admin/users/{me}", headers=manager["headers"], json={"role": "OPERATOR"}
    )
    assert demoted.status_code == 200
    last = await client.put(
        f"/v1/admin/users/{manager['user']['id']}",
        headers=admin["headers"],
        json={"role": "AUDITOR"},
    )
    assert last.status_code == 403  # the former ADMIN is an OPERATOR now


async def test_refresh_tokens_rotate_and_reuse_revokes_the_family(
    client: httpx.AsyncClient,
) -> None:
    user = await register(client)
    first = user["refreshToken"]
    rotated = await client.post("/v1/auth/refresh", json={"refreshToken": first})
    assert rotated.status_code == 200
    second = rotated.json()["refreshToken"]
    assert second != first
    access = rotated.json()["accessToken"]
    assert (await client.get("/v1/users/me", headers=bearer(access))).status_code == 200
    reused = await client.post("/v1/auth/refresh", json={"refreshToken": first})
    assert reused.status_code == 401
    assert reused.headers["content-type"] == "application/problem+json"
    revoked = await client.post("/v1/auth/refresh", json={"refreshToken": second})
    assert revoked.status_code == 401


async def test_logout_revokes_the_current_family(client: httpx.AsyncClient) -> None:
    user = await register(client)
    assert (await client.post("/v1/auth/logout", headers=user["headers"])).status_code == 204
    refreshed = await client.post("/v1/auth/refresh", json={"refreshToken": user["refreshToken"]})
    assert refreshed.status_code == 401


async def test_garbage_refresh_tokens_are_401(client: httpx.AsyncClient) -> None:
    for token in ("nonsense", "0" * 32 + ".x", "zz.zz"):
        response = await client.post("/v1/auth/refresh", json={"refreshToken": token})
        assert response.status_code == 401, token


async def test_five_failures_lock_the_account_with_retry_after(client: httpx.AsyncClient) -> None:
    user = await register(client)
    email = user["user"]["email"]
    for _ in range(5):
        failed = await client.post("/v1/auth/login", json={"email": email, "password": "nope-nope"})
        assert failed.status_code == 401
    locked = await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert locked.status_code == 429
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    other = await register(client)
    fine = await client.post(
        "/v1/auth/login", json={"email": other["user"]["email"], "password": PASSWORD}
    )
    assert fine.status_code == 200


async def test_access_tokens_claim_what_the_contract_needs(client: httpx.AsyncClient) -> None:
    import jwt

    user = await register(client)
    claims = jwt.decode(user["accessToken"], options={"verify_signature": False})
    assert {"exp", "iat", "sub", "iss", "aud"} <= set(claims)
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert jwt.get_unverified_header(user["accessToken"])["alg"] == "HS256"
    member = await invite(client, user, "OPERATOR")
    assert member["user"]["role"] == "OPERATOR"


async def test_a_request_without_a_valid_bearer_token_is_401(client: httpx.AsyncClient) -> None:
    user = await register(client)
    token = user["accessToken"]
    for headers in (
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwdw=="},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": f"Bearer {token[:-4]}AAAA"},
    ):
        response = await client.get("/v1/users/me", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["content-type"].startswith("application/problem+json")
    assert (await client.get("/v1/users/me", headers=bearer(token))).status_code == 200
    # Header names are case-insensitive; HTTP/1.1 clients send them as written.
    lower = await client.get("/v1/users/me", headers={"authorization": f"Bearer {token}"})
    assert lower.status_code == 200
