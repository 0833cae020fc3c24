from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response

from api.commanding import run
from api.pagination import Cursor, Limit, decode_cursor, paginate
from api.routes import get, post
from api.schemas import (
    AlertNoteRequest,
    SecurityAlertOut,
)
from api.security import Member, requires
from api.services import Services
from commands.aegis.acknowledge_alert import AcknowledgeAlert
from commands.aegis.dismiss_alert import DismissAlert
from domain.aegis.alert import Alert, AlertStatus, RiskLevel
from domain.identity.policy import Permission
from projections.security.queries import list_alerts

SECURITY = ("security",)
HANDLING = ["acknowledge", "dismiss"]
NEXT_STEPS = {
    "Brute-force suspected": ["reset the account's password", "review login history"],
    "Login from a new address": ["confirm the login with the member"],
    "Unusual spending": ["review recent transactions"],
    "Privilege raised": ["review member roles"],
    "Blocked BEEP command": ["review the command with its author"],
}


def options(type: str, status: str) -> list[str]:
    handling = {"open": HANDLING, "acknowledged": ["dismiss"]}.get(status, [])
    return handling + NEXT_STEPS.get(type, []) if status != "dismissed" else []


def alert_from_row(row: dict[str, Any]) -> SecurityAlertOut:
    return SecurityAlertOut(
        id=row["id"],
        type=row["type"],
        explanation=row["explanation"],
        risk_level=RiskLevel(row["risk_level"]),
        timestamp=row["raised_at"],
        status=AlertStatus(row["status"]),
        source=row["source"],
        actor_id=row["actor_id"],
        note=row["note"],
        actionable_options=options(row["type"], row["status"]),
    )


def handled_view(alert: Alert) -> dict[str, str]:
    return {"id": str(alert.id), "status": str(alert.status)}


class SecurityController(Controller):
    path = "/security"
    tags = ["Aegis"]

    @get("/alerts", operation_id="listSecurityAlerts", **requires(Permission.VIEW_ALERTS))
    async def alerts(
        self,
        request: Request[Any, Any, Any],
        member: Member,
        services: Services,
        limit: Limit = 20,
        cursor: Cursor = None,
        riskLevel: RiskLevel | None = None,
        status: AlertStatus | None = None,
        since: datetime | None = None,
    ) -> Response[list[SecurityAlertOut]]:
        """The workspace's security alerts, newest first."""
        rows = await list_alerts(
            services.pool,
            member.workspace_id,
            limit + 1,
            decode_cursor(cursor),
            riskLevel,
            status,
            since,
        )
        filters = {
            "riskLevel": riskLevel,
            "status": status,
            "since": since.isoformat() if since else None,
        }
        page, headers = paginate(request, rows, limit, filters)
        return Response([alert_from_row(r) for r in page], headers=headers)

    @post(
        "/alerts/{alertId:uuid}/acknowledge",
        operation_id="acknowledgeSecurityAlert",
        status_code=200,
        **requires(Permission.MANAGE_SECURITY),
    )
    async def acknowledge(
        self,
        request: Request[Any, Any, Any],
        alertId: UUID,
        member: Member,
        services: Services,
        data: AlertNoteRequest | None = None,
    ) -> Response[dict[str, str]]:
        """Mark an open alert as seen and being handled."""
        command = AcknowledgeAlert(alert_id=alertId, note=data.note if data else None)
        return await run(
            request, services, command, member.context(), handled_view, projections=SECURITY
        )

    @post(
        "/alerts/{alertId:uuid}/dismiss",
        operation_id="dismissSecurityAlert",
        status_code=200,
        **requires(Permission.MANAGE_SECURITY),
    )
    async def dismiss(
        self,
        request: Request[Any, Any, Any],
        alertId: UUID,
        member: Member,
        services: Services,
        data: AlertNoteRequest | None = None,
    ) -> Response[dict[str, str]]:
        """Close an alert as handled or harmless."""
        command = DismissAlert(alert_id=alertId, note=data.note if data else None)
        return await run(
            request, services, command, member.context(), handled_view, projections=SECURITY
        )
