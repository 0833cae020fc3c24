"""A workspace's security policy (edicts, threat indicators) and its members' baselines."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import msgspec
from litestar import Controller, Request, Response

from api.aegis import SECURITY
from api.commanding import run
from api.routes import get, put
from api.schemas import BaselineOut, EdictOut, EdictsRequest, ThreatIndicators
from api.security import Member, requires
from api.services import Services
from commands.aegis.replace_edicts import ReplaceEdicts
from commands.aegis.replace_threat_indicators import ReplaceThreatIndicators
from domain.aegis.policy import Edict, SecurityPolicy
from domain.identity.policy import Permission
from projections.security.queries import get_policy, list_baselines


def edict_out(edict: Edict) -> EdictOut:
    return EdictOut(
        id=edict.id,
        description=edict.description,
        pattern=edict.pattern,
        risk_level=edict.risk_level,
        is_active=edict.is_active,
    )


def baseline_from_row(row: dict[str, Any]) -> BaselineOut:
    hours = row["login_hours"]
    busiest = sorted((h for h in range(24) if hours[h]), key=lambda h: -hours[h])[:3]
    elapsed = (row["last_updated"] - row["first_seen"]).total_seconds() / 3600
    return BaselineOut(
        user_id=row["user_id"],
        usual_login_hours=sorted(busiest),
        known_ip_count=row["known_ips"],
        mean_hourly_spend=round(float(row["spend"]) / max(1.0, elapsed), 4),
        last_updated=row["last_updated"],
    )


class SecurityPolicyController(Controller):
    path = "/security"
    tags = ["Aegis"]

    @get("/edicts", operation_id="listEdicts", **requires(Permission.VIEW_ALERTS))
    async def edicts(self, member: Member, services: Services) -> list[EdictOut]:
        """The workspace's edicts: patterns its commands and workflow payloads must not match."""
        row = await get_policy(services.pool, member.workspace_id)
        return [edict_out(msgspec.convert(e, Edict)) for e in (row["edicts"] if row else [])]

    @put("/edicts", operation_id="replaceEdicts", **requires(Permission.MANAGE_SECURITY))
    async def replace_edicts(
        self,
        request: Request[Any, Any, Any],
        data: EdictsRequest,
        member: Member,
        services: Services,
    ) -> Response[list[EdictOut]]:
        """Replace the set of edicts; a pattern is keywords or a `/regular expression/`."""
        edicts = [
            Edict(
                id=str(uuid4()),
                description=e.description,
                pattern=e.pattern,
                risk_level=e.risk_level,
                is_active=e.is_active,
            )
            for e in data.edicts
        ]
        return await run(
            request,
            services,
            ReplaceEdicts(edicts=edicts),
            member.context(),
            lambda policy: [edict_out(e) for e in policy.edicts],
            projections=SECURITY,
        )

    @get(
        "/threat-indicators",
        operation_id="getThreatIndicators",
        **requires(Permission.VIEW_ALERTS),
    )
    async def indicators(self, member: Member, services: Services) -> ThreatIndicators:
        """Domains and addresses known to be hostile; mentioning one is flagged."""
        row = await get_policy(services.pool, member.workspace_id)
        return (
            ThreatIndicators(domains=row["domains"], ips=row["ips"]) if row else ThreatIndicators()
        )

    @put(
        "/threat-indicators",
        operation_id="replaceThreatIndicators",
        **requires(Permission.MANAGE_SECURITY),
    )
    async def replace_indicators(
        self,
        request: Request[Any, Any, Any],
        data: ThreatIndicators,
        member: Member,
        services: Services,
    ) -> Response[ThreatIndicators]:
        """Replace the threat indicators (validated; the server never fetches them)."""
        return await run(
            request,
            services,
            ReplaceThreatIndicators(domains=data.domains, ips=data.ips),
            member.context(),
            _indicators_view,
            projections=SECURITY,
        )

    @get("/baselines", operation_id="listSecurityBaselines", **requires(Permission.VIEW_ALERTS))
    async def baselines(self, member: Member, services: Services) -> list[BaselineOut]:
        """Per member: usual login hours (UTC), known addresses, mean hourly spend."""
        rows = await list_baselines(services.pool, member.workspace_id)
        return [baseline_from_row(r) for r in rows]


def _indicators_view(policy: SecurityPolicy) -> ThreatIndicators:
    return ThreatIndicators(domains=policy.domains, ips=policy.ips)
