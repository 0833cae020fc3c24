"""100 parallel 7-action charges through two command buses (two API replicas) on one ledger,
conflicting or taking turns."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from uuid import UUID, uuid4

import httpx
import pytest

from aevon.advisory import AdvisoryLocks
from aevon.eventstore import EventStore
from commands.bus import CommandBus
from commands.context import Context
from commands.handlers import HANDLERS
from commands.ledger.meter_actions import MeterActions
from domain.ledger.ledger import InsufficientCredits, Ledger, ledger_id
from domain.ledger.plans import ActionKind
from tests.integration.helpers import converged
from tests.support import Servers, connect, register


def charge(actions: int) -> MeterActions:
    return MeterActions(
        kind=ActionKind.SIMPLE_STEP,
        multiplier=actions,
        reason="test charge",
        transaction_id=uuid4(),
    )


@pytest.mark.parametrize("taking_turns", [False, True], ids=["conflicting", "taking-turns"])
async def test_exactly_fourteen_of_a_hundred_charges_fit_in_a_hundred_credits(
    client: httpx.AsyncClient, servers: Servers, taking_turns: bool
) -> None:
    owner = await register(client)
    workspace = UUID(owner["workspace"]["id"])
    actor = UUID(owner["user"]["id"])
    url = servers.database_url
    replicas = [
        CommandBus(
            EventStore.connect(url), HANDLERS, locks=AdvisoryLocks(url, 8) if taking_turns else None
        )
        for _ in range(2)
    ]
    try:
        await replicas[0].execute(charge(100), Context.new(workspace, actor))  # the month's quota

        async def attempt(index: int) -> str:
            bus = replicas[index % 2]
            try:
                await bus.execute(charge(7), Context.new(workspace, actor))
            except InsufficientCredits:
                return "402"
            return "ok"

        outcomes = await asyncio.gather(*(attempt(i) for i in range(100)))
        assert outcomes.count("ok") == 14
        assert outcomes.count("402") == 86
        replayed = replicas[0].store.load(Ledger, ledger_id(workspace))
    finally:
        for bus in replicas:
            await bus.close()

    assert replayed.balance == Decimal(2)
    await converged(servers.database_url)
    with connect(servers.database_url) as conn:
        completed = conn.execute(
            "SELECT sum(amount), count(*) FILTER (WHERE type = 'DEBIT')"
            " FROM rm_ledger.transactions WHERE workspace_id=%s AND status='COMPLETED'",
            (workspace,),
        ).fetchone()
    assert completed is not None
    assert completed[0] == Decimal(2)
    assert completed[1] == 14
    usage = await client.get("/v1/billing/usage", headers=owner["headers"])
    assert usage.json()["creditBalance"] == 2.0
    assert usage.json()["actionsUsed"] == 100 + 14 * 7


@pytest.mark.parametrize("actions", [101])
async def test_a_charge_beyond_quota_and_balance_records_nothing(
    client: httpx.AsyncClient, servers: Servers, actions: int
) -> None:
    owner = await register(client)
    workspace = UUID(owner["workspace"]["id"])
    bus = CommandBus(EventStore.connect(servers.database_url), HANDLERS)
    try:
        await bus.execute(charge(100), Context.new(workspace, UUID(owner["user"]["id"])))
        with pytest.raises(InsufficientCredits):
            await bus.execute(charge(actions), Context.new(workspace, UUID(owner["user"]["id"])))
        ledger = bus.store.load(Ledger, ledger_id(workspace))
    finally:
        bus.store.close()
    assert ledger.balance == Decimal(100)
    assert ledger.actions_used == 100
