"""What request handlers need, built once by the application's lifespan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar.security.jwt import JWTAuth, Token
from nats.aio.client import Client
from psycopg_pool import AsyncConnectionPool

from aevon.positions import Positions
from aevon.secretbox import SecretBox
from aevon.settings import Settings
from commands.bus import CommandBus

if TYPE_CHECKING:
    from api.members import Members
    from api.probing import ProbeWatch
    from api.security import TokenIssuer


class Services:
    def __init__(
        self,
        settings: Settings,
        bus: CommandBus,
        pool: AsyncConnectionPool[Any],
        positions: Positions,
        members: Members,
        nats: Client,
        auth: JWTAuth[Any, Token],
        tokens: TokenIssuer,
        probes: ProbeWatch,
        secrets: SecretBox,
    ) -> None:
        self.settings = settings
        self.bus = bus
        self.pool = pool
        self.positions = positions
        self.members = members
        self.nats = nats
        self.auth = auth
        self.tokens = tokens
        self.probes = probes
        self.secrets = secrets
