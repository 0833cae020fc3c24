import asyncio
import uuid

import httpx
import pytest

from tests.support import register, team


async def test_usage_reports_the_plan_quota_and_balance(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    usage = (await client.get("/v1/billing/usage", headers=owner["headers"])).json()
    assert usage["planTier"] == "Apprentice"
    assert usage["planLimit"] == 100
    assert usage["actionsUsed"] == 0
    assert usage["creditBalance"] == 100.0
    assert usage["periodStart"] < usage["periodEnd"]
    await client.put("/v1/workspaces/me", json={"planTier": "Priesthood"}, headers=owner["headers"])
    usage = (await client.get("/v1/billing/usage", headers=owner["headers"])).json()
    assert (usage["planTier"], usage["planLimit"]) == ("Priesthood", None)


async def test_a_top_up_is_pending_until_an_admin_confirms_it_once(
    client: httpx.AsyncClient,
) -> None:
    members = await team(client)
    operator, admin = members["OPERATOR"]["headers"], members["ADMIN"]["headers"]
    requested = await client.post("/v1/billing/top-ups", json={"amount": 25.5}, headers=operator)
    assert requested.status_code == 201
    body = requested.json()
    assert (body["type"], body["status"], body["amount"]) == ("CREDIT", "PENDING", 25.5)
    assert (await client.get("/v1/workspaces/me", headers=admin)).json()["credits"] == 100.0
    url = f"/v1/billing/transactions/{body['id']}/confirm"
    assert (await client.post(url, headers=operator)).status_code == 403
    confirmed = await client.post(url, headers=admin)
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "COMPLETED"
    assert (await client.get("/v1/workspaces/me", headers=admin)).json()["credits"] == 125.5
    assert (await client.post(url, headers=admin)).status_code == 409
    grant = (
        await client.get("/v1/billing/transactions?type=CREDIT&status=COMPLETED", headers=admin)
    ).json()
    assert {t["description"] for t in grant} == {
        "Initial Apprentice credit grant.",
        "Top-up request.",
    }


@pytest.mark.parametrize("amount", [0, -5, 1.234, 10_000_001, "ten", None, [1]])
async def test_invalid_top_up_amounts_are_400(client: httpx.AsyncClient, amount: object) -> None:
    owner = await register(client)
    response = await client.post(
        "/v1/billing/top-ups", json={"amount": amount}, headers=owner["headers"]
    )
    assert response.status_code == 400


async def test_confirming_anything_but_a_pending_credit_of_ones_own_workspace_is_404(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    other = await register(client)
    theirs = await client.post("/v1/billing/top-ups", json={"amount": 5}, headers=other["headers"])
    grant = (await client.get("/v1/billing/transactions", headers=owner["headers"])).json()[0]
    for transaction in (theirs.json()["id"], grant["id"], str(uuid.uuid4())):
        response = await client.post(
            f"/v1/billing/transactions/{transaction}/confirm", headers=owner["headers"]
        )
        assert response.status_code == 404


async def test_a_tribute_records_its_outcome_and_moves_the_balance_by_boon_minus_tribute(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    paid = await client.post(
        "/v1/billing/tributes",
        json={"instrumentId": "MERCHANT_OF_CABBAGE"},
        headers=owner["headers"],
    )
    assert paid.status_code == 201
    tribute = paid.json()
    assert tribute["type"] == "TRIBUTE"
    assert tribute["instrumentId"] == "MERCHANT_OF_CABBAGE"
    assert tribute["userPsyche"] == "ZEN_ARCHITECT"
    assert tribute["outcome"] in {"common", "uncommon", "rare", "mythic", "pity_boon"}
    assert 0.05 <= tribute["luckWeight"] <= 0.95
    assert tribute["amount"] == pytest.approx(tribute["boonAmount"] - 15)
    credits = (await client.get("/v1/workspaces/me", headers=owner["headers"])).json()["credits"]
    assert credits == pytest.approx(100 + tribute["amount"])
    listed = (
        await client.get("/v1/billing/transactions?type=TRIBUTE", headers=owner["headers"])
    ).json()
    assert [t["id"] for t in listed] == [tribute["id"]]


async def test_concurrent_tributes_on_one_ledger_each_get_their_own_answer_once(
    client: httpx.AsyncClient,
) -> None:
    """Ledger commands queue per ledger and are decided in batches: twins of one key must
    still get one tribute between them, and the others one each."""
    owner = await register(client)
    body = {"instrumentId": "SISYPHUSS_ASCENT", "amount": 1}
    keyed = owner["headers"] | {"Idempotency-Key": "tribute-1"}
    # The first request runs alone; the twins then queue, most of them into one batch.
    responses = await asyncio.gather(
        *(
            client.post("/v1/billing/tributes", json=body, headers=owner["headers"])
            for _ in range(10)
        ),
        *(client.post("/v1/billing/tributes", json=body, headers=keyed) for _ in range(10)),
    )
    twins = responses[10:]
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in twins}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in twins) == 9
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 11
    listed = (
        await client.get("/v1/billing/transactions?type=TRIBUTE", headers=owner["headers"])
    ).json()
    assert {t["id"] for t in listed} == ids
    credits = (await client.get("/v1/workspaces/me", headers=owner["headers"])).json()["credits"]
    assert credits == pytest.approx(100 + sum(t["amount"] for t in listed))


async def test_an_unaffordable_tribute_is_402_and_records_nothing(
    client: httpx.AsyncClient,
) -> None:
    owner = await register(client)
    refused = await client.post(
        "/v1/billing/tributes",
        json={"instrumentId": "SISYPHUSS_ASCENT", "amount": 100.01},
        headers=owner["headers"],
    )
    assert refused.status_code == 402
    assert refused.headers["content-type"] == "application/problem+json"
    assert len((await client.get("/v1/billing/transactions", headers=owner["headers"])).json()) == 1
    unknown = await client.post(
        "/v1/billing/tributes", json={"instrumentId": "NOPE"}, headers=owner["headers"]
    )
    assert unknown.status_code == 404


async def test_the_pulse_gives_a_narrative_of_its_phase(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    pulse = (await client.get("/v1/user/pulse", headers=owner["headers"])).json()
    narratives = {
        "CREST": "The river of fortune swells. Ride it before it turns.",
        "TROUGH": "The divine pendulum tilts. Not in your favor, today.",
        "EQUILIBRIUM": "The threads of fate are in balance. All outcomes are your own.",
    }
    assert pulse["narrative"] == narratives[pulse["phase"]]
    assert 0.05 <= pulse["value"] <= 0.95


async def test_micro_apps_unlock_once_for_their_cost(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    catalogue = {
        a["id"]: a for a in (await client.get("/v1/microapps", headers=owner["headers"])).json()
    }
    assert catalogue["dr-syntax"] == {
        "id": "dr-syntax",
        "name": "Dr. Syntax",
        "creditCost": 200.0,
        "unlocked": False,
    }
    assert catalogue["contact-list"]["unlocked"] is True
    unlocked = await client.post("/v1/microapps/stonks-bot/unlock", headers=owner["headers"])
    assert unlocked.status_code == 201
    assert unlocked.json()["description"] == "Micro-App Unlock: Stonks Bot"
    assert (unlocked.json()["type"], unlocked.json()["amount"]) == ("DEBIT", -10.0)
    assert unlocked.json()["instrumentId"] == "stonks-bot"
    again = await client.post("/v1/microapps/stonks-bot/unlock", headers=owner["headers"])
    assert again.status_code == 409
    included = await client.post("/v1/microapps/contact-list/unlock", headers=owner["headers"])
    assert included.status_code == 409
    costly = await client.post("/v1/microapps/dr-syntax/unlock", headers=owner["headers"])
    assert costly.status_code == 402
    assert (
        await client.post("/v1/microapps/nope/unlock", headers=owner["headers"])
    ).status_code == 404
    catalogue = {
        a["id"]: a for a in (await client.get("/v1/microapps", headers=owner["headers"])).json()
    }
    assert catalogue["stonks-bot"]["unlocked"] is True
    assert (await client.get("/v1/workspaces/me", headers=owner["headers"])).json()[
        "credits"
    ] == 90.0


async def test_covenants_follow_psyche_and_score_recent_spending(client: httpx.AsyncClient) -> None:
    owner = await register(client, psyche="RISK_AVERSE_ARTISAN")
    mine = (await client.get("/v1/covenants/me", headers=owner["headers"])).json()
    assert mine == {"name": "Covenant of Worship", "urlName": "worship", "symbol": "🜃"}
    board = (await client.get("/v1/covenants/worship/leaderboard", headers=owner["headers"])).json()
    assert [(e["userId"], e["score"]) for e in board] == [(owner["user"]["id"], 100)]
    await client.post("/v1/microapps/stonks-bot/unlock", headers=owner["headers"])
    board = (await client.get("/v1/covenants/worship/leaderboard", headers=owner["headers"])).json()
    assert board[0]["score"] == 0  # 100 + 10 × (−15), floored at 0
    members = (await client.get("/v1/covenants/worship/members", headers=owner["headers"])).json()
    assert [m["id"] for m in members] == [owner["user"]["id"]]
    assert (
        await client.get("/v1/covenants/silence/members", headers=owner["headers"])
    ).json() == []
    assert (
        await client.get("/v1/covenants/nowhere/leaderboard", headers=owner["headers"])
    ).status_code == 404
