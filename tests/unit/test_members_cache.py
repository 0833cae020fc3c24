"""An API process remembers a caller's membership only while it cannot have changed."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import msgspec
import pytest

from aevon.bus import MEMBERSHIP
from aevon.positions import Positions
from api import members as members_module
from api.members import Members
from projections.engine import Delivery
from workers.projector import ProjectionRunner

USER = uuid4()


class Bus:
    def __init__(self) -> None:
        self.is_connected = True
        self.stats = {"reconnects": 0}


class ReadModel:
    """Stands in for the users table: counts reads, and can hold a read open."""

    def __init__(self) -> None:
        self.role = "admin"
        self.reads = 0
        self.gate: asyncio.Event | None = None

    async def get_member(self, pool: Any, user_id: UUID) -> dict[str, Any] | None:
        self.reads += 1
        role = self.role  # read before any hold: the row as it was when the query ran
        if self.gate is not None:
            await self.gate.wait()
        return {"id": user_id, "workspace_id": USER, "role": role} if user_id == USER else None


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> ReadModel:
    model = ReadModel()
    monkeypatch.setattr(members_module, "get_member", model.get_member)
    return model


async def announced(positions: Positions, announcement: dict[str, int]) -> None:
    await positions._on_announcement(SimpleNamespace(data=msgspec.json.encode(announcement)))  # type: ignore[arg-type]


def cache(bus: Bus | None = None) -> tuple[Members, Positions]:
    positions = Positions(["users"], None)  # type: ignore[arg-type]
    return Members(None, positions, bus or Bus()), positions  # type: ignore[arg-type]


async def test_a_member_is_read_once_then_remembered(model: ReadModel) -> None:
    members, _ = cache()
    first = await members.get(USER)
    assert first is not None
    assert first["role"] == "admin"
    assert await members.get(USER) == first
    assert model.reads == 1


async def test_an_announced_membership_change_is_read_again(model: ReadModel) -> None:
    members, positions = cache()
    await members.get(USER)
    model.role = "viewer"
    await announced(positions, {"users": 9})  # a position alone changes nothing
    assert (await members.get(USER))["role"] == "admin"  # type: ignore[index]
    await announced(positions, {"users": 10, MEMBERSHIP: 10})
    assert (await members.get(USER))["role"] == "viewer"  # type: ignore[index]
    assert model.reads == 2


async def test_a_row_read_while_a_change_is_announced_is_not_remembered(model: ReadModel) -> None:
    members, positions = cache()
    model.gate = asyncio.Event()
    reading = asyncio.create_task(members.get(USER))
    await asyncio.sleep(0)
    model.role = "viewer"
    await announced(positions, {"users": 3, MEMBERSHIP: 3})
    model.gate.set()
    assert (await reading)["role"] == "admin"  # type: ignore[index]
    model.gate = None
    assert (await members.get(USER))["role"] == "viewer"  # type: ignore[index]


async def test_nothing_is_reused_while_the_bus_is_down_or_after_it_reconnected(
    model: ReadModel,
) -> None:
    bus = Bus()
    members, _ = cache(bus)
    await members.get(USER)
    bus.is_connected = False
    await members.get(USER)
    await members.get(USER)
    assert model.reads == 3
    bus.is_connected, bus.stats["reconnects"] = True, 1
    await members.get(USER)
    await members.get(USER)
    assert model.reads == 4


async def test_a_remembered_row_expires(model: ReadModel, monkeypatch: pytest.MonkeyPatch) -> None:
    members, _ = cache()
    await members.get(USER)
    monkeypatch.setattr(Members, "FRESH_S", 0.0)
    await members.get(USER)
    assert model.reads == 2


async def test_unknown_users_are_not_remembered(model: ReadModel) -> None:
    members, _ = cache()
    stranger = uuid4()
    assert await members.get(stranger) is None
    assert await members.get(stranger) is None
    assert model.reads == 2


def deliveries(*events: tuple[int, str], after: int) -> list[Delivery]:
    batch, previous = [], after
    for position, event_type in events:
        event = SimpleNamespace(position=position, type=event_type)
        batch.append(Delivery(event, previous))  # type: ignore[arg-type]
        previous = position
    return batch


def test_the_runner_announces_membership_changes_and_whatever_it_did_not_see() -> None:
    runner = ProjectionRunner(None, None, [])  # type: ignore[arg-type]
    positions = {"users": 2, "contacts": 2}
    # The first batch after a start may follow events this runner never saw.
    first = runner._membership(
        deliveries((1, "ContactCreated"), (2, "ContactCreated"), after=0), positions
    )
    assert first == {MEMBERSHIP: 2}
    plain = deliveries((3, "ContactCreated"), (4, "UserLoggedIn"), after=2)
    assert runner._membership(plain, {"users": 4}) == {}
    role = deliveries((5, "MemberRoleChanged"), after=4)
    assert runner._membership(role, {"users": 5}) == {MEMBERSHIP: 5}
    removal_elsewhere = deliveries((6, "UserRemoved"), after=5)
    assert runner._membership(removal_elsewhere, {"contacts": 6}) == {}  # users fell behind
    hole = deliveries((9, "ContactCreated"), after=8)  # 7 and 8 came from the store
    assert runner._membership(hole, {"users": 9}) == {MEMBERSHIP: 9}
