"""`aevon worker`: the relay and every projection runner in one asyncio process."""

from __future__ import annotations

import asyncio
import logging
import signal

import anyio

from aevon.bus import connect, ensure_stream
from aevon.eventstore import ensure_store
from aevon.settings import Settings
from projections.catalogue import PROJECTIONS
from workers.projector import ProjectionRunner
from workers.relay import Relay

log = logging.getLogger(__name__)


async def run_worker(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    assert settings.database_url
    await anyio.to_thread.run_sync(ensure_store, settings.database_url)
    nc = await connect(settings, "aevon-worker")
    js = nc.jetstream()
    await ensure_stream(js, settings)
    tasks = [asyncio.create_task(Relay(settings, js).run(stop))]
    tasks += [
        asyncio.create_task(ProjectionRunner(settings, nc, p).run(stop))
        for p in PROJECTIONS.values()
    ]
    log.info("worker running: relay and projections %s", ", ".join(PROJECTIONS))
    await stop.wait()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await nc.close()
