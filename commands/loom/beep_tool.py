"""The `beep.command` tool of workflows: a BEEP command planned offline, run inside the step.

A step cannot read the read models, so only BEEP's tools that need none run here: creating a
contact, requesting a top-up, Dr. Syntax and help. Others are listed as skipped in the result.
The command is scanned by Aegis first; a blocking finding fails the step.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_OID, UUID, uuid5

from commands.actions import Args, Result
from commands.beep.beep_tools import WRITES, PlannedCall
from commands.ledger.meter_actions import MeterActions, meter
from commands.unit_of_work import UnitOfWork
from domain.aegis.policy import SecurityPolicy, policy_id
from domain.aegis.scan import BLOCKING, scan_text, verdict
from domain.beep.catalogue import TOOLS
from domain.beep.planner import plan
from domain.beep.syntax import critique
from domain.fields import Text
from domain.shared import InvalidInput

IN_WORKFLOWS = {"contacts.create", "billing.top_up", "dr_syntax.critique", "help"}


class BeepArgs(Args):
    command: Text


def run_beep(uow: UnitOfWork, args: BeepArgs, id: UUID) -> Result:
    policy = uow.get(SecurityPolicy, policy_id(uow.context.workspace))
    findings = scan_text(args.command, None, policy)
    if verdict(findings) in BLOCKING:
        raise InvalidInput("Blocked by Aegis: " + " ".join(f.explanation for f in findings))
    ran: list[dict[str, Any]] = []
    skipped: list[str] = []
    for index, call in enumerate(plan(args.command)):
        if call.tool not in IN_WORKFLOWS:
            skipped.append(call.tool)
            continue
        step_id = uuid5(NAMESPACE_OID, f"{id}:beep:{index}")
        cost = TOOLS[call.tool].cost
        if cost is not None:
            meter(uow, MeterActions(kind=cost, reason=f"BEEP {call.tool}", transaction_id=step_id))
        if call.tool == "dr_syntax.critique":
            result: Result = critique(str(call.args.get("text", "")))
        elif call.tool == "help":
            result = {}
        else:
            result = WRITES[call.tool](uow, PlannedCall(tool=call.tool, args=call.args), step_id)
        ran.append({"tool": call.tool, "result": result})
    return {"beep": {"ran": ran, "skipped": skipped}}
