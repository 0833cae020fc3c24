"""Records a BEEP command in one transaction: its billed Aegis scan (the shared rules, the
caller's role and the workspace's edicts and threat indicators), an alert when it is
blocked, every tool's billing and changes, the command itself and the caller's pulse.

A tool that is refused (a taken email, an unknown plan) fails alone: the decision starts over
without it, so nothing it decided is kept. Running out of credits fails the whole command (402).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_OID, UUID, uuid5

import msgspec

from commands.actions import AlertArgs, Result, raise_alert
from commands.beep.beep_tools import WRITES, PlannedCall
from commands.ledger.base import LedgerCommand
from commands.ledger.meter_actions import MeterActions, meter
from commands.unit_of_work import UnitOfWork
from domain.aegis.policy import SecurityPolicy, policy_id
from domain.aegis.scan import BLOCKING, Finding, scan_text, verdict
from domain.beep.catalogue import TOOLS
from domain.beep.command import BeepCommand, BeepCommandProcessed, ToolRun
from domain.klepsydra.pulse import Pulse
from domain.ledger.ledger import InsufficientCredits
from domain.ledger.plans import ActionKind
from domain.shared import DomainError
from domain.workspaces.workspace import Workspace


class ProcessBeepCommand(LedgerCommand, frozen=True, kw_only=True):
    command_id: UUID
    text: str
    calls: list[PlannedCall]


class Processed(msgspec.Struct, kw_only=True):
    blocked: bool
    findings: list[Finding]
    tools: list[ToolRun]
    results: dict[int, Result]
    actions: int
    charged: Decimal
    alert_id: UUID | None


class _ToolFailed(Exception):
    def __init__(self, index: int, detail: str) -> None:
        self.index, self.detail = index, detail


def handle(command: ProcessBeepCommand, uow: UnitOfWork) -> Processed:
    failed: dict[int, str] = {}
    while True:
        try:
            return _decide(command, uow, failed)
        except _ToolFailed as failure:
            failed[failure.index] = failure.detail
            uow.discard()


def _decide(command: ProcessBeepCommand, uow: UnitOfWork, failed: dict[int, str]) -> Processed:
    context = uow.context
    bill = _Bill(uow, command.command_id)
    bill(ActionKind.AEGIS_SCAN, "Aegis scan of a BEEP command")
    role = uow.get(Workspace, context.workspace).members.get(context.actor)
    policy = uow.get(SecurityPolicy, policy_id(context.workspace))
    findings = scan_text(command.text, role, policy)
    risk = verdict(findings)
    blocked = risk in BLOCKING
    alert_id = None
    if blocked:
        assert risk is not None
        alert_id = uuid5(NAMESPACE_OID, f"{command.command_id}:alert")
        explanation = " ".join(f.explanation for f in findings)
        alert = AlertArgs(type="Blocked BEEP command", explanation=explanation, risk_level=risk)
        raise_alert(uow, alert, alert_id, "beep")
    tools: list[ToolRun] = []
    results: dict[int, Result] = {}
    for index, call in enumerate([] if blocked else command.calls):
        status, detail = call.status, call.detail
        if status == "ready" and index in failed:
            status, detail = "failed", failed[index]
        elif status == "ready":
            results[index] = _run(uow, bill, command.command_id, index, call)
            status = "ok"
        tools.append(ToolRun(tool=call.tool, args=call.args, status=status, detail=detail))
    beep = uow.get(BeepCommand, command.command_id)
    beep.process(
        BeepCommandProcessed(
            workspace_id=context.workspace,
            user_id=context.actor,
            text=command.text,
            risk_level=risk,
            findings=[f.explanation for f in findings],
            blocked=blocked,
            tools=tools,
            actions=bill.actions,
            charged=bill.charged,
            at=context.now,
        )
    )
    uow.get(Pulse, Pulse.of(context.actor).id).interact(beep.succeeded, "beep", context.now)
    return Processed(
        blocked=blocked,
        findings=findings,
        tools=tools,
        results=results,
        actions=bill.actions,
        charged=bill.charged,
        alert_id=alert_id,
    )


def _run(uow: UnitOfWork, bill: _Bill, command_id: UUID, index: int, call: PlannedCall) -> Any:
    spec = TOOLS[call.tool]
    if spec.cost is not None:
        bill(spec.cost, f"BEEP {call.tool}")
    if not spec.writes:
        return {}
    try:
        return WRITES[call.tool](uow, call, uuid5(NAMESPACE_OID, f"{command_id}:{index}"))
    except InsufficientCredits:
        raise
    except DomainError as error:
        raise _ToolFailed(index, error.detail) from None


class _Bill:
    """Meters actions on the caller's ledger and adds up what they cost."""

    def __init__(self, uow: UnitOfWork, command_id: UUID) -> None:
        self.uow, self.command_id = uow, command_id
        self.actions, self.charged, self.count = 0, Decimal(0), 0

    def __call__(self, kind: ActionKind, reason: str) -> None:
        self.count += 1
        transaction_id = uuid5(NAMESPACE_OID, f"{self.command_id}:bill:{self.count}")
        metered = meter(
            self.uow, MeterActions(kind=kind, reason=reason, transaction_id=transaction_id)
        )
        self.actions += metered.actions
        self.charged += metered.amount
