"""Aegis's scan of free text (BEEP commands, workflow payloads): social-engineering language,
suspicious or look-alike links, and requests to act beyond the caller's role."""

from __future__ import annotations

import contextlib
import ipaddress
import re
from urllib.parse import urlsplit

import msgspec

from domain.aegis.alert import RiskLevel
from domain.aegis.policy import SecurityPolicy, compile_pattern
from domain.identity.roles import Role

RANK = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3, RiskLevel.CRITICAL: 4}
BLOCKING = {RiskLevel.HIGH, RiskLevel.CRITICAL}
BRANDS = ("paypal", "google", "microsoft", "apple", "amazon", "stripe", "slack", "aevon", "github")
SHORTENERS = {"bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "cutt.ly"}
RISKY_TLDS = {"zip", "mov", "xyz", "top", "tk", "gq", "ml", "cf", "click", "country"}
_LOOKALIKE = str.maketrans("0134579", "oleastg")

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_URGENCY = re.compile(
    r"\b(?:urgent(?:ly)?|immediately|right now|asap|within (?:the )?(?:hour|\d+ minutes)|act now"
    r"|final (?:notice|warning)|before it'?s too late|(?:account|access) will be "
    r"(?:suspended|closed|locked|deleted))\b",
    re.IGNORECASE,
)
_CREDENTIALS = re.compile(
    r"\b(?:send|share|give|tell|provide|confirm|verify|enter|reveal|disclose|email|text|type)\b"
    r"(?:\W+\w+){0,6}?\W+(?:password|passcode|passphrase|2fa|mfa|one[- ]time code|otp"
    r"|verification code|login|credentials?|api key|secret key|private key|seed phrase|ssn"
    r"|social security|bank details|card number|credit card|cvv|pin)\b",
    re.IGNORECASE,
)
_PAYMENT = re.compile(
    r"\b(?:wire|transfer|send|pay)\b(?:\W+\w+){0,6}?\W+(?:money|funds|gift ?cards?|bitcoin|btc"
    r"|crypto|usdt|payment)\b|\bgift ?cards?\b",
    re.IGNORECASE,
)
_THREAT = re.compile(
    r"\b(?:or else|you will be (?:fired|sued|arrested)|legal action|lawsuit|we will report you"
    r"|consequences)\b",
    re.IGNORECASE,
)
_ESCALATION = re.compile(
    r"\b(?:make|promote|grant|give|set)\b(?:\W+\w+){0,4}?\W+(?:admin|administrator|owner"
    r"|superuser|root)\b|\b(?:disable|bypass|turn off)\b(?:\W+\w+){0,3}?\W+(?:aegis|security"
    r"|audit|2fa|mfa)\b|\bdelete (?:all|every)\b",
    re.IGNORECASE,
)


class Finding(msgspec.Struct, frozen=True):
    rule: str
    risk: RiskLevel
    explanation: str


MAX_SCANNED = 20_000
_HOST = re.compile(r"\b(?:[a-z0-9-]+\.)+[a-z]{2,63}\b", re.IGNORECASE)
_IP = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b|\b[0-9a-f]*:[0-9a-f:]+\b", re.IGNORECASE)


def scan_text(
    text: str, role: Role | None = None, policy: SecurityPolicy | None = None
) -> list[Finding]:
    text = text[:MAX_SCANNED]
    findings = _social_engineering(text) + [f for url in _URL.findall(text) if (f := _link(url))]
    if role is not None and role is not Role.ADMIN and _ESCALATION.search(text):
        findings.append(
            Finding("role", RiskLevel.HIGH, f"A {role} asks for privileges beyond the role.")
        )
    if policy is not None:
        findings += _edicts(text, policy) + _indicators(text, policy)
    return findings


def _edicts(text: str, policy: SecurityPolicy) -> list[Finding]:
    return [
        Finding("edict", edict.risk_level, f"It breaks the edict “{edict.description}”.")
        for edict in policy.edicts
        if edict.is_active and compile_pattern(edict.pattern).search(text)
    ]


def _indicators(text: str, policy: SecurityPolicy) -> list[Finding]:
    hosts = {h.lower() for h in _HOST.findall(text)}
    found = sorted({d for d in policy.domains for h in hosts if h == d or h.endswith(f".{d}")})
    networks = [ipaddress.ip_network(n) for n in policy.ips]
    for candidate in _IP.findall(text):
        with contextlib.suppress(ValueError):
            address = ipaddress.ip_address(candidate)
            found += [str(address) for n in networks if address in n][:1]
    return [
        Finding("indicator", RiskLevel.HIGH, f"It mentions {item}, a known threat indicator.")
        for item in found
    ]


def verdict(findings: list[Finding]) -> RiskLevel | None:
    return max((f.risk for f in findings), key=RANK.__getitem__, default=None)


def _social_engineering(text: str) -> list[Finding]:
    urgent, threat = bool(_URGENCY.search(text)), bool(_THREAT.search(text))
    pressure = urgent or threat
    findings = []
    if _CREDENTIALS.search(text):
        risk = RiskLevel.HIGH if pressure else RiskLevel.MEDIUM
        findings.append(Finding("credentials", risk, "It asks for credentials or secrets."))
    if _PAYMENT.search(text):
        gift = re.search(r"gift ?cards?|bitcoin|btc|crypto|usdt", text, re.IGNORECASE)
        risk = RiskLevel.HIGH if pressure or gift else RiskLevel.MEDIUM
        findings.append(Finding("payment", risk, "It asks for an unusual payment."))
    if threat:
        findings.append(Finding("threat", RiskLevel.MEDIUM, "It uses threatening language."))
    elif urgent and not findings:
        findings.append(Finding("urgency", RiskLevel.LOW, "It presses for urgency."))
    return findings


def _link(url: str) -> Finding | None:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").lower()
    labels = host.split(".")
    if "@" in parts.netloc:
        return Finding("link", RiskLevel.HIGH, f"The link {url} hides its real host.")
    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return Finding("link", RiskLevel.HIGH, f"The link {url} points at a bare IP address.")
    if any(label.startswith("xn--") for label in labels):
        return Finding("link", RiskLevel.HIGH, f"The link {url} uses look-alike characters.")
    if lookalike := _lookalike(labels):
        return Finding("link", RiskLevel.HIGH, f"The link {url} imitates {lookalike}.")
    if host in SHORTENERS:
        return Finding("link", RiskLevel.MEDIUM, f"The link {url} hides its target.")
    if labels[-1] in RISKY_TLDS:
        return Finding("link", RiskLevel.MEDIUM, f"The link {url} uses a risky domain.")
    return None


def _lookalike(labels: list[str]) -> str | None:
    """A brand spelt with digits or one letter off, outside the brand's own domain."""
    registered = labels[-2] if len(labels) >= 2 else labels[0]
    for label in labels[:-1]:
        plain = label.translate(_LOOKALIKE)
        for brand in BRANDS:
            if label == brand and label == registered:
                return None
            if brand in plain and label != brand:
                return brand
            if _one_letter_off(label, brand):
                return brand
    return None


def _one_letter_off(label: str, brand: str) -> bool:
    return len(label) == len(brand) and sum(a != b for a, b in zip(label, brand, strict=True)) == 1
