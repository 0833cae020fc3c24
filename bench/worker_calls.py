"""Runs the worker's relay and projection runner in this process until every projection has the
store's last event, so that `bench/instructions.py` can count what they execute per event.

Arguments: the position of the last event to wait for, and the batch size of both the relay and
the runner (the bench's live load brings batches of ~16 events). Environment: the `AEVON_*`
settings of a database and a namespace of their own. The events are appended by another process
once the runner's consumer exists, so that they come through the bus as live ones do.
"""

from __future__ import annotations

import json
import os
import signal
import sys

import nats
import uvloop

from aevon.bus import positions_subject
from aevon.settings import load_settings
from projections.catalogue import PROJECTIONS
from workers import projector, relay
from workers.main import run_worker


async def main(last: int, batch: int) -> None:
    settings = load_settings()
    assert settings.nats_url
    relay.BATCH = projector.BATCH = batch
    watcher = await nats.connect(settings.nats_url)

    async def on_positions(message: nats.aio.msg.Msg) -> None:
        positions = json.loads(message.data)
        if all(positions.get(name, 0) >= last for name in PROJECTIONS):
            os.kill(os.getpid(), signal.SIGTERM)  # run_worker stops on it

    await watcher.subscribe(positions_subject(settings.namespace), cb=on_positions)
    await run_worker(settings, ("relay", "projections"))
    await watcher.close()


if __name__ == "__main__":
    uvloop.run(main(int(sys.argv[1]), int(sys.argv[2])))
