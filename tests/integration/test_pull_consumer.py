"""Batches pulled from a durable consumer with our own requests, against a real NATS server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from uuid import uuid4

import nats
import pytest
from nats.aio.client import Client
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig

from aevon import pull
from aevon.embedded import EmbeddedNats
from aevon.pull import PullConsumer
from tests.support import Servers


@pytest.fixture
async def stream(servers: Servers) -> AsyncIterator[tuple[Client, str]]:
    name = f"P{uuid4().hex[:10]}".upper()
    nc = await nats.connect(servers.nats_url)
    await nc.jetstream().add_stream(StreamConfig(name=name, subjects=[f"{name}.*"]))
    yield nc, name
    await nc.jetstream().delete_stream(name)
    await nc.close()


@asynccontextmanager
async def reading(
    nc: Client, stream: str, batch: int, durable: str = "reader"
) -> AsyncIterator[PullConsumer]:
    config = ConsumerConfig(
        durable_name=durable,
        filter_subject=f"{stream}.*",
        ack_policy=AckPolicy.ALL,
        deliver_policy=DeliverPolicy.ALL,
    )
    reader = PullConsumer(nc, stream, config, batch, wait_s=0.3)
    await reader.start()
    try:
        yield reader
    finally:
        await reader.stop()


async def publish(nc: Client, stream: str, numbers: range) -> None:
    for n in numbers:
        await nc.jetstream().publish(f"{stream}.e", str(n).encode())


def flat(batches: list[list[int]]) -> list[int]:
    return [n for batch in batches for n in batch]


async def drain(reader: PullConsumer, count: int) -> list[list[int]]:
    batches: list[list[int]] = []
    while sum(map(len, batches)) < count:
        messages = await reader.fetch()
        if messages:
            batches.append([int(m.data) for m in messages])
            await messages[-1].ack()
    return batches


async def test_batches_come_in_order_bounded_and_live_ones_arrive_on_the_open_request(
    stream: tuple[Client, str],
) -> None:
    nc, name = stream
    await publish(nc, name, range(30))
    async with reading(nc, name, batch=8) as reader:
        batches = await drain(reader, 30)
        assert flat(batches) == list(range(30))
        assert max(map(len, batches)) <= 8

        started = time.monotonic()
        assert await reader.fetch() == []
        assert time.monotonic() - started >= 0.25  # waited for the first message, in vain

        waiting = asyncio.create_task(reader.fetch())
        await asyncio.sleep(0.05)
        await publish(nc, name, range(30, 31))
        assert [int(m.data) for m in await waiting] == [30]


async def test_an_expired_request_is_renewed(
    stream: tuple[Client, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    nc, name = stream
    monkeypatch.setattr(pull, "EXPIRES_S", 0.2)
    async with reading(nc, name, batch=5) as reader:
        assert await reader.fetch() == []
        await asyncio.sleep(0.4)  # the server ended the request meanwhile
        await publish(nc, name, range(3))
        assert flat(await drain(reader, 3)) == [0, 1, 2]


async def test_a_second_reader_of_the_durable_goes_on_after_the_acknowledged_messages(
    stream: tuple[Client, str],
) -> None:
    nc, name = stream
    await publish(nc, name, range(20))
    async with reading(nc, name, batch=10) as first:
        assert flat(await drain(first, 10)) == list(range(10))
    async with reading(nc, name, batch=10) as second:
        assert flat(await drain(second, 10)) == list(range(10, 20))


async def test_a_deleted_consumer_is_asked_again_only_after_a_pause(
    stream: tuple[Client, str],
) -> None:
    nc, name = stream
    async with reading(nc, name, batch=5, durable="doomed") as reader:
        assert await reader.fetch() == []
        await nc.jetstream().delete_consumer(name, "doomed")
        started, fetches = time.monotonic(), 0
        while time.monotonic() - started < 1.0:
            assert await reader.fetch() == []
            fetches += 1
        assert fetches <= 5  # each waits its wait_s: no busy loop of refused requests


async def test_after_a_reconnect_a_new_request_is_opened_at_once(tmp_path: Path) -> None:
    server = EmbeddedNats(tmp_path)
    reconnected = asyncio.Event()

    async def on_reconnect() -> None:
        reconnected.set()

    nc = await nats.connect(
        server.url, reconnect_time_wait=0.1, max_reconnect_attempts=-1, reconnected_cb=on_reconnect
    )
    try:
        await nc.jetstream().add_stream(StreamConfig(name="R", subjects=["R.*"]))
        async with reading(nc, "R", batch=5) as reader:
            assert await reader.fetch() == []
            server.process.kill()  # a crash: the open request dies with the connection, unseen
            server.process.wait()
            server.start()
            await asyncio.wait_for(reconnected.wait(), 15)
            await publish(nc, "R", range(1))
            started = time.monotonic()
            assert flat(await drain(reader, 1)) == [0]
            assert time.monotonic() - started < pull.EXPIRES_S  # not the old request's end
    finally:
        await nc.close()
        server.stop()
