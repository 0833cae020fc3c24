"""The service as `aevon up` runs it, on embedded PostgreSQL and NATS of its own, for a bench."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from aevon.embedded import EmbeddedNats, EmbeddedPostgres, free_port
from tests.support import wait_ready


class Running(NamedTuple):
    root: Path
    postgres: EmbeddedPostgres
    nats: EmbeddedNats
    env: dict[str, str]
    base_url: str


@contextmanager
def aevon_up(prefix: str, **settings: str) -> Iterator[Running]:
    """`settings` are further `AEVON_*` variables, without the prefix."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    postgres, nats_server = EmbeddedPostgres(root), EmbeddedNats(root)
    port = free_port()
    env = {
        **os.environ,
        "AEVON_DATABASE_URL": postgres.url,
        "AEVON_NATS_URL": nats_server.url,
        "AEVON_DATA_DIR": str(root / "data"),
        "AEVON_HTTP_PORT": str(port),
        "AEVON_LOG_LEVEL": "WARNING",
        **{f"AEVON_{name}": value for name, value in settings.items()},
    }
    service = subprocess.Popen([sys.executable, "-m", "aevon.cli", "up"], env=env)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_ready(base_url, 120)
        yield Running(root, postgres, nats_server, env, base_url)
    finally:
        service.terminate()
        service.wait(60)
        nats_server.stop()
        postgres.stop()
