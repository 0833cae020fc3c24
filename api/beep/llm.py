"""BEEP's optional planner: an OpenAI-compatible chat-completions endpoint with tool calling.

Used only when `AEVON_LLM_BASE_URL` is set. Whatever the model answers is checked against the
tool catalogue; on any failure (network, timeout, nonsense) BEEP falls back to the offline
planner, so a command never depends on the model being there.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx

from aevon.settings import Settings
from domain.beep.catalogue import TOOLS
from domain.beep.planner import ToolCall, plan

log = logging.getLogger(__name__)
TIMEOUT_S = 10.0
SYSTEM = (
    "You are BEEP, the command line of a small-business operating system. Map the user's "
    "command to tool calls. Use only the tools given; call several when the command asks for "
    "several things; call none when nothing fits."
)
_PARAMETERS: dict[str, dict[str, Any]] = {
    "contacts.create": {"firstName": "string", "lastName": "string", "email": "string",
                        "phone": "string"},
    "contacts.find": {"target": "string"},
    "contacts.update": {"target": "string", "changes": "object"},
    "contacts.delete": {"target": "string"},
    "billing.top_up": {"amount": "number"},
    "workspace.change_plan": {"planTier": "string"},
    "workflows.run": {"name": "string", "payload": "object"},
    "dossier.compile": {"target": "string"},
    "dr_syntax.critique": {"text": "string"},
}  # fmt: skip


def tool_schemas() -> list[dict[str, Any]]:
    return [
        {
            "type": "function",
            "function": {
                "name": name.replace(".", "__"),  # function names allow [a-zA-Z0-9_-]
                "description": name,
                "parameters": {
                    "type": "object",
                    "properties": {
                        key: {"type": kind} for key, kind in _PARAMETERS.get(name, {}).items()
                    },
                },
            },
        }
        for name in TOOLS
    ]


async def plan_with_model(command: str, settings: Settings) -> list[ToolCall]:
    assert settings.llm_base_url
    headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
    body = {
        "model": settings.llm_model,
        "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": command}],
        "tools": tool_schemas(),
        "tool_choice": "auto",
        "temperature": 0,
    }
    url = settings.llm_base_url.rstrip("/") + "/chat/completions"
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_S) as client:
            response = await client.post(url, json=body, headers=headers)
            response.raise_for_status()
            return _calls(response.json())
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as error:
        log.warning(
            "the model planner failed (%s); using the offline planner", type(error).__name__
        )
        return plan(command)


def _calls(answer: dict[str, Any]) -> list[ToolCall]:
    message = answer["choices"][0]["message"]
    calls = []
    for call in message.get("tool_calls") or []:
        name = call["function"]["name"].replace("__", ".")
        if name not in TOOLS:
            raise ValueError(f"unknown tool {name!r}")
        arguments = json.loads(call["function"].get("arguments") or "{}")
        if not isinstance(arguments, dict):
            raise ValueError("tool arguments must be an object")
        calls.append(ToolCall(name, arguments))
    return calls
