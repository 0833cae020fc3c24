"""The relay records how far it published, and a restarted relay goes on from there."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, NamedTuple

import psycopg
from nats.aio.client import Client
from nats.js import JetStreamContext

from aevon.bus import connect, ensure_stream
from aevon.eventstore import EventStore
from aevon.settings import Settings, load_settings
from tests.integration.test_relay_lost_tail import save_contacts
from tests.support import Servers, scratch_database
from workers.relay import Relay


def recorded(url: str) -> int:
    with psycopg.connect(url) as conn:
        try:
            row = conn.execute("SELECT position FROM public.aevon_relay WHERE id = 1").fetchone()
        except psycopg.errors.UndefinedTable:  # the relay has not created it yet
            return 0
        return int(row[0]) if row else 0


async def until(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the condition did not hold in time")


@asynccontextmanager
async def relaying(settings: Settings, nc: Client) -> AsyncIterator[Relay]:
    relay, stop = Relay(settings, nc), asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        yield relay
    finally:
        stop.set()
        task.cancel()


class Setup(NamedTuple):
    url: str
    store: EventStore
    settings: Settings
    nc: Client
    js: JetStreamContext


@asynccontextmanager
async def relay_servers(servers: Servers, name: str) -> AsyncIterator[Setup]:
    with scratch_database(servers.database_url, name) as url:
        store = EventStore.connect(url, pool_size=1)
        settings = load_settings(
            {
                "AEVON_DATABASE_URL": url,
                "AEVON_NATS_URL": servers.nats_url,
                "AEVON_NAMESPACE": f"{servers.namespace}{name}",
            }
        )
        nc = await connect(settings, "test-relay-position")
        js = nc.jetstream()
        await ensure_stream(js, settings)
        try:
            yield Setup(url, store, settings, nc, js)
        finally:
            await js.delete_stream(settings.stream)
            await nc.close()
            store.close()


async def test_a_restarted_relay_goes_on_from_the_position_it_recorded(servers: Servers) -> None:
    async with relay_servers(servers, "resume") as (url, store, settings, nc, js):

        async def published() -> int:
            return int((await js.stream_info(settings.stream)).state.last_seq)

        async with relaying(settings, nc):
            save_contacts(store, 3)
            save_contacts(store, 2)
            # The last batch's position is written by the read that follows it.
            await until(lambda: recorded(url) == 5)
        assert await published() == 5

        save_contacts(store, 4)
        async with relaying(settings, nc) as relay:
            await until(lambda: recorded(url) == 9)
            assert relay.position == 9
        # Had it started from 0, the stream would hold the first five again: the duplicate
        # filter would drop them, but each message's sequence shows it was sent.
        assert await published() == 9
        message = await js.get_msg(settings.stream, seq=6)
        assert (message.headers or {})["Aevon-Position"] == "6"


async def test_a_relay_stopped_right_after_publishing_records_the_batch(servers: Servers) -> None:
    async with relay_servers(servers, "stop") as (url, store, settings, nc, _):
        relay, stop = Relay(settings, nc), asyncio.Event()
        publish = relay._publish

        async def publish_then_stop(conn: Any, events: Any) -> bool:
            published = await publish(conn, events)
            stop.set()  # before the read that would record the batch
            return published

        relay._publish = publish_then_stop  # type: ignore[method-assign]
        save_contacts(store, 3)
        await asyncio.wait_for(relay.run(stop), 10)
        assert relay.position == 3
        assert recorded(url) == 3
