"""Lanes of their own take turns between processes: a ledger's batch waits for the lock the
other process holds; the workspace's other commands do not."""

from __future__ import annotations

import asyncio
import threading
import time
from uuid import UUID, uuid4

import httpx
import psycopg

from aevon.advisory import AdvisoryLocks
from aevon.eventstore import EventStore
from commands.bus import CommandBus
from commands.context import Context
from commands.crm.create_contact import CreateContact
from commands.handlers import HANDLERS
from domain.crm.contact import ContactDetails
from domain.ledger.ledger import ledger_id
from tests.integration.test_ledger_concurrency import charge
from tests.support import Servers, register

HOLD = "SELECT pg_advisory_lock(hashtext('aevon-lane'), hashtext(%s))"


def test_one_key_is_held_by_one_holder_at_a_time_and_other_keys_are_free(
    servers: Servers,
) -> None:
    first, second = (AdvisoryLocks(servers.database_url, 2) for _ in range(2))
    entered: list[str] = []
    try:
        with first.taking_turns("ledger-a"):
            with second.taking_turns("ledger-b"):
                entered.append("b")  # another key: no wait

            def take_a() -> None:
                with second.taking_turns("ledger-a"):
                    entered.append("a")

            waiting = threading.Thread(target=take_a)
            waiting.start()
            waiting.join(0.3)
            assert waiting.is_alive(), "a second holder of the same key did not wait"
        waiting.join(5)
        assert entered == ["b", "a"]
    finally:
        first.close()
        second.close()


def test_a_lock_not_to_be_had_in_time_is_gone_without(servers: Servers) -> None:
    locks = AdvisoryLocks(servers.database_url, 1, wait_s=0.2)
    ran = False
    try:
        with psycopg.connect(servers.database_url, autocommit=True) as holder:
            holder.execute(HOLD, ("stuck",))
            started = time.monotonic()
            with locks.taking_turns("stuck"):
                ran = True
            assert 0.15 < time.monotonic() - started < 2
    finally:
        locks.close()
    assert ran


async def test_a_ledger_command_waits_for_its_lane_lock_and_a_contact_does_not(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    owner = await register(client)
    workspace, actor = UUID(owner["workspace"]["id"]), UUID(owner["user"]["id"])
    url = servers.database_url
    bus = CommandBus(EventStore.connect(url), HANDLERS, locks=AdvisoryLocks(url, 8))
    try:
        with psycopg.connect(url, autocommit=True) as other_process:
            other_process.execute(HOLD, (str(ledger_id(workspace)),))
            charging = asyncio.create_task(bus.execute(charge(1), Context.new(workspace, actor)))
            contact = CreateContact(
                contact_id=uuid4(), details=ContactDetails(first_name="Unhindered")
            )
            await asyncio.wait_for(bus.execute(contact, Context.new(workspace, actor)), 5)
            await asyncio.sleep(0.3)
            assert not charging.done(), "the ledger command did not wait for its lane's lock"
        await asyncio.wait_for(charging, 5)  # the lock went with the other session
    finally:
        await bus.close()
