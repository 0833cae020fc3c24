"""NATS JetStream: connection, the event stream and the subjects events travel on."""

from __future__ import annotations

import asyncio
import logging

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import BadRequestError

from aevon.eventstore import RecordedEvent
from aevon.settings import Settings

log = logging.getLogger(__name__)
DUPLICATE_WINDOW_S = 120.0


def event_subject(namespace: str, event: RecordedEvent) -> str:
    workspace = event.envelope.meta.workspace_id or "system"
    return f"{namespace}.{workspace}.{event.envelope.aggregate}.{event.type}"


def events_filter(namespace: str) -> str:
    return f"{namespace}.*.*.*"


def positions_subject(namespace: str) -> str:
    """Where the projection runner announces, once per batch, {projection: position} in JSON."""
    return f"{namespace}.positions"


# An announcement with this key (its value a position) says that members' roles or memberships
# may have changed in the read model: API processes forget the members they remember.
MEMBERSHIP = "membership"


async def connect(settings: Settings, name: str) -> Client:
    """Connects, waiting for the server if it is not up yet; reconnects forever afterwards."""
    assert settings.nats_url
    while True:
        try:
            return await nats.connect(
                settings.nats_url.split(","),  # a cluster: several comma-separated URLs
                name=name,
                max_reconnect_attempts=-1,
                reconnect_time_wait=0.5,
                connect_timeout=2,
                allow_reconnect=True,
            )
        except (OSError, nats.errors.NoServersError, TimeoutError) as error:
            log.warning("NATS not reachable (%s); retrying", error)
            await asyncio.sleep(1)


async def ensure_stream(js: JetStreamContext, settings: Settings) -> None:
    config = StreamConfig(
        name=settings.stream,
        subjects=[events_filter(settings.namespace)],
        storage=StorageType.FILE,
        num_replicas=settings.stream_replicas,
        duplicate_window=DUPLICATE_WINDOW_S,
    )
    try:
        await js.add_stream(config)
    except BadRequestError:
        await js.update_stream(config)


class BatchPublisher:
    """Publishes a batch of messages to JetStream and waits once for all their acknowledgements.

    `js.publish` waits for each message's acknowledgement in a future, a timeout and (under
    `gather`) a task of its own: 139 k of the worker's 907 k instructions per event
    (`make bench-instructions`). Here every message of a batch carries a reply subject in one
    inbox, and the batch waits on a single future. Replies to an abandoned batch are ignored.
    """

    def __init__(self, nc: Client, ack_timeout_s: float) -> None:
        self.nc = nc
        self.ack_timeout_s = ack_timeout_s
        self.inbox = nc.new_inbox()
        self.subscription: Subscription | None = None
        self.batch = 0
        self.missing = 0
        self.done: asyncio.Future[None] | None = None

    async def publish(self, messages: list[tuple[str, bytes, dict[str, str]]]) -> None:
        """Raises when a message was refused or not acknowledged in time."""
        if not messages:
            return  # no acknowledgement would ever settle an empty batch
        if self.subscription is None:
            self.subscription = await self.nc.subscribe(f"{self.inbox}.*.*", cb=self._on_reply)
        self.batch += 1
        self.missing = len(messages)
        self.done = asyncio.get_running_loop().create_future()
        for index, (subject, payload, headers) in enumerate(messages):
            reply = f"{self.inbox}.{self.batch}.{index}"
            await self.nc.publish(subject, payload, reply=reply, headers=headers)
        await asyncio.wait_for(self.done, self.ack_timeout_s)

    async def _on_reply(self, message: Msg) -> None:
        batch = int(message.subject.rsplit(".", 2)[1])
        if batch != self.batch or self.done is None or self.done.done():
            return
        # An acknowledgement is {"stream": …, "seq": …}; a refusal carries an error, and a
        # subject no stream takes gets an empty "no responders" status message.
        if not message.data or b'"error"' in message.data:
            reason = message.data.decode() or (message.headers or {}).get("Status", "")
            self.done.set_exception(ConnectionError(f"JetStream refused a message: {reason}"))
            return
        self.missing -= 1
        if self.missing == 0:
            self.done.set_result(None)
