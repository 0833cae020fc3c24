"""Runs a worker's loops side by side until one fails or the worker stops.

Not `asyncio.TaskGroup`: it waits for every cancelled task to end, and nats-py's `fetch` on
Python 3.11 can swallow a cancellation (its `asyncio.wait_for`), which left a whole engine
waiting forever. Here each loop also watches `halt`, and a loop that still has not ended a few
seconds after being cancelled is left behind.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

log = logging.getLogger(__name__)
Loop = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
GRACE_S = 5.0


async def run_together(loops: Sequence[Loop], stop: asyncio.Event) -> None:
    halt = asyncio.Event()
    tasks = [asyncio.create_task(loop(halt)) for loop in loops]
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait([*tasks, stopping], return_when=asyncio.FIRST_COMPLETED)
    finally:
        halt.set()
        stopping.cancel()
        for task in tasks:
            task.cancel()
        _, stuck = await asyncio.wait(tasks, timeout=GRACE_S)
        for task in stuck:
            log.error("%s did not stop within %s s; leaving it behind", task.get_coro(), GRACE_S)
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
