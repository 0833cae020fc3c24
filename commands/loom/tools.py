"""The platform actions of `tool` nodes, taken through the same commands as the API.

A tool decides in the step's unit of work, so its events commit in the same transaction as the
step's `NodeExecuted`: a step and its side effects happen together, once. Each tool use is billed
(1 action) besides what the tool itself charges.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_OID, uuid5

from commands.actions import TOOLS, Result, bill, parse
from commands.loom.beep_tool import BeepArgs, run_beep
from commands.unit_of_work import UnitOfWork
from domain.ledger.plans import ActionKind
from domain.loom.payload import render
from domain.loom.run import Run


def call(uow: UnitOfWork, run: Run, node: dict[str, Any]) -> Result:
    data = node.get("data", {})
    tool = data["tool"]
    step = f"{run.id}:{run.steps}"
    bill(uow, ActionKind.TOOL_USE, f"Workflow tool {tool}", uuid5(NAMESPACE_OID, f"{step}:tool"))
    args = render(data.get("args", {}), run.payload)
    name, action = WORKFLOW_TOOLS[tool]
    return action(uow, parse(args, name), uuid5(NAMESPACE_OID, step))


WORKFLOW_TOOLS = TOOLS | {"beep.command": (BeepArgs, run_beep)}
