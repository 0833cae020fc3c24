"""Platform actions shared by workflow tool nodes and BEEP: arguments as people write them,
checked, then decided through the same command handlers as the API, in the caller's unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import msgspec

from commands.crm import create_contact
from commands.ledger.meter_actions import MeterActions, meter
from commands.unit_of_work import UnitOfWork
from domain.aegis.alert import Alert, RiskLevel, SecurityAlertRaised
from domain.crm.contact import ContactDetails
from domain.fields import Email, Name, Phone, Text
from domain.ledger.plans import ActionKind
from domain.shared import InvalidInput

Result = dict[str, Any]


class Args(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    pass


class ContactArgs(Args):
    email: Email | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None


class AlertArgs(Args):
    type: Name
    explanation: Text
    risk_level: RiskLevel = RiskLevel.MEDIUM


class MeterArgs(Args):
    kind: ActionKind
    reason: Text = "Workflow step"
    multiplier: float = 1.0


def parse(args: Any, cls: type[Args]) -> Any:
    try:
        return msgspec.convert(args, cls)
    except msgspec.ValidationError as error:
        raise InvalidInput(f"Tool arguments: {error}") from None


def bill(uow: UnitOfWork, kind: ActionKind, reason: str, transaction_id: UUID) -> None:
    meter(uow, MeterActions(kind=kind, reason=reason, transaction_id=transaction_id))


def create_contact_from(uow: UnitOfWork, args: ContactArgs, id: UUID) -> Result:
    details = ContactDetails(
        email=args.email.lower() if args.email else None,
        first_name=args.first_name,
        last_name=args.last_name,
        phone=args.phone,
    )
    create_contact.handle(create_contact.CreateContact(contact_id=id, details=details), uow)
    return {"contactId": str(id)}


def raise_alert(uow: UnitOfWork, args: AlertArgs, id: UUID, source: str) -> None:
    uow.get(Alert, id).raise_alert(
        SecurityAlertRaised(
            workspace_id=uow.context.workspace,
            type=args.type,
            explanation=args.explanation,
            risk_level=args.risk_level,
            source=source,
            actor_id=uow.context.actor_id,
            at=uow.context.now,
        )
    )


def _raise_alert(uow: UnitOfWork, args: AlertArgs, id: UUID) -> Result:
    raise_alert(uow, args, id, "loom")
    return {"alertId": str(id), "riskLevel": str(args.risk_level)}


def _meter(uow: UnitOfWork, args: MeterArgs, id: UUID) -> Result:
    if not 0 < args.multiplier <= 100:
        raise InvalidInput("Tool arguments: multiplier is in (0, 100].")
    metered = meter(
        uow,
        MeterActions(
            kind=args.kind, reason=args.reason, transaction_id=id, multiplier=args.multiplier
        ),
    )
    return {
        "metered": {"actions": metered.actions, "charged": float(metered.amount)},
    }


TOOLS: dict[str, tuple[type[Args], Callable[[UnitOfWork, Any, UUID], Result]]] = {
    "contacts.create": (ContactArgs, create_contact_from),
    "alerts.raise": (AlertArgs, _raise_alert),
    "ledger.meter": (MeterArgs, _meter),
}
