"""The bench's floor apps answer what a write and a read of ours answer, so that wrk counts
their responses as successes, and refuse a body ours would refuse."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

# bench/ is not a package, and its modules' names are too plain to put it on sys.path.
_spec = importlib.util.spec_from_file_location(
    "bench_floor", Path(__file__).parents[2] / "bench" / "floor.py"
)
assert _spec is not None
assert _spec.loader is not None
floor = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = floor  # Litestar resolves the handlers' annotations there
_spec.loader.exec_module(floor)


def test_the_empty_litestar_app_creates_reads_and_validates() -> None:
    with TestClient(floor.build()) as client:
        created = client.post("/v1/contacts", json={"firstName": "Floor"})
        assert created.status_code == 201
        assert created.json()["firstName"] == "Floor"
        assert created.json()["id"]
        assert client.get("/v1/contacts/abc").json() == {"id": "abc", "firstName": "Floor"}
        assert client.post("/v1/contacts", json={"firstName": "x", "role": "owner"}).is_client_error
        assert client.get("/health/ready").status_code == 200


async def test_the_bare_asgi_app_reads_the_whole_body_then_answers() -> None:
    parts = [
        {"type": "http.request", "body": b'{"firstName"', "more_body": True},
        {"type": "http.request", "body": b': "Floor"}', "more_body": False},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return parts.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await floor.bare({"type": "http", "method": "POST", "path": "/v1/contacts"}, receive, send)
    assert not parts
    assert sent[0]["status"] == 200
    assert json.loads(sent[1]["body"])["firstName"] == "Floor"
    assert dict(sent[0]["headers"])[b"content-length"] == str(len(sent[1]["body"])).encode()
