"""Records a dossier export and bills it (5 actions); the file is made before, so that its hash
is recorded, and is handed out only once this command succeeds."""

from __future__ import annotations

from uuid import UUID

from commands.ledger.base import LedgerCommand
from commands.ledger.meter_actions import MeterActions, meter
from commands.unit_of_work import UnitOfWork
from domain.dossier.dossier import DossierExport, DossierExported
from domain.ledger.plans import ActionKind


class ExportDossier(LedgerCommand, frozen=True, kw_only=True):
    export_id: UUID
    target: str
    format: str
    encrypted: bool
    redacted: bool
    sha256: str


def handle(command: ExportDossier, uow: UnitOfWork) -> DossierExport:
    context = uow.context
    meter(
        uow,
        MeterActions(
            kind=ActionKind.DOSSIER_EXPORT,
            reason=f"Dossier export ({command.format})",
            transaction_id=command.export_id,
        ),
    )
    export = uow.get(DossierExport, command.export_id)
    export.record_export(
        DossierExported(
            workspace_id=context.workspace,
            user_id=context.actor,
            target=command.target,
            format=command.format,
            encrypted=command.encrypted,
            redacted=command.redacted,
            sha256=command.sha256,
            at=context.now,
        )
    )
    return export
