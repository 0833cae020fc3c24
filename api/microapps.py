from __future__ import annotations

from typing import Any
from uuid import uuid4

from litestar import Controller, Request, Response

from api.commanding import run
from api.ledger_views import unlock_view
from api.routes import get, post
from api.schemas import MicroAppOut, TransactionOut
from api.security import Member, requires
from api.services import Services
from commands.ledger.unlock_micro_app import UnlockMicroApp
from domain.identity.policy import Permission
from domain.microapps.catalogue import CATALOGUE
from projections.ledger.queries import unlocked_apps


class MicroAppsController(Controller):
    path = "/microapps"
    tags = ["Micro-apps"]

    @get("/", operation_id="listMicroApps", **requires(Permission.READ))
    async def catalogue(self, member: Member, services: Services) -> list[MicroAppOut]:
        """The micro-app catalogue; included apps (cost 0) are always unlocked."""
        unlocked = await unlocked_apps(services.pool, member.workspace_id)
        return [
            MicroAppOut(
                id=app.id,
                name=app.name,
                credit_cost=float(app.credit_cost),
                unlocked=app.included or app.id in unlocked,
            )
            for app in CATALOGUE.values()
        ]

    @post(
        "/{appId:str}/unlock",
        operation_id="unlockMicroApp",
        status_code=201,
        **requires(Permission.UNLOCK_MICRO_APPS),
    )
    async def unlock(
        self, request: Request[Any, Any, Any], appId: str, member: Member, services: Services
    ) -> Response[TransactionOut]:
        """Unlock a micro-app for the workspace: a DEBIT of its cost (409 if already unlocked)."""
        command = UnlockMicroApp(app_id=appId, transaction_id=uuid4())
        return await run(
            request,
            services,
            command,
            member.context(),
            unlock_view,
            status=201,
            projections=("ledger", "workspaces"),
        )
