"""A BEEP command from text to answer: scan, plan, check roles, resolve targets, decide and
bill in one command, then read what the reading tools report and compose the reply."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import msgspec

from api.beep.llm import plan_with_model
from api.beep.reads import report, resolve
from api.beep.reply import sentence, suggestions
from api.consistency import settle
from api.security import Member
from api.services import Services
from commands.beep.beep_tools import PlannedCall
from commands.beep.process_beep_command import ProcessBeepCommand, Processed
from domain.aegis.scan import BLOCKING, scan_text, verdict
from domain.beep.catalogue import THREATSCOPE, TOOLS
from domain.beep.planner import ToolCall, plan
from domain.identity.policy import allows

MAX_COMMAND = 4000


class Answer(msgspec.Struct, kw_only=True):
    response: str
    launched_apps: list[str]
    generated_reports: list[str]
    suggested_commands: list[str]
    reports: list[dict[str, Any]]
    credits_charged: float
    command_id: str
    blocked: bool
    headers: dict[str, str]


async def answer(text: str, member: Member, services: Services) -> Answer:
    # A command the shared rules already block is not even planned (nor sent to a model).
    obvious = verdict(scan_text(text, member.role)) in BLOCKING
    planned = [] if obvious else await _plan(text, services)
    calls = [await _checked(c.tool, c.args, member, services) for c in planned]
    command_id = uuid4()
    command = ProcessBeepCommand(command_id=command_id, text=text, calls=calls)
    outcome = await services.bus.execute(command, member.context())
    headers = await settle(services, outcome)
    processed: Processed = outcome.result
    if processed.blocked:
        reasons = " ".join(f.explanation for f in processed.findings)
        return Answer(
            response=f"Aegis blocked this command: {reasons} An alert was raised for review.",
            launched_apps=[THREATSCOPE],
            generated_reports=["aegis"],
            suggested_commands=[],
            reports=[
                {
                    "tool": "aegis.scan",
                    "report": "aegis",
                    "data": {"alertId": str(processed.alert_id)},
                }
            ],
            credits_charged=float(processed.charged),
            command_id=str(command_id),
            blocked=True,
            headers=headers,
        )
    sentences, reports, apps, report_ids = [], [], [], []
    for index, run in enumerate(processed.tools):
        data = await report(run.tool, run.args, services, member) if run.status == "ok" else {}
        result = processed.results.get(index, {})
        sentences.append(sentence(run, result, data))
        spec = TOOLS[run.tool]
        if run.status == "ok":
            apps += [spec.app] if spec.app and spec.app not in apps else []
            if spec.report:
                report_ids += [spec.report] if spec.report not in report_ids else []
                reports.append({"tool": run.tool, "report": spec.report, "data": data | result})
    if not processed.tools:
        sentences.append("I did not understand that. Here is what I can do.")
    return Answer(
        response=" ".join(sentences),
        launched_apps=apps,
        generated_reports=report_ids,
        suggested_commands=suggestions(processed.tools),
        reports=reports,
        credits_charged=float(processed.charged),
        command_id=str(command_id),
        blocked=False,
        headers=headers,
    )


async def _plan(text: str, services: Services) -> list[ToolCall]:
    if services.settings.llm_base_url:
        return await plan_with_model(text, services.settings)
    return plan(text)


async def _checked(
    tool: str, args: dict[str, Any], member: Member, services: Services
) -> PlannedCall:
    permission = TOOLS[tool].permission
    if not allows(member.role, permission):
        detail = f"As {member.role} you may not {permission.value}."
        return PlannedCall(tool=tool, args=args, status="denied", detail=detail)
    return await resolve(PlannedCall(tool=tool, args=args), services, member)
