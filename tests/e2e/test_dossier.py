"""Dossier export end to end: the PDF reads back, encryption holds, the event keeps the hash."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pypdf

from tests.e2e.test_beep import burn
from tests.support import Servers, connect, register

INPUT = {
    "targetName": "Jane Doe",
    "osintReport": {
        "summary": "Jane Doe runs a bakery chain.",
        "findings": [{"title": "LinkedIn", "detail": "Jane Doe lists 12 years in finance."}],
    },
    "analysisResult": {"riskScore": 82, "traits": ["Punctual"]},
    "decoyResult": {"transcript": [{"speaker": "Jane Doe", "text": "Only by phone."}]},
}


async def export(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> httpx.Response:
    return await client.post(
        "/v1/export/dossier", json={"dossierInput": INPUT, **body}, headers=headers
    )


async def test_a_pdf_dossier_reads_back_and_its_export_is_recorded(
    client: httpx.AsyncClient, servers: Servers
) -> None:
    owner = await register(client)
    response = await export(client, owner["headers"], format="pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="dossier-jane-doe.pdf"'
    digest = hashlib.sha256(response.content).hexdigest()
    assert response.headers["x-content-sha256"] == digest
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    for expected in ("Jane Doe", "Overall risk: HIGH", "EXECUTIVE SYNOPSIS", "OSINT FINDINGS",
                     "BEHAVIOURAL ANALYSIS", "COUNTER-INTELLIGENCE TRANSCRIPT", "Only by phone.",
                     owner["workspace"]["id"][:8]):  # fmt: skip
        assert expected in text, expected
    with connect(servers.database_url) as conn:
        states = [
            bytes(row[0]).decode()
            for row in conn.execute(
                "SELECT state FROM aevon_events WHERE topic = 'DossierExported'"
            )
        ]
    assert any(digest in state and owner["workspace"]["id"] in state for state in states)
    usage = (await client.get("/v1/billing/usage", headers=owner["headers"])).json()
    assert usage["actionsUsed"] == 5


async def test_an_encrypted_pdf_opens_only_with_its_password(client: httpx.AsyncClient) -> None:
    owner = await register(client)
    response = await export(
        client, owner["headers"], format="pdf", encrypt=True, password="open sesame"
    )
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert reader.is_encrypted
    assert not reader.decrypt("wrong password")
    assert reader.decrypt("open sesame")
    assert "Jane Doe" in reader.pages[0].extract_text()
    assert reader.trailer["/Encrypt"]["/R"] == 6  # AES-256


async def test_a_json_envelope_round_trips_through_the_cli_and_detects_tampering(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    owner = await register(client)
    response = await export(
        client, owner["headers"], format="json", encrypt=True, password="open sesame", redacted=True
    )
    assert (
        response.headers["content-disposition"] == 'attachment; filename="dossier-target-001.json"'
    )
    sealed = response.json()
    assert (sealed["format"], sealed["cipher"], sealed["kdf"]["name"]) == (
        "aevon-envelope/v1", "AES-256-GCM", "argon2id"
    )  # fmt: skip
    assert "Jane" not in response.text
    path = tmp_path / "dossier.json"
    path.write_bytes(response.content)
    opened = await decrypt(path, "open sesame")
    assert opened.returncode == 0, opened.stderr
    dossier = json.loads(opened.stdout)["dossier"]
    assert dossier["target"] == "TARGET-001"
    assert dossier["findings"][0]["detail"] == "TARGET-001 lists 12 years in finance."
    assert dossier["riskLevel"] == "HIGH"
    tampered = bytearray(response.content)
    at = response.content.index(b'"ciphertext":"') + 20
    tampered[at] = ord("A") if tampered[at] != ord("A") else ord("B")
    path.write_bytes(bytes(tampered))
    refused = await decrypt(path, "open sesame")
    assert refused.returncode != 0
    assert b"altered" in refused.stderr


async def decrypt(path: Path, password: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "aevon.cli", "dossier", "decrypt", str(path)]
    environment = os.environ | {"AEVON_DOSSIER_PASSWORD": password}
    return await asyncio.to_thread(
        subprocess.run, command, capture_output=True, timeout=60, env=environment
    )


async def test_bad_requests_and_no_credits(client: httpx.AsyncClient, servers: Servers) -> None:
    owner = await register(client)
    headers = owner["headers"]
    for body in (
        {"format": "pdf", "encrypt": True},
        {"format": "pdf", "encrypt": True, "password": "short"},
        {"format": "docx"},
        {"format": "json", "dossierInput": {"targetName": ""}},
    ):
        response = await client.post(
            "/v1/export/dossier", json={"dossierInput": INPUT, **body}, headers=headers
        )
        assert response.status_code == 400, body
    await burn(servers, owner, 100 + 98)  # leaves 2 Ξ: not enough for 5 actions
    refused = await export(client, headers, format="json")
    assert refused.status_code == 402
