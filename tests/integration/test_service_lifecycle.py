"""`aevon up` as an operator runs it: embedded servers, restarts, crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from aevon.embedded import free_port
from aevon.supervisor import CHILDREN
from tests.e2e.test_workflow_runs import LEAD_INTAKE, create, settled, start
from tests.support import PASSWORD, register, registration, wait_ready


class Up:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = f"http://127.0.0.1:{self.port}"

    def start(self, **settings: str) -> None:
        """`settings` are further `AEVON_*` variables, without the prefix."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AEVON_")}
        env |= {"AEVON_DATA_DIR": str(self.data_dir), "AEVON_HTTP_PORT": str(self.port)}
        env |= {f"AEVON_{name}": value for name, value in settings.items()}
        log = (self.data_dir.parent / "up.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aevon.cli", "up"], env=env, stdout=log, stderr=log
        )
        wait_ready(self.base_url, timeout=90)

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(60)

    def child_pid(self, name: str) -> int:
        return int((self.data_dir / "run" / f"{name}.pid").read_text())


@pytest.fixture
def up(tmp_path: Path) -> Iterator[Up]:
    service = Up(tmp_path / "aevon")
    yield service
    if service.process and service.process.poll() is None:
        service.stop()


def test_a_full_restart_keeps_all_data(up: Up) -> None:
    up.start()
    body = registration()
    registered = httpx.post(f"{up.base_url}/v1/auth/register", json=body, timeout=30)
    assert registered.status_code == 201
    secret_before = (up.data_dir / "jwt_secret").read_text()
    assert up.stop() == 0

    up.start()
    login = httpx.post(
        f"{up.base_url}/v1/auth/login",
        json={"email": body["email"], "password": PASSWORD},
        timeout=30,
    )
    assert login.status_code == 200
    headers = {"Authorization": f"Bearer {registered.json()['accessToken']}"}
    workspace = httpx.get(f"{up.base_url}/v1/workspaces/me", headers=headers, timeout=10)
    assert workspace.json() == registered.json()["workspace"]
    assert (up.data_dir / "jwt_secret").read_text() == secret_before
    assert oct((up.data_dir / "jwt_secret").stat().st_mode & 0o777) == "0o600"


def test_a_crashed_worker_is_restarted_and_catches_up(up: Up) -> None:
    up.start()
    first = up.child_pid("worker")
    os.kill(first, signal.SIGKILL)
    registered = httpx.post(f"{up.base_url}/v1/auth/register", json=registration(), timeout=30)
    assert registered.status_code == 201
    deadline = time.monotonic() + 30
    while up.child_pid("worker") == first and time.monotonic() < deadline:
        time.sleep(0.2)
    assert up.child_pid("worker") != first
    headers = {
        "Authorization": f"Bearer {registered.json()['accessToken']}",
        "Aevon-Min-Position": registered.headers["Aevon-Position"],
    }
    me = httpx.get(f"{up.base_url}/v1/users/me", headers=headers, timeout=10)
    assert me.status_code == 200


async def test_the_engines_run_beside_the_worker_and_come_back_after_a_crash(up: Up) -> None:
    up.start()
    first = up.child_pid("engines")
    assert first != up.child_pid("worker")
    os.kill(first, signal.SIGKILL)
    async with httpx.AsyncClient(base_url=up.base_url, timeout=30) as client:
        headers = (await register(client))["headers"]
        workflow_id = await create(client, headers, LEAD_INTAKE)
        lead = {"lead": {"score": 10, "email": "lead@example.com", "owner": "ann"}}
        run = await settled(client, headers, await start(client, headers, workflow_id, lead))
    assert run["status"] == "completed"
    assert up.child_pid("engines") != first


def test_every_process_of_the_service_leads_a_session_of_its_own(up: Up) -> None:
    """The CPU scheduler's autogroups are sessions: aevon/sessions.py says why."""
    up.start(API_WORKERS="2")
    assert up.process is not None
    children = psutil.Process(up.process.pid).children(recursive=True)
    api_children = psutil.Process(up.child_pid("api")).children()
    api_workers = [c for c in api_children if "spawn_main" in " ".join(c.cmdline())]
    nats = [c for c in children if c.name() == "nats-server"]
    assert len(api_workers) == 2
    assert len(nats) == 1
    processes = [*api_workers, *nats] + [psutil.Process(up.child_pid(n)) for n in CHILDREN]
    # Ready means one API worker answers; the other may still be starting.
    deadline = time.monotonic() + 30
    while not all(leads_a_session(p) for p in processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [p.cmdline() for p in processes if not leads_a_session(p)] == []


def leads_a_session(process: psutil.Process) -> bool:
    return os.getsid(process.pid) == process.pid
