from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Controller

from api.routes import get
from api.schemas import CovenantOut, LeaderboardEntry, UserOut, user_from_row
from api.security import Member, requires
from api.services import Services
from domain.covenants.covenants import BY_PSYCHE, COVENANTS, Covenant, vow_alignment
from domain.identity.policy import Permission
from domain.identity.roles import Psyche
from domain.shared import NotFound
from projections.ledger.queries import debit_instruments_since
from projections.users.queries import get_user, members_with_psyche

ALIGNMENT_WINDOW = timedelta(days=30)


def covenant_named(name: str) -> Covenant:
    covenant = COVENANTS.get(name)
    if covenant is None:
        raise NotFound("No covenant with this name.")
    return covenant


def covenant_view(covenant: Covenant) -> CovenantOut:
    return CovenantOut(name=covenant.name, url_name=covenant.url_name, symbol=covenant.symbol)


class CovenantsController(Controller):
    path = "/covenants"
    tags = ["Covenants"]

    @get("/me", operation_id="getMyCovenant", **requires(Permission.READ))
    async def mine(self, member: Member, services: Services) -> CovenantOut:
        """The caller's covenant, derived from their psyche."""
        row = await get_user(services.pool, member.workspace_id, member.user_id)
        if row is None or row["psyche"] is None:
            raise NotFound("You have no psyche, so no covenant.")
        return covenant_view(BY_PSYCHE[Psyche(row["psyche"])])

    @get(
        "/{name:str}/members", operation_id="listCovenantMembers", **requires(Permission.VIEW_ADMIN)
    )
    async def members(self, name: str, member: Member, services: Services) -> list[UserOut]:
        """The workspace's members in this covenant."""
        covenant = covenant_named(name)
        rows = await members_with_psyche(services.pool, member.workspace_id, covenant.psyche)
        return [user_from_row(r) for r in rows]

    @get(
        "/{name:str}/leaderboard",
        operation_id="getCovenantLeaderboard",
        **requires(Permission.READ),
    )
    async def leaderboard(
        self, name: str, member: Member, services: Services
    ) -> list[LeaderboardEntry]:
        """Members of the covenant by vow alignment over their last 30 days of spending."""
        covenant = covenant_named(name)
        rows = await members_with_psyche(services.pool, member.workspace_id, covenant.psyche)
        spent = await debit_instruments_since(
            services.pool, member.workspace_id, datetime.now(UTC) - ALIGNMENT_WINDOW
        )
        entries = [
            LeaderboardEntry(
                user_id=r["id"],
                email=r["email"],
                first_name=r["first_name"],
                last_name=r["last_name"],
                score=vow_alignment(covenant.psyche, spent.get(r["id"], [])),
            )
            for r in rows
        ]
        return sorted(entries, key=lambda e: -e.score)
