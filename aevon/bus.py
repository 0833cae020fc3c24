"""NATS JetStream: connection, the event stream and the subjects events travel on."""

from __future__ import annotations

import asyncio
import logging

import nats
from nats.aio.client import Client
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
