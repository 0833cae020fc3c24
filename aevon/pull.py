"""Batches from a durable JetStream pull consumer, pulled with requests of our own.

nats-py's `fetch` waits for every message in two tasks of its own, under a timeout, named by a
random uuid: 93 k of the worker's 733 k instructions per event (`make bench-instructions`).
Here one subscription's callback collects what a pull request delivers, and a batch is what has
arrived when the caller asks, or the first messages to arrive within its timeout. A request
stays open on the server for EXPIRES_S, delivering messages as they are published.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js.api import DEFAULT_PREFIX, AckPolicy, ConsumerConfig, DeliverPolicy, Header
from nats.js.errors import NotFoundError

from aevon.bus import events_filter
from aevon.settings import Settings

EXPIRES_S = 5.0
# A request the server ended without telling us is replaced this long after it should have ended.
GRACE_S = 1.0


class PullConsumer:
    def __init__(
        self, nc: Client, stream: str, config: ConsumerConfig, batch: int, wait_s: float
    ) -> None:
        assert config.durable_name
        self.durable: str = config.durable_name
        self.nc = nc
        self.stream = stream
        self.config = config
        self.batch = batch
        self.wait_s = wait_s
        self.next_subject = f"{DEFAULT_PREFIX}.CONSUMER.MSG.NEXT.{stream}.{self.durable}"
        self.inbox = nc.new_inbox()
        self.subscription: Subscription | None = None
        self.received: list[Msg] = []
        self.arrived = asyncio.Event()
        self.expected = 0  # messages the open request may still deliver
        self.open_until = 0.0
        self.retry_at = 0.0
        self.reconnects = 0

    async def start(self) -> None:
        """Creates the durable consumer unless it exists (an existing one is used as it is)."""
        js = self.nc.jetstream()
        try:
            await js.consumer_info(self.stream, self.durable)
        except NotFoundError:
            self.config.name = self.durable
            await js.add_consumer(self.stream, config=self.config)
        self.subscription = await self.nc.subscribe(self.inbox, cb=self._on_message)

    async def stop(self) -> None:
        if self.subscription is not None:
            await self.subscription.unsubscribe()
            self.subscription = None

    async def fetch(self) -> list[Msg]:
        """At most `batch` messages in stream order; none if none came within `wait_s`."""
        await self._keep_a_request_open()
        if not self.received:
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), self.wait_s)
            except TimeoutError:
                return []
        taken, self.received = self.received[: self.batch], self.received[self.batch :]
        return taken

    async def _keep_a_request_open(self) -> None:
        now = time.monotonic()
        # A reconnect loses the open request: the server forgets it with the old connection.
        reconnects = int(self.nc.stats["reconnects"])
        if reconnects != self.reconnects:
            self.reconnects, self.expected = reconnects, 0
        if (self.expected > 0 and now < self.open_until) or now < self.retry_at:
            return
        # Never more than one batch waiting here beyond the one being handed out.
        wanted = self.batch - len(self.received)
        if wanted <= 0:
            return
        request = {"batch": wanted, "expires": int(EXPIRES_S * 1e9)}
        await self.nc.publish(self.next_subject, json.dumps(request).encode(), reply=self.inbox)
        self.expected = wanted
        self.open_until = now + EXPIRES_S + GRACE_S

    async def _on_message(self, message: Msg) -> None:
        status = (message.headers or {}).get(Header.STATUS) if not message.data else None
        if status is not None:
            # The request is over: expired (408, ask again at once), or refused (the consumer
            # was deleted, its leader changed…: ask again a little later).
            self.expected = 0
            if status != "408":
                self.retry_at = time.monotonic() + GRACE_S
            self.arrived.set()
            return
        self.received.append(message)
        self.expected -= 1
        self.arrived.set()


def events_consumer(
    nc: Client, settings: Settings, name: str, batch: int, **config: Any
) -> PullConsumer:
    """The durable consumer `name` of every event in the stream, acknowledged cumulatively."""
    every_event = ConsumerConfig(
        durable_name=f"{settings.namespace}-{name}",
        filter_subject=events_filter(settings.namespace),
        ack_policy=AckPolicy.ALL,
        deliver_policy=DeliverPolicy.ALL,
        **config,
    )
    return PullConsumer(nc, settings.stream, every_event, batch, wait_s=0.5)
