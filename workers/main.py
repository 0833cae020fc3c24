"""`aevon worker`: the relay, every projection runner and the Loom engine, or some of them."""

from __future__ import annotations

import asyncio
import io
import logging
import signal
from collections.abc import Awaitable, Callable, Collection
from typing import Any

import anyio

from aevon.bus import connect, ensure_stream
from aevon.eventstore import ensure_store
from aevon.settings import Settings
from projections.catalogue import PROJECTIONS
from workers.aegis import AegisEngine
from workers.loom import LoomEngine
from workers.projector import ProjectionRunner
from workers.relay import Relay

log = logging.getLogger(__name__)


async def until_done(what: str, step: Callable[..., Awaitable[Any]], *args: Any) -> None:
    """Start-up waits out a database or bus that is restarting instead of exiting."""
    while True:
        try:
            await step(*args)
            return
        except Exception as error:
            log.warning("%s failed (%s); retrying in 1 s", what, error)
            await asyncio.sleep(1)


PARTS = ("relay", "projections", "loom", "aegis")


def log_tasks() -> None:
    """`kill -USR1 <worker>` logs where each of its tasks is waiting, to diagnose a stall."""
    for task in asyncio.all_tasks():
        where = io.StringIO()
        task.print_stack(file=where)
        log.warning("%s", where.getvalue())


async def run_worker(settings: Settings, parts: Collection[str] = PARTS) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, log_tasks)
    assert settings.database_url
    await until_done(
        "creating the event store", anyio.to_thread.run_sync, ensure_store, settings.database_url
    )
    nc = await connect(settings, "aevon-worker")
    js = nc.jetstream()
    await until_done("declaring the stream", ensure_stream, js, settings)
    runners: list[Any] = []
    if "relay" in parts:
        runners.append(Relay(settings, nc))
    if "projections" in parts:
        runners.append(ProjectionRunner(settings, nc, list(PROJECTIONS.values())))
    if "loom" in parts:
        runners.append(LoomEngine(settings, nc))
    if "aegis" in parts:
        runners.append(AegisEngine(settings))
    tasks = [asyncio.create_task(runner.run(stop)) for runner in runners]
    log.info("worker running: %s", ", ".join(p for p in PARTS if p in parts))
    await stop.wait()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await nc.close()
