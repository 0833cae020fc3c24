"""The HTTP stack's floor: apps that do nothing, served as `aevon api` serves ours.

`app` is Litestar: its POST decodes a body like the contact's and answers 201 with JSON; its
GET answers a struct. `bare` is a plain ASGI callable that reads the body and answers fixed
bytes: uvicorn alone. No authentication, no database, no bus. Loaded by the same wrk at the
same concurrency as the service, they show in the same run what the HTTP stack allows on this
machine: the rates no endpoint of ours can pass, whatever it does behind the handler.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

import msgspec
from litestar import Litestar, get, post
from litestar.types import Receive, Scope, Send

from aevon.embedded import free_port
from aevon.sessions import own_session
from tests.support import wait_ready


class Body(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    first_name: str


class Out(msgspec.Struct, rename="camel", kw_only=True):
    id: str
    first_name: str


@post("/v1/contacts", status_code=201)
async def create(data: Body) -> Out:
    return Out(id=str(uuid4()), first_name=data.first_name)


@get("/v1/contacts/{contact_id:str}")
async def read(contact_id: str) -> Out:
    return Out(id=contact_id, first_name="Floor")


@get("/health/ready")
async def ready() -> dict[str, str]:
    return {"status": "ready"}


def build() -> Litestar:
    return Litestar([create, read, ready], openapi_config=None, logging_config=None)


def app() -> Litestar:
    """uvicorn's factory in each process: a session of its own, as ours (aevon/sessions.py)."""
    own_session()
    return build()


ANSWER = b'{"id":"00000000-0000-0000-0000-000000000000","firstName":"Floor"}'
ANSWER_HEADERS = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(ANSWER))]


async def bare(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": ANSWER_HEADERS})
    await send({"type": "http.response.body", "body": ANSWER, "more_body": False})


def bare_app() -> Any:
    own_session()
    return bare


@contextmanager
def floor_server(workers: int, factory: str = "app") -> Iterator[str]:
    """A floor app (`app` or `bare_app`) under uvicorn with `workers` processes, as `aevon api`
    runs; its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        f"floor:{factory}",
        "--factory",
        "--app-dir",
        str(Path(__file__).parent),
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, start_new_session=True)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_ready(base_url, 60)
        yield base_url
    finally:
        server.terminate()
        server.wait(30)
