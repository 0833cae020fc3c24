"""Dossier files: HTML from a Jinja2 template rendered to PDF by WeasyPrint (optionally AES-256
encrypted with pikepdf), or JSON (optionally in an encrypted envelope, `aevon.envelope`)."""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from uuid import UUID

import anyio
import jinja2
import msgspec
import pikepdf

from aevon import envelope
from domain.dossier.dossier import Dossier, content_hash

_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
)
# WeasyPrint takes most of a core for a second or so: a few renders at a time, off the event loop.
_RENDERS = anyio.CapacityLimiter(2)


def html(dossier: Dossier, workspace_id: UUID) -> str:
    template = _TEMPLATES.get_template("dossier.html.j2")
    return template.render(d=dossier, content_hash=content_hash(dossier), workspace_id=workspace_id)


def pdf(dossier: Dossier, workspace_id: UUID, password: str | None = None) -> bytes:
    from weasyprint import HTML  # heavy to import: only where PDFs are made

    rendered: bytes = HTML(string=html(dossier, workspace_id)).write_pdf()
    if password is None:
        return rendered
    with pikepdf.open(io.BytesIO(rendered)) as document:
        out = io.BytesIO()
        owner = secrets.token_urlsafe(24)  # nobody gets more rights than the reader
        document.save(out, encryption=pikepdf.Encryption(user=password, owner=owner, R=6))
        return out.getvalue()


def json_document(dossier: Dossier, workspace_id: UUID, password: str | None = None) -> bytes:
    body = msgspec.json.encode(
        {
            "format": "aevon-dossier/v1",
            "workspaceId": str(workspace_id),
            "contentSha256": content_hash(dossier),
            "dossier": msgspec.to_builtins(dossier),
        }
    )
    return envelope.seal(body, password) if password is not None else body


async def render(dossier: Dossier, workspace_id: UUID, format: str, password: str | None) -> bytes:
    if format == "pdf":
        return await anyio.to_thread.run_sync(
            pdf, dossier, workspace_id, password, limiter=_RENDERS
        )
    return await anyio.to_thread.run_sync(json_document, dossier, workspace_id, password)
