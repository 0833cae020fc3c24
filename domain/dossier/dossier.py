"""A dossier: what the workspace compiled about a target, normalised for export, and the record
that it was exported."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.shared import Aggregate, Event

PSEUDONYM = "TARGET-001"
HIGH_ABOVE, MEDIUM_ABOVE = 75, 40


class Finding(msgspec.Struct, frozen=True, rename="camel"):
    title: str
    detail: str


class Line(msgspec.Struct, frozen=True, rename="camel"):
    speaker: str
    text: str


class Dossier(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    target: str
    compiled_at: datetime
    synopsis: str
    risk_score: float | None
    risk_level: str
    findings: list[Finding]
    behaviour: list[Finding]
    transcript: list[Line]
    redacted: bool


def risk_level(score: float | None) -> str:
    if score is None:
        return "Not assessed"
    return "HIGH" if score > HIGH_ABOVE else "MEDIUM" if score > MEDIUM_ABOVE else "LOW"


def compile_dossier(
    target: str,
    osint: dict[str, Any] | None,
    analysis: dict[str, Any] | None,
    decoy: dict[str, Any] | None,
    at: datetime,
    redacted: bool = False,
) -> Dossier:
    """Free-form reports become sections; well-known fields (summary, findings, riskScore,
    traits, transcript) are placed where a reader expects them."""
    osint, analysis, decoy = osint or {}, analysis or {}, decoy or {}
    score = _score(analysis.get("riskScore", osint.get("riskScore")))
    dossier = Dossier(
        target=target,
        compiled_at=at,
        synopsis=_synopsis(target, osint, analysis, score),
        risk_score=score,
        risk_level=risk_level(score),
        findings=_findings(osint, "findings"),
        behaviour=_findings(analysis, "traits"),
        transcript=_transcript(decoy),
        redacted=False,
    )
    return redact(dossier) if redacted else dossier


def redact(dossier: Dossier) -> Dossier:
    """The target's name, whole or in parts, becomes TARGET-001 everywhere."""
    names = sorted({dossier.target, *dossier.target.split()}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in names if len(n) > 1), re.IGNORECASE)
    data = msgspec.to_builtins(dossier)
    hidden = _replace(data, pattern)
    return msgspec.convert({**hidden, "target": PSEUDONYM, "redacted": True}, Dossier)


def content_hash(dossier: Dossier) -> str:
    return hashlib.sha256(msgspec.json.encode(dossier)).hexdigest()


def _replace(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(PSEUDONYM, value)
    if isinstance(value, list):
        return [_replace(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, pattern) for k, v in value.items()}
    return value


def _score(value: Any) -> float | None:
    try:
        score = float(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(100.0, score))


def _synopsis(
    target: str, osint: dict[str, Any], analysis: dict[str, Any], score: float | None
) -> str:
    given = analysis.get("summary") or osint.get("summary")
    if isinstance(given, str) and given.strip():
        return given.strip()
    assessed = (
        f"an overall risk of {risk_level(score)} ({score:g}/100)"
        if score is not None
        else "no risk assessment"
    )
    return f"Compiled intelligence on {target}, with {assessed}."


def _findings(report: dict[str, Any], listed: str) -> list[Finding]:
    items = report.get(listed)
    if isinstance(items, list):
        label = "Trait" if listed == "traits" else "Finding"
        return [_finding(i, f"{label} {n}") for n, i in enumerate(items, 1)]
    return [
        Finding(_title(key), _text(value))
        for key, value in report.items()
        if key not in ("summary", "riskScore", listed)
    ]


def _finding(item: Any, fallback: str) -> Finding:
    if isinstance(item, dict):
        title = item.get("title") or item.get("source") or fallback
        detail = item.get("detail") or item.get("description") or _text(item)
        return Finding(str(title), _text(detail))
    return Finding(fallback, _text(item))


def _transcript(decoy: dict[str, Any]) -> list[Line]:
    lines = decoy.get("transcript", [])
    if isinstance(lines, str):
        return [Line("", line) for line in lines.splitlines() if line.strip()]
    result = []
    for line in lines if isinstance(lines, list) else []:
        if isinstance(line, dict):
            result.append(Line(str(line.get("speaker", "")), _text(line.get("text", ""))))
        else:
            result.append(Line("", _text(line)))
    return result


def _title(key: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])|_", " ", key).strip().capitalize()


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_title(k)}: {_text(v)}" for k, v in value.items())
    return "" if value is None else str(value)


class DossierExported(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    user_id: UUID
    target: str
    format: str
    encrypted: bool
    redacted: bool
    sha256: str
    at: datetime


class DossierExport(Aggregate):
    category = "dossier_export"

    def record_export(self, event: DossierExported) -> None:
        self.record(event)

    def apply(self, event: Event) -> None:
        if not isinstance(event, DossierExported):
            super().apply(event)
