from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from litestar import Controller, Response
from litestar.exceptions import ClientException
from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType

from aevon.dossier_render import render
from api.routes import post
from api.schemas import DossierExportRequest
from api.security import Member, requires
from api.services import Services
from commands.dossier.export_dossier import ExportDossier
from commands.unit_of_work import mint
from domain.dossier.dossier import compile_dossier
from domain.identity.policy import Permission

MIN_PASSWORD = 8
MEDIA = {"pdf": "application/pdf", "json": "application/json"}
FILES = {
    "application/pdf": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY),
    "application/json": Schema(type=OpenAPIType.OBJECT),
}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "target"


class DossierController(Controller):
    path = "/export"
    tags = ["Export"]

    @post(
        "/dossier",
        operation_id="exportDossier",
        status_code=200,
        **requires(Permission.READ, produces=FILES),
    )
    async def export(
        self, data: DossierExportRequest, member: Member, services: Services
    ) -> Response[bytes]:
        """Export a dossier as PDF or JSON, optionally encrypted with a password (5 actions)."""
        if data.encrypt and (data.password is None or len(data.password) < MIN_PASSWORD):
            raise ClientException(f"Encryption needs a password of at least {MIN_PASSWORD} chars.")
        given = data.dossier_input
        dossier = compile_dossier(
            given.target_name,
            given.osint_report,
            given.analysis_result,
            given.decoy_result,
            datetime.now(UTC),
            redacted=data.redacted,
        )
        password = data.password if data.encrypt else None
        content = await render(dossier, member.workspace_id, data.format, password)
        digest = hashlib.sha256(content).hexdigest()
        command = ExportDossier(
            export_id=mint(),
            target=dossier.target,
            format=data.format,
            encrypted=data.encrypt,
            redacted=data.redacted,
            sha256=digest,
        )
        await services.bus.execute(command, member.context())
        filename = f"dossier-{slug(dossier.target)}.{data.format}"
        return Response(
            content,
            media_type=MEDIA[data.format],
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "X-Content-SHA256": digest,
            },
        )
