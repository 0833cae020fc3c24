"""Every endpoint × every role, and another workspace's ids are indistinguishable from missing."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.support import invite, register, team

ALL = {"ADMIN", "MANAGER", "OPERATOR", "AUDITOR"}
WRITERS = {"ADMIN", "MANAGER", "OPERATOR"}
Team = dict[str, dict[str, Any]]
Request = tuple[str, str, dict[str, Any] | None]


async def new_contact(client: httpx.AsyncClient, members: Team) -> str:
    created = await client.post(
        "/v1/contacts", headers=members["ADMIN"]["headers"], json={"firstName": "Target"}
    )
    return str(created.json()["id"])


async def new_member(client: httpx.AsyncClient, members: Team) -> str:
    return str((await invite(client, members["ADMIN"], "OPERATOR"))["user"]["id"])


def fixed(
    method: str, path: str, body: dict[str, Any] | None = None
) -> Callable[..., Awaitable[Request]]:
    async def build(client: httpx.AsyncClient, members: Team) -> Request:
        return method, path, body

    return build


def on_contact(
    method: str, body: dict[str, Any] | None = None
) -> Callable[..., Awaitable[Request]]:
    async def build(client: httpx.AsyncClient, members: Team) -> Request:
        return method, f"/v1/contacts/{await new_contact(client, members)}", body

    return build


def on_member(method: str, body: dict[str, Any] | None = None) -> Callable[..., Awaitable[Request]]:
    async def build(client: httpx.AsyncClient, members: Team) -> Request:
        return method, f"/v1/admin/users/{await new_member(client, members)}", body

    return build


def on_pending_top_up() -> Callable[..., Awaitable[Request]]:
    async def build(client: httpx.AsyncClient, members: Team) -> Request:
        requested = await client.post(
            "/v1/billing/top-ups", json={"amount": 5}, headers=members["ADMIN"]["headers"]
        )
        return "POST", f"/v1/billing/transactions/{requested.json()['id']}/confirm", None

    return build


def on_workflow(
    method: str, body: dict[str, Any] | None = None, action: str = ""
) -> Callable[..., Awaitable[Request]]:
    async def build(client: httpx.AsyncClient, members: Team) -> Request:
        from tests.unit.test_loom_definitions import LEAD_INTAKE

        created = await client.post(
            "/v1/workflows",
            json={"name": "W", "definition": LEAD_INTAKE},
            headers=members["ADMIN"]["headers"],
        )
        return method, f"/v1/workflows/{created.json()['id']}{action}", body

    return build


def on_agent(method: str, body: dict[str, Any] | None = None) -> Callable[..., Awaitable[Request]]:
    async def build(client: httpx.AsyncClient, members: Team) -> Request:
        created = await client.post(
            "/v1/agents", json={"name": "A", "type": "t"}, headers=members["ADMIN"]["headers"]
        )
        return method, f"/v1/agents/{created.json()['id']}", body

    return build


def on_alert(action: str) -> Callable[..., Awaitable[Request]]:
    async def build(client: httpx.AsyncClient, members: Team) -> Request:
        from tests.e2e.test_aegis import alerts_of

        admin = members["ADMIN"]["headers"]
        before = len(await alerts_of(client, admin, wanted=0))
        promoted = await new_member(client, members)
        await client.put(f"/v1/admin/users/{promoted}", json={"role": "ADMIN"}, headers=admin)
        alert = (await alerts_of(client, admin, wanted=before + 1))[0]
        return "POST", f"/v1/security/alerts/{alert['id']}/{action}", None

    return build


SLACK = {
    "integrationTypeId": "slack",
    "name": "Chat",
    "configDetails": {"workspaceUrl": "acme.slack.com", "botToken": "xoxb-1234567890"},
}


def on_integration(
    method: str, body: dict[str, Any] | None = None
) -> Callable[..., Awaitable[Request]]:
    async def build(client: httpx.AsyncClient, members: Team) -> Request:
        created = await client.post(
            "/v1/integrations", json=SLACK, headers=members["ADMIN"]["headers"]
        )
        return method, f"/v1/integrations/{created.json()['id']}", body

    return build


def on_paused_run(
    method: str, body: dict[str, Any] | None = None, action: str = ""
) -> Callable[..., Awaitable[Request]]:
    async def build(client: httpx.AsyncClient, members: Team) -> Request:
        from tests.e2e.test_workflow_runs import PAYOUT, create, settled, start

        admin = members["ADMIN"]["headers"]
        run_id = await start(client, admin, await create(client, admin, PAYOUT), {})
        await settled(client, admin, run_id, "paused")
        return method, f"/v1/workflows/runs/{run_id}{action}", body

    return build


MATRIX: list[tuple[str, Callable[..., Awaitable[Request]], set[str]]] = [
    ("GET /users/me", fixed("GET", "/v1/users/me"), ALL),
    ("PUT /users/me", fixed("PUT", "/v1/users/me", {"firstName": "X"}), ALL),
    ("GET /workspaces/me", fixed("GET", "/v1/workspaces/me"), ALL),
    (
        "PUT /workspaces/me name",
        fixed("PUT", "/v1/workspaces/me", {"name": "N"}),
        {"ADMIN", "MANAGER"},
    ),
    (
        "PUT /workspaces/me plan",
        fixed("PUT", "/v1/workspaces/me", {"planTier": "Artisan"}),
        {"ADMIN"},
    ),
    ("GET /billing/transactions", fixed("GET", "/v1/billing/transactions"), ALL),
    ("GET /admin/overview", fixed("GET", "/v1/admin/overview"), {"ADMIN"}),
    ("GET /admin/users", fixed("GET", "/v1/admin/users"), {"ADMIN"}),
    (
        "POST /admin/invitations",
        fixed("POST", "/v1/admin/invitations", {"email": "x@y.io", "role": "AUDITOR"}),
        {"ADMIN"},
    ),
    ("PUT /admin/users/{userId}", on_member("PUT", {"role": "AUDITOR"}), {"ADMIN"}),
    ("DELETE /admin/users/{userId}", on_member("DELETE"), {"ADMIN"}),
    ("GET /contacts", fixed("GET", "/v1/contacts"), ALL),
    ("POST /contacts", fixed("POST", "/v1/contacts", {"firstName": "C"}), WRITERS),
    ("GET /contacts/{contactId}", on_contact("GET"), ALL),
    ("PUT /contacts/{contactId}", on_contact("PUT", {"lastName": "L"}), WRITERS),
    ("DELETE /contacts/{contactId}", on_contact("DELETE"), WRITERS),
    ("POST /auth/logout", fixed("POST", "/v1/auth/logout"), ALL),
    ("GET /billing/usage", fixed("GET", "/v1/billing/usage"), ALL),
    ("POST /billing/top-ups", fixed("POST", "/v1/billing/top-ups", {"amount": 10}), WRITERS),
    ("POST /billing/transactions/{transactionId}/confirm", on_pending_top_up(), {"ADMIN"}),
    (
        "POST /billing/tributes",
        fixed("POST", "/v1/billing/tributes", {"instrumentId": "SISYPHUSS_ASCENT", "amount": 1}),
        WRITERS,
    ),
    ("GET /user/pulse", fixed("GET", "/v1/user/pulse"), ALL),
    ("GET /microapps", fixed("GET", "/v1/microapps"), ALL),
    ("POST /microapps/{appId}/unlock", fixed("POST", "/v1/microapps/stonks-bot/unlock"), {"ADMIN"}),
    ("GET /covenants/me", fixed("GET", "/v1/covenants/me"), ALL),
    ("GET /covenants/{name}/members", fixed("GET", "/v1/covenants/silence/members"), {"ADMIN"}),
    ("GET /covenants/{name}/leaderboard", fixed("GET", "/v1/covenants/silence/leaderboard"), ALL),
    ("GET /workflows", fixed("GET", "/v1/workflows"), ALL),
    (
        "POST /workflows",
        fixed(
            "POST",
            "/v1/workflows",
            {"name": "W", "definition": {"nodes": [{"id": "t", "type": "trigger"}]}},
        ),
        {"ADMIN", "MANAGER"},
    ),
    ("GET /workflows/{workflowId}", on_workflow("GET"), ALL),
    ("PUT /workflows/{workflowId}", on_workflow("PUT", {"name": "V"}), {"ADMIN", "MANAGER"}),
    ("DELETE /workflows/{workflowId}", on_workflow("DELETE"), {"ADMIN", "MANAGER"}),
    ("POST /workflows/{workflowId}/run", on_workflow("POST", {}, "/run"), WRITERS),
    ("GET /workflows/runs", fixed("GET", "/v1/workflows/runs"), ALL),
    ("GET /agents", fixed("GET", "/v1/agents"), ALL),
    ("POST /agents", fixed("POST", "/v1/agents", {"name": "A", "type": "t"}), {"ADMIN", "MANAGER"}),
    ("GET /agents/{agentId}", on_agent("GET"), ALL),
    ("PUT /agents/{agentId}", on_agent("PUT", {"status": "active"}), {"ADMIN", "MANAGER"}),
    ("DELETE /agents/{agentId}", on_agent("DELETE"), {"ADMIN", "MANAGER"}),
    ("GET /security/alerts", fixed("GET", "/v1/security/alerts"), {"ADMIN", "MANAGER", "AUDITOR"}),
    ("POST /security/alerts/{alertId}/acknowledge", on_alert("acknowledge"), {"ADMIN", "MANAGER"}),
    ("POST /security/alerts/{alertId}/dismiss", on_alert("dismiss"), {"ADMIN", "MANAGER"}),
    ("GET /security/edicts", fixed("GET", "/v1/security/edicts"), {"ADMIN", "MANAGER", "AUDITOR"}),
    (
        "PUT /security/edicts",
        fixed("PUT", "/v1/security/edicts", {"edicts": []}),
        {"ADMIN", "MANAGER"},
    ),
    (
        "GET /security/threat-indicators",
        fixed("GET", "/v1/security/threat-indicators"),
        {"ADMIN", "MANAGER", "AUDITOR"},
    ),
    (
        "PUT /security/threat-indicators",
        fixed("PUT", "/v1/security/threat-indicators", {"domains": ["bad.example"]}),
        {"ADMIN", "MANAGER"},
    ),
    (
        "GET /security/baselines",
        fixed("GET", "/v1/security/baselines"),
        {"ADMIN", "MANAGER", "AUDITOR"},
    ),
    (
        "POST /export/dossier",
        fixed(
            "POST", "/v1/export/dossier", {"format": "json", "dossierInput": {"targetName": "T"}}
        ),
        ALL,
    ),
    ("GET /integrations/catalogue", fixed("GET", "/v1/integrations/catalogue"), ALL),
    ("GET /integrations", fixed("GET", "/v1/integrations"), ALL),
    ("POST /integrations", fixed("POST", "/v1/integrations", SLACK), {"ADMIN"}),
    ("GET /integrations/{integrationId}", on_integration("GET"), ALL),
    (
        "PUT /integrations/{integrationId}",
        on_integration("PUT", {"name": "N"}),
        {"ADMIN", "MANAGER"},
    ),
    ("DELETE /integrations/{integrationId}", on_integration("DELETE"), {"ADMIN", "MANAGER"}),
    ("GET /audit/events", fixed("GET", "/v1/audit/events"), {"ADMIN", "AUDITOR"}),
    ("GET /audit/verify", fixed("GET", "/v1/audit/verify"), {"ADMIN", "AUDITOR"}),
    (
        "GET /audit/state",
        fixed("GET", "/v1/audit/state?at=2030-01-01T00:00:00Z"),
        {"ADMIN", "AUDITOR"},
    ),
    ("POST /beep/command", fixed("POST", "/v1/beep/command", {"command": "show my balance"}), ALL),
    ("GET /workflows/runs/{runId}", on_paused_run("GET"), ALL),
    (
        "POST /workflows/runs/{runId}/resume",
        on_paused_run("POST", {"approved": True}, "/resume"),
        {"ADMIN", "MANAGER"},
    ),
    (
        "POST /workflows/runs/{runId}/cancel",
        on_paused_run("POST", None, "/cancel"),
        {"ADMIN", "MANAGER"},
    ),
]


@pytest.mark.parametrize(("name", "build", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
async def test_each_role_may_do_exactly_what_the_policy_allows(
    client: httpx.AsyncClient,
    name: str,
    build: Callable[..., Awaitable[Request]],
    allowed: set[str],
) -> None:
    members = await team(client)
    for role in ("AUDITOR", "OPERATOR", "MANAGER", "ADMIN"):
        method, path, body = await build(client, members)
        response = await client.request(method, path, json=body, headers=members[role]["headers"])
        if role in allowed:
            assert response.status_code < 300, (role, name, response.text)
        else:
            assert response.status_code == 403, (role, name, response.text)
            assert response.headers["content-type"] == "application/problem+json"


async def test_the_matrix_covers_every_authenticated_endpoint_and_the_schema_names_roles(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    covered = {" ".join(name.split(" ")[:2]) for name, _, _ in MATRIX}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not path.startswith("/v1") or operation.get("security") == [{}]:
                continue
            assert f"{method.upper()} {path.removeprefix('/v1')}" in covered, (method, path)
            assert set(operation["x-required-roles"]) <= ALL


ID_ENDPOINTS = [
    ("GET", "/v1/contacts/{id}", None, "contact"),
    ("PUT", "/v1/contacts/{id}", {"firstName": "Z"}, "contact"),
    ("DELETE", "/v1/contacts/{id}", None, "contact"),
    ("PUT", "/v1/admin/users/{id}", {"role": "AUDITOR"}, "member"),
    ("DELETE", "/v1/admin/users/{id}", None, "member"),
]


@pytest.mark.parametrize(("method", "template", "body", "kind"), ID_ENDPOINTS)
async def test_another_workspaces_id_is_indistinguishable_from_a_missing_one(
    client: httpx.AsyncClient, method: str, template: str, body: dict[str, Any] | None, kind: str
) -> None:
    theirs = await team(client)
    mine = await register(client)
    foreign = (
        await new_contact(client, theirs) if kind == "contact" else await new_member(client, theirs)
    )
    probe = await client.request(
        method, template.format(id=foreign), json=body, headers=mine["headers"]
    )
    missing = await client.request(
        method, template.format(id=uuid.uuid4()), json=body, headers=mine["headers"]
    )
    assert probe.status_code == missing.status_code == 404
    assert probe.json() == missing.json()
    still_there = await client.get(
        "/v1/contacts" if kind == "contact" else "/v1/admin/users",
        headers=theirs["ADMIN"]["headers"],
    )
    assert foreign in {item["id"] for item in still_there.json()}


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_an_id_of_another_kind_of_resource_is_a_404_not_a_500(
    client: httpx.AsyncClient, method: str
) -> None:
    owner = await register(client)
    body = {"firstName": "Z"} if method == "PUT" else None
    for foreign in (owner["user"]["id"], owner["workspace"]["id"]):
        response = await client.request(
            method, f"/v1/contacts/{foreign}", json=body, headers=owner["headers"]
        )
        assert response.status_code == 404, response.text
