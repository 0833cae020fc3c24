"""Resolves where PostgreSQL and NATS are: the configured URLs, or embedded servers."""

from __future__ import annotations

from contextlib import ExitStack

from aevon.embedded import EmbeddedNats, EmbeddedPostgres, ensure_secret_file
from aevon.settings import Settings


def resolve_servers(settings: Settings, stack: ExitStack) -> Settings:
    """Starts whatever is not configured; the stack stops it again."""
    database_url = settings.database_url
    if not database_url:
        postgres = EmbeddedPostgres(settings.data_dir)
        stack.callback(postgres.stop)
        database_url = postgres.url
    nats_url = settings.nats_url
    if not nats_url:
        nats = EmbeddedNats(settings.data_dir)
        stack.callback(nats.stop)
        nats_url = nats.url
    jwt_secret = settings.jwt_secret or ensure_secret_file(settings.data_dir / "jwt_secret")
    secret_key = settings.secret_key or ensure_secret_file(settings.data_dir / "secret_key")
    return settings.with_servers(database_url, nats_url, jwt_secret, secret_key)
