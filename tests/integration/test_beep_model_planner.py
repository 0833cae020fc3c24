"""BEEP's optional model planner against a local stand-in for an OpenAI-compatible server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from aevon.settings import load_settings
from api.beep.llm import plan_with_model
from domain.beep.planner import ToolCall


class StandIn:
    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.answer: tuple[int, dict[str, Any]] = (200, {})
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                stand_in.requests.append((dict(self.headers), body | {"path": self.path}))
                status, answer = stand_in.answer
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    server = StandIn()
    yield server
    server.server.shutdown()


def answer_with(*calls: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    tool_calls = [
        {
            "id": f"c{i}",
            "type": "function",
            "function": {"name": name, "arguments": json.dumps(args)},
        }
        for i, (name, args) in enumerate(calls)
    ]
    return {"choices": [{"message": {"role": "assistant", "tool_calls": tool_calls}}]}


async def test_the_model_planner_asks_with_the_tools_and_returns_its_calls(
    stand_in: StandIn,
) -> None:
    settings = load_settings({"AEVON_LLM_BASE_URL": stand_in.url, "AEVON_LLM_API_KEY": "sk-test"})
    stand_in.answer = (200, answer_with(
        ("contacts__create", {"firstName": "Ann", "email": "ann@x.io"}),
        ("billing__balance", {}),
    ))  # fmt: skip
    calls = await plan_with_model(
        "put Ann (ann@x.io) in the CRM, and what do we have left?", settings
    )
    assert calls == [
        ToolCall("contacts.create", {"firstName": "Ann", "email": "ann@x.io"}),
        ToolCall("billing.balance", {}),
    ]
    headers, body = stand_in.requests[0]
    assert body["path"] == "/v1/chat/completions"
    assert headers["Authorization"] == "Bearer sk-test"
    assert body["messages"][-1]["content"].startswith("put Ann")
    assert {t["function"]["name"] for t in body["tools"]} >= {"contacts__create", "help"}


@pytest.mark.parametrize(
    "answer",
    [
        (500, {"error": "down"}),
        (200, {"choices": []}),
        (200, answer_with(("shell__exec", {"cmd": "rm -rf /"}))),
    ],
)
async def test_a_failing_or_odd_model_falls_back_to_the_offline_planner(
    stand_in: StandIn, answer: tuple[int, dict[str, Any]]
) -> None:
    settings = load_settings({"AEVON_LLM_BASE_URL": stand_in.url})
    stand_in.answer = answer
    assert await plan_with_model("show my balance", settings) == [ToolCall("billing.balance", {})]
