"""`aevon up`: servers (embedded unless configured), then the API and the workers as children.

A crashed child is restarted; SIGTERM/SIGINT stops the children, then the servers.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from types import FrameType

from aevon.servers import resolve_servers
from aevon.settings import Settings

log = logging.getLogger(__name__)
# The worker carries the write-to-read chain (relay, projections); the Loom and Aegis engines run
# beside it, so that their work on every event does not delay the projections on one event loop
# (projection lag p50 15-19 → 11-14 ms, p99 42-95 → 40-46 ms at ~280 writes/s, docs/performance.md).
CHILDREN = {
    "api": ["api"],
    "worker": ["worker", "--only", "relay", "--only", "projections"],
    "engines": ["worker", "--only", "loom", "--only", "aegis"],
}


class Supervisor:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = False

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        with ExitStack() as stack:
            settings = resolve_servers(self.settings, stack)
            env = {**os.environ, **settings.as_environment()}
            run_dir = settings.data_dir / "run"
            run_dir.mkdir(parents=True, exist_ok=True)
            for name in CHILDREN:
                self._spawn(name, env)
            while not self.stopping:
                for name, child in list(self.children.items()):
                    if child.poll() is not None and not self.stopping:
                        log.warning("%s exited with %s; restarting", name, child.returncode)
                        time.sleep(0.5)
                        self._spawn(name, env)
                time.sleep(0.2)
            self._terminate_children()

    def _spawn(self, name: str, env: dict[str, str]) -> None:
        # A session per child: see aevon/sessions.py.
        child = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "aevon.cli", *CHILDREN[name]], env=env, start_new_session=True
        )
        self.children[name] = child
        (self.settings.data_dir / "run" / f"{name}.pid").write_text(str(child.pid))

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _terminate_children(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.terminate()
        for child in self.children.values():
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
