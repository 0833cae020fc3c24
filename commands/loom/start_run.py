"""Starts a run of a workflow, from the API or a trigger, after a billed Aegis pre-scan of its
payload (the shared rules and the workspace's edicts and threat indicators)."""

from __future__ import annotations

import json
from typing import Any
from uuid import NAMESPACE_OID, UUID, uuid5

from commands.actions import AlertArgs, raise_alert
from commands.ledger.base import LedgerCommand
from commands.ledger.meter_actions import MeterActions, meter
from commands.unit_of_work import UnitOfWork
from domain.aegis.policy import SecurityPolicy, policy_id
from domain.aegis.scan import BLOCKING, scan_text, verdict
from domain.ledger.plans import ActionKind
from domain.loom.definition import TriggerType
from domain.loom.run import Run, RunStarted
from domain.loom.workflow import Workflow
from domain.shared import Conflict


class WorkflowInactive(Conflict):
    def __init__(self) -> None:
        super().__init__("This workflow is inactive; activate it to run it.")


class StartRun(LedgerCommand, frozen=True, kw_only=True):
    workflow_id: UUID
    run_id: UUID
    payload: dict[str, Any]
    trigger: TriggerType = TriggerType.API


def handle(command: StartRun, uow: UnitOfWork) -> Run:
    context = uow.context
    workflow = uow.get(Workflow, command.workflow_id).visible_to(context.workspace)
    if not workflow.is_active:
        raise WorkflowInactive()
    run = uow.get(Run, command.run_id)
    if run.exists:  # a trigger that already fired: runs are started once per id
        return run
    meter(
        uow,
        MeterActions(
            kind=ActionKind.AEGIS_SCAN,
            reason=f"Aegis pre-scan of workflow run {command.run_id}",
            transaction_id=uuid5(NAMESPACE_OID, f"{command.run_id}:aegis"),
        ),
    )
    run.start(
        RunStarted(
            workspace_id=context.workspace,
            workflow_id=workflow.id,
            workflow_name=workflow.name,
            definition_version=workflow.definition_version,
            definition=workflow.definition,
            trigger=command.trigger,
            payload=command.payload,
            started_by=context.actor_id,
            at=context.now,
        )
    )
    _pre_scan(uow, run, command.payload)
    return run


def _pre_scan(uow: UnitOfWork, run: Run, payload: dict[str, Any]) -> None:
    """A payload that Aegis blocks fails the run before its first step, with an alert."""
    context = uow.context
    policy = uow.get(SecurityPolicy, policy_id(context.workspace))
    findings = scan_text(json.dumps(payload, ensure_ascii=False, default=str), None, policy)
    risk = verdict(findings)
    if risk not in BLOCKING:
        return
    assert risk is not None
    reasons = " ".join(f.explanation for f in findings)
    alert = AlertArgs(type="Blocked workflow run", explanation=reasons, risk_level=risk)
    raise_alert(uow, alert, uuid5(NAMESPACE_OID, f"{run.id}:alert"), "loom")
    run.fail(None, f"Blocked by Aegis: {reasons}", context.now)
