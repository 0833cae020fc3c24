"""Real servers and real service processes for integration and e2e tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import nats
import nats.js.errors
import psycopg

from aevon.embedded import EmbeddedNats, EmbeddedPostgres, free_port

PASSWORD = "correct horse battery"


class Servers:
    """PostgreSQL and NATS: the ones named by AEVON_TEST_* URLs, else embedded ones."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.namespace = f"t{uuid.uuid4().hex[:10]}"
        self.postgres: EmbeddedPostgres | None = None
        self.nats: EmbeddedNats | None = None
        admin_url = os.environ.get("AEVON_TEST_DATABASE_URL")
        if admin_url:
            self.database_url = fresh_database(admin_url, self.namespace)
        else:
            self.postgres = EmbeddedPostgres(root)
            self.database_url = self.postgres.url
        nats_url = os.environ.get("AEVON_TEST_NATS_URL")
        if nats_url:
            self.nats_url = nats_url
        else:
            self.nats = EmbeddedNats(root)
            self.nats_url = self.nats.url

    def stop(self) -> None:
        if self.nats:
            self.nats.stop()
        else:
            asyncio.run(_delete_stream(self.nats_url, self.namespace.upper()))
        if self.postgres:
            self.postgres.stop()
        else:
            with psycopg.connect(os.environ["AEVON_TEST_DATABASE_URL"], autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.namespace}" WITH (FORCE)')

    def environment(self, port: int) -> dict[str, str]:
        return {
            **os.environ,
            "AEVON_DATABASE_URL": self.database_url,
            "AEVON_NATS_URL": self.nats_url,
            "AEVON_NAMESPACE": self.namespace,
            "AEVON_JWT_SECRET": "test-secret-for-signing-tokens-" + self.namespace,
            "AEVON_DATA_DIR": str(self.root / "data"),
            "AEVON_HTTP_PORT": str(port),
            "AEVON_LOG_LEVEL": "WARNING",
            "AEVON_AUTH_RATE_LIMIT": "1000000",
        }


async def _delete_stream(url: str, stream: str) -> None:
    connection = await nats.connect(url)
    with contextlib.suppress(nats.js.errors.NotFoundError):
        await connection.jetstream().delete_stream(stream)
    await connection.close()


def fresh_database(admin_url: str, name: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    params = psycopg.conninfo.conninfo_to_dict(admin_url)
    params["dbname"] = name
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items()})


@contextlib.contextmanager
def scratch_database(admin_url: str, prefix: str) -> Iterator[str]:
    """A new, empty database for one test, dropped afterwards; yields its URL."""
    name = f"{prefix}{uuid.uuid4().hex[:8]}"
    try:
        yield fresh_database(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Service:
    """`aevon api` and `aevon worker` (whole, or one process per part: `relay`, `projections`,
    `loom`) as separate processes, so tests can kill any of them."""

    def __init__(self, servers: Servers, log_dir: Path, **overrides: str) -> None:
        self.servers = servers
        self.port = free_port()
        self.env = servers.environment(self.port) | overrides
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *names: str) -> None:
        names = names or ("api", "worker")
        for name in names:
            log = (self.log_dir / f"{name}.log").open("ab")
            command = [name] if name in ("api", "worker") else ["worker", "--only", name]
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "aevon.cli", *command], env=self.env, stdout=log, stderr=log
            )
        if "api" in names:
            wait_ready(self.base_url)

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop_one(self, name: str) -> None:
        process = self.processes.pop(name)
        process.terminate()
        process.wait(15)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


def wait_ready(base_url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/health/ready", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"{base_url} did not become ready")


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def registration(email: str | None = None, **overrides: Any) -> dict[str, Any]:
    return {
        "email": email or unique_email(),
        "password": PASSWORD,
        "workspaceName": "Acme",
        "psyche": "ZEN_ARCHITECT",
        **overrides,
    }


async def register(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/v1/auth/register", json=registration(**overrides))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    body["headers"] = {"Authorization": f"Bearer {body['accessToken']}"}
    return body


async def until_served(
    client: httpx.AsyncClient, headers: dict[str, str], within: float = 60
) -> None:
    """Waits (bounded) until a new member's own profile is served: the worker projects."""
    deadline = time.monotonic() + within
    while (await client.get("/v1/users/me", headers=headers)).status_code != 200:
        if time.monotonic() > deadline:
            raise TimeoutError("the new member was never projected")
        await asyncio.sleep(0.2)


@contextlib.contextmanager
def connect(url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(url, autocommit=True) as conn:
        yield conn


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def invite(
    client: httpx.AsyncClient, admin: dict[str, Any], role: str, email: str | None = None
) -> dict[str, Any]:
    """Invites and accepts: the new member's auth response, with ready-made headers."""
    invited = await client.post(
        "/v1/admin/invitations",
        headers=admin["headers"],
        json={"email": email or unique_email(role.lower()), "role": role},
    )
    assert invited.status_code == 201, invited.text
    accepted = await client.post(
        "/v1/auth/accept-invite",
        json={
            "inviteToken": invited.json()["inviteToken"],
            "password": PASSWORD,
            "psyche": "ZEN_ARCHITECT",
        },
    )
    assert accepted.status_code == 201, accepted.text
    body: dict[str, Any] = accepted.json()
    body["headers"] = bearer(body["accessToken"])
    return body


async def team(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    """A workspace with one member of each role; keyed by role."""
    admin = await register(client)
    members = {"ADMIN": admin}
    for role in ("MANAGER", "OPERATOR", "AUDITOR"):
        members[role] = await invite(client, admin, role)
    return members
