"""The relay's publisher: a batch is stored and acknowledged as a whole, or it raises."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import nats
import pytest
from nats.js.api import StreamConfig

from aevon.bus import BatchPublisher
from tests.support import Servers


async def test_a_batch_is_stored_in_order_and_a_refused_one_raises(servers: Servers) -> None:
    stream = f"B{uuid4().hex[:10]}".upper()
    nc = await nats.connect(servers.nats_url)
    js = nc.jetstream()
    await js.add_stream(StreamConfig(name=stream, subjects=[f"{stream}.*"]))
    publisher = BatchPublisher(nc, ack_timeout_s=5)
    try:
        batch = [(f"{stream}.e", f"event {n}".encode(), {"Nats-Msg-Id": str(n)}) for n in range(50)]
        await publisher.publish(batch)
        assert (await js.stream_info(stream)).state.messages == 50
        await publisher.publish([])  # nothing to wait for
        stored = [await js.get_msg(stream, seq=s) for s in (1, 50)]
        assert [m.data for m in stored] == [b"event 0", b"event 49"]

        # Published again (a retry), the duplicates are acknowledged and not stored twice.
        await publisher.publish(batch)
        assert (await js.stream_info(stream)).state.messages == 50

        # No stream takes this subject: the server answers "no responders".
        with pytest.raises(ConnectionError):
            await publisher.publish([(f"nowhere{stream}.e", b"lost", {})])
        # A message the stream refuses (it expects another last sequence) fails the batch.
        refused = {"Nats-Msg-Id": "x", "Nats-Expected-Last-Sequence": "7"}
        with pytest.raises(ConnectionError, match="wrong last sequence"):
            await publisher.publish([(f"{stream}.e", b"refused", refused)])
    finally:
        await js.delete_stream(stream)
        await nc.close()


async def test_a_batch_not_acknowledged_in_time_raises_and_late_replies_are_ignored(
    servers: Servers,
) -> None:
    nc = await nats.connect(servers.nats_url)
    silent = f"silent{uuid4().hex[:10]}"
    replies = []
    second_sent = asyncio.Event()

    async def late(message: nats.aio.msg.Msg) -> None:
        replies.append(message.reply)
        if len(replies) == 2:
            second_sent.set()

    await nc.subscribe(f"{silent}.*", cb=late)  # a responder that never answers
    publisher = BatchPublisher(nc, ack_timeout_s=0.3)
    try:
        with pytest.raises(TimeoutError):
            await publisher.publish([(f"{silent}.e", b"unanswered", {})])
        again = asyncio.create_task(publisher.publish([(f"{silent}.e", b"again", {})]))
        await second_sent.wait()
        # The first batch's acknowledgement, arriving late, does not count for the second.
        await nc.publish(replies[0], b'{"stream": "S", "seq": 1}')
        with pytest.raises(TimeoutError):
            await again
    finally:
        await nc.close()
