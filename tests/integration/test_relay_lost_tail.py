"""JetStream syncs to disk once a second: the relay publishes again what a crash made it lose."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path
from uuid import uuid4

from nats.js import JetStreamContext

from aevon.bus import connect, ensure_stream
from aevon.embedded import EmbeddedNats
from aevon.eventstore import EventStore
from aevon.settings import load_settings
from domain.crm.contact import Contact, ContactDetails
from tests.integration.helpers import NOW, meta
from tests.support import Servers, scratch_database
from workers.relay import Relay


def save_contacts(store: EventStore, count: int) -> None:
    workspace = meta()
    contacts = []
    for index in range(count):
        contact = Contact(uuid4())
        contact.create(workspace.workspace_id, ContactDetails(first_name=f"C{index}"), NOW)
        contacts.append(contact)
    store.append(contacts, workspace)


async def stream_positions(js: JetStreamContext, stream: str, count: int) -> list[int]:
    """The Aevon-Position of every message, once the stream holds `count` of them."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            last = (await js.stream_info(stream)).state.last_seq
        except Exception:  # the server is still coming back
            last = 0
        if last >= count:
            messages = [await js.get_msg(stream, seq=s) for s in range(1, last + 1)]
            return [int((m.headers or {})["Aevon-Position"]) for m in messages]
        await asyncio.sleep(0.2)
    raise TimeoutError(f"the stream did not reach {count} messages")


async def test_a_tail_lost_in_a_crash_is_published_again(servers: Servers, tmp_path: Path) -> None:
    with scratch_database(servers.database_url, "relay") as url:
        store = EventStore.connect(url, pool_size=1)
        nats_server = EmbeddedNats(tmp_path)
        settings = load_settings(
            {
                "AEVON_DATABASE_URL": url,
                "AEVON_NATS_URL": nats_server.url,
                "AEVON_NAMESPACE": "tail",
            }
        )
        nc = await connect(settings, "test-relay")
        js = nc.jetstream()
        await ensure_stream(js, settings)
        stop = asyncio.Event()
        relay = asyncio.create_task(Relay(settings, nc).run(stop))
        try:
            save_contacts(store, 5)
            assert await stream_positions(js, settings.stream, 5) == [1, 2, 3, 4, 5]
            # What was on disk at this point is all that will survive the crash.
            nats_server.stop()
            synced = tmp_path / "synced"
            shutil.copytree(nats_server.dir / "store", synced)
            nats_server.start()
            save_contacts(store, 5)
            assert await stream_positions(js, settings.stream, 10) == list(range(1, 11))

            nats_server.process.kill()
            nats_server.process.wait()
            shutil.rmtree(nats_server.dir / "store")
            shutil.copytree(synced, nats_server.dir / "store")
            nats_server.start()
            assert await stream_positions(js, settings.stream, 10) == list(range(1, 11))
        finally:
            stop.set()
            relay.cancel()
            await nc.close()
            nats_server.stop()
            store.close()
