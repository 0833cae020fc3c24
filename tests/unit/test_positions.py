"""Requests waiting for read models wake when, and only when, what they wait for is announced."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from aevon.positions import Positions


class UnreachablePool:
    def connection(self) -> Any:
        raise ConnectionError("no database in a unit test")


def positions() -> Positions:
    return Positions(["contacts", "users", "audit"], UnreachablePool())  # type: ignore[arg-type]


async def test_a_wait_ends_when_its_projections_reach_the_position() -> None:
    tracker = positions()
    waiting = asyncio.create_task(tracker.wait(5, 5, ["contacts", "users"]))
    await asyncio.sleep(0)
    tracker._advance("contacts", 7)
    await asyncio.sleep(0)
    assert not waiting.done()  # users is still behind
    tracker._advance("users", 5)
    assert await asyncio.wait_for(waiting, 1) is True


async def test_a_lagging_projection_a_request_does_not_need_does_not_hold_it() -> None:
    tracker = positions()
    for_contacts = asyncio.create_task(tracker.wait(3, 5, ["contacts"]))
    for_everything = asyncio.create_task(tracker.wait(3, 5))
    await asyncio.sleep(0)
    tracker._advance("contacts", 3)
    assert await asyncio.wait_for(for_contacts, 1) is True
    assert not for_everything.done()
    tracker._advance("users", 4)
    tracker._advance("audit", 9)
    assert await asyncio.wait_for(for_everything, 1) is True


async def test_waits_end_in_position_order_and_later_ones_keep_waiting() -> None:
    tracker = positions()
    waits = {p: asyncio.create_task(tracker.wait(p, 5, ["contacts"])) for p in (9, 2, 5)}
    await asyncio.sleep(0)
    tracker._advance("contacts", 5)
    await asyncio.sleep(0)
    assert waits[2].done()
    assert waits[5].done()
    assert not waits[9].done()
    tracker._advance("contacts", 4)  # an older announcement arriving late changes nothing
    assert tracker.current["contacts"] == 5
    tracker._advance("contacts", 9)
    assert await asyncio.wait_for(waits[9], 1) is True


async def test_a_wait_that_times_out_answers_false_and_is_forgotten() -> None:
    tracker = positions()
    assert await tracker.wait(4, 0.05, ["users"]) is False
    assert tracker.waiters[("users",)] == []
    assert await tracker.wait(0, 0.05, ["users"]) is True  # already there: no waiting


async def test_one_announcement_carries_every_projection_of_a_batch() -> None:
    tracker = positions()
    waiting = asyncio.create_task(tracker.wait(8, 5))
    await asyncio.sleep(0)
    message = SimpleNamespace(data=b'{"contacts": 8, "users": 8, "audit": 8}')
    await tracker._on_announcement(message)  # type: ignore[arg-type]
    assert await asyncio.wait_for(waiting, 1) is True
    await tracker._on_announcement(SimpleNamespace(data=b"not json"))  # type: ignore[arg-type]
    assert tracker.current == {"contacts": 8, "users": 8, "audit": 8}
