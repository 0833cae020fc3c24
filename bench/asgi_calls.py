"""Calls the API's app in this process, as ASGI, a given number of times: no uvicorn and no
client sockets, so that `bench/instructions.py` can count what the app itself executes.

Arguments: read|write, the number of requests, and `floor` to call the empty app of
`bench/floor.py` instead of ours. Environment: the service's `AEVON_*` settings, `BENCH_TOKEN`
and `BENCH_CONTACT`. Exits non-zero unless every request succeeded.
"""

from __future__ import annotations

import asyncio
import os
import sys
from contextlib import ExitStack
from typing import Any

import uvloop
from floor import build as floor_app
from litestar.types import Message

from aevon.servers import resolve_servers
from aevon.settings import load_settings
from api.app import create_app

WARM_UP = 20
REQUESTS = {
    "read": ("GET", f"/v1/contacts/{os.environ['BENCH_CONTACT']}", b""),
    "write": ("POST", "/v1/contacts", b'{"firstName": "Counted"}'),
}


async def main(kind: str, count: int, floor: bool) -> int:
    method, path, body = REQUESTS[kind]
    headers = [
        (b"host", b"bench"),
        (b"authorization", f"Bearer {os.environ['BENCH_TOKEN']}".encode()),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    statuses: list[int] = []

    async def call() -> None:
        scope: Any = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
            "state": {},
        }
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> Message:
            if messages:
                return messages.pop()  # type: ignore[return-value]
            await asyncio.Event().wait()  # the client never disconnects
            raise AssertionError

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await app(scope, receive, send)

    with ExitStack() as stack:
        app = floor_app() if floor else create_app(resolve_servers(load_settings(), stack))
        async with app.lifespan():
            for _ in range(WARM_UP + count):
                await call()
    failed = [status for status in statuses if status >= 300]
    print(f"{kind}: {len(statuses)} requests, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(uvloop.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3:] == ["floor"])))
