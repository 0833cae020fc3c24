"""The BEEP tools that change something, each through the command the API uses for it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

import msgspec

from commands.actions import ContactArgs, Result, create_contact_from, parse
from commands.crm import delete_contact, update_contact
from commands.ledger import request_top_up
from commands.loom import start_run
from commands.unit_of_work import UnitOfWork
from commands.workspaces import update_workspace
from domain.shared import InvalidInput
from domain.workspaces.workspace import PlanTier

MAX_TOP_UP = Decimal(1_000_000)


class PlannedCall(msgspec.Struct, frozen=True, kw_only=True):
    """A planned tool call; `target_id` is the contact or workflow it was resolved to."""

    tool: str
    args: dict[str, Any]
    status: str = "ready"  # or "denied", "unresolved": not run
    detail: str | None = None
    target_id: UUID | None = None


def _create_contact(uow: UnitOfWork, call: PlannedCall, id: UUID) -> Result:
    return create_contact_from(uow, parse(call.args, ContactArgs), id)


def _update_contact(uow: UnitOfWork, call: PlannedCall, _: UUID) -> Result:
    assert call.target_id is not None
    changes = dict(call.args.get("changes", {}))
    if "name" in changes:
        first, _sep, last = str(changes.pop("name")).partition(" ")
        changes |= {"firstName": first, "lastName": last or None}
    parsed: ContactArgs = parse(changes, ContactArgs)
    fields = {f: getattr(parsed, f) for f in ("email", "first_name", "last_name", "phone")}
    fields = {f: v.lower() if f == "email" else v for f, v in fields.items() if v is not None}
    if not fields:
        raise InvalidInput("Say what to change: a phone, an email or a name.")
    command = update_contact.UpdateContact(contact_id=call.target_id, changes=fields)
    update_contact.handle(command, uow)
    return {"contactId": str(call.target_id), "changes": changes}


def _delete_contact(uow: UnitOfWork, call: PlannedCall, _: UUID) -> Result:
    assert call.target_id is not None
    delete_contact.handle(delete_contact.DeleteContact(contact_id=call.target_id), uow)
    return {"contactId": str(call.target_id)}


def _top_up(uow: UnitOfWork, call: PlannedCall, id: UUID) -> Result:
    try:
        amount = Decimal(str(call.args["amount"])).quantize(Decimal("0.01"))
    except (KeyError, InvalidOperation):
        raise InvalidInput("Say how many credits to request, e.g. “top up 50 credits”.") from None
    if not 0 < amount <= MAX_TOP_UP:
        raise InvalidInput(f"A top-up is between 0.01 and {MAX_TOP_UP} Ξ.")
    command = request_top_up.RequestTopUp(transaction_id=id, amount=amount)
    request_top_up.handle(command, uow)
    return {"transactionId": str(id), "amount": float(amount), "status": "PENDING"}


def _change_plan(uow: UnitOfWork, call: PlannedCall, _: UUID) -> Result:
    try:
        tier = PlanTier(call.args["planTier"])
    except (KeyError, ValueError):
        raise InvalidInput("Name the plan: Apprentice, Artisan or Priesthood.") from None
    command = update_workspace.UpdateWorkspace(workspace_id=uow.context.workspace, plan_tier=tier)
    update_workspace.handle(command, uow)
    return {"planTier": str(tier)}


def _run_workflow(uow: UnitOfWork, call: PlannedCall, id: UUID) -> Result:
    assert call.target_id is not None
    payload = call.args.get("payload") or {}
    command = start_run.StartRun(workflow_id=call.target_id, run_id=id, payload=payload)
    start_run.handle(command, uow)
    return {"runId": str(id), "workflowId": str(call.target_id), "status": "pending"}


WRITES: dict[str, Callable[[UnitOfWork, PlannedCall, UUID], Result]] = {
    "contacts.create": _create_contact,
    "contacts.update": _update_contact,
    "contacts.delete": _delete_contact,
    "billing.top_up": _top_up,
    "workspace.change_plan": _change_plan,
    "workflows.run": _run_workflow,
}
