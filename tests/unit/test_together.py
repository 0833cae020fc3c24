"""A worker's loops stop together even when one of them swallows its cancellation."""

import asyncio
import time

import pytest

from workers import together
from workers.together import run_together


async def swallows_cancellation(halt: asyncio.Event) -> None:
    """Like nats-py's fetch on Python 3.11: a cancellation can turn into a timeout."""
    while not halt.is_set():
        try:
            await asyncio.sleep(0.1)
        except asyncio.CancelledError:
            continue


async def fails(halt: asyncio.Event) -> None:
    await asyncio.sleep(0.05)
    raise RuntimeError("the store went away")


async def test_a_failing_loop_stops_the_others_even_one_that_swallows_cancellation() -> None:
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="went away"):
        await asyncio.wait_for(run_together([swallows_cancellation, fails], asyncio.Event()), 3)
    assert time.monotonic() - started < 1


async def test_a_loop_that_never_stops_is_left_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(together, "GRACE_S", 0.2)
    release = asyncio.Event()

    async def stubborn(halt: asyncio.Event) -> None:
        while not release.is_set():
            try:
                await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                continue

    with pytest.raises(RuntimeError):
        await asyncio.wait_for(run_together([stubborn, fails], asyncio.Event()), 2)
    release.set()


async def test_stop_ends_every_loop() -> None:
    stop = asyncio.Event()
    stop.set()
    await asyncio.wait_for(run_together([swallows_cancellation], stop), 2)
