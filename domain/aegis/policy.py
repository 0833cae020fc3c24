"""A workspace's own security policy: edicts (patterns its commands and workflow payloads must
not match) and threat indicators (domains and addresses known to be hostile)."""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from uuid import NAMESPACE_OID, UUID, uuid5

import msgspec

from domain.aegis.alert import RiskLevel
from domain.shared import Aggregate, Event, InvalidInput

MAX_EDICTS = 50
MAX_PATTERN = 200
MAX_INDICATORS = 500
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Shapes that can make a regular expression take exponential time, or reach outside the text.
_UNSAFE = re.compile(r"\)\s*[+*{?]|\\[1-9]|\(\?[<P]?[=!<]|\(\?\(")


class Edict(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    description: str
    pattern: str
    risk_level: RiskLevel
    is_active: bool = True


class EdictsReplaced(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    edicts: list[Edict]
    at: datetime


class ThreatIndicatorsReplaced(Event, frozen=True, kw_only=True):
    workspace_id: UUID
    domains: list[str]
    ips: list[str]
    at: datetime


def policy_id(workspace_id: UUID) -> UUID:
    return uuid5(NAMESPACE_OID, f"aevon:security-policy:{workspace_id}")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """`/regex/` is a (checked) regular expression; anything else is comma-separated keywords."""
    if len(pattern) > MAX_PATTERN or not pattern.strip():
        raise InvalidInput(f"An edict's pattern is 1 to {MAX_PATTERN} characters.")
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        body = pattern[1:-1]
        if _UNSAFE.search(body) or body.count("(") > 10:
            raise InvalidInput(
                "An edict's regular expression may not repeat a group, refer back or look"
                " around, and has at most 10 groups."
            )
        try:
            return re.compile(body, re.IGNORECASE)
        except re.error as error:
            raise InvalidInput(f"An edict's regular expression is invalid: {error}.") from None
    words = [re.escape(w.strip()) for w in pattern.split(",") if w.strip()]
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


def checked_indicators(domains: list[str], ips: list[str]) -> tuple[list[str], list[str]]:
    if len(domains) + len(ips) > MAX_INDICATORS:
        raise InvalidInput(f"At most {MAX_INDICATORS} threat indicators.")
    clean_domains = sorted({d.strip().lower().rstrip(".") for d in domains})
    for domain in clean_domains:
        if not _HOSTNAME.match(domain):
            raise InvalidInput(f"{domain!r} is not a domain name.")
    clean_ips = []
    for ip in ips:
        try:
            clean_ips.append(str(ipaddress.ip_network(ip.strip(), strict=False)))
        except ValueError:
            raise InvalidInput(f"{ip!r} is not an IP address or network.") from None
    return clean_domains, sorted(set(clean_ips))


class SecurityPolicy(Aggregate):
    category = "security_policy"

    def __init__(self, id: UUID) -> None:
        super().__init__(id)
        self.edicts: list[Edict] = []
        self.domains: list[str] = []
        self.ips: list[str] = []

    def replace_edicts(self, workspace_id: UUID, edicts: list[Edict], at: datetime) -> None:
        if len(edicts) > MAX_EDICTS:
            raise InvalidInput(f"At most {MAX_EDICTS} edicts.")
        for edict in edicts:
            compile_pattern(edict.pattern)
        self.record(EdictsReplaced(workspace_id=workspace_id, edicts=edicts, at=at))

    def replace_indicators(
        self, workspace_id: UUID, domains: list[str], ips: list[str], at: datetime
    ) -> None:
        clean_domains, clean_ips = checked_indicators(domains, ips)
        self.record(
            ThreatIndicatorsReplaced(
                workspace_id=workspace_id, domains=clean_domains, ips=clean_ips, at=at
            )
        )

    def apply(self, event: Event) -> None:
        match event:
            case EdictsReplaced():
                self.edicts = event.edicts
            case ThreatIndicatorsReplaced():
                self.domains, self.ips = event.domains, event.ips
            case _:
                super().apply(event)
