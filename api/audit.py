from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response
from litestar.params import Parameter

from aevon.audit import ChainCheck, Verdict, record_of
from api.routes import get
from api.security import Member, requires
from api.services import Services
from domain.audit.time_travel import WorkspaceAt, state_at
from domain.identity.policy import Permission
from projections.audit.queries import chain_page, whole_chain

PageSize = Annotated[int, Parameter(ge=1, le=1000, description="Events per page, 1 to 1000.")]


class AuditController(Controller):
    path = "/audit"
    tags = ["Audit"]

    @get("/events", operation_id="listAuditEvents", **requires(Permission.AUDIT))
    async def events(
        self,
        request: Request[Any, Any, Any],
        member: Member,
        services: Services,
        after: Annotated[int, Parameter(ge=0)] = 0,
        limit: PageSize = 100,
        type: str | None = None,
        aggregateId: UUID | None = None,
    ) -> Response[list[dict[str, Any]]]:
        """The workspace's events in store order, each chained to the one before by its hash."""
        links = await chain_page(
            services.pool, member.workspace_id, after, limit, type, aggregateId
        )
        records = [
            record_of(event) | {"hash": digest, "prevHash": previous}
            for event, _, digest, previous in links
            if event is not None
        ]
        headers = {}
        if len(links) == limit:
            headers["Link"] = f'<{request.url.path}?after={links[-1][1]}&limit={limit}>; rel="next"'
        return Response(records, headers=headers)

    @get("/verify", operation_id="verifyAuditTrail", **requires(Permission.AUDIT))
    async def verify(self, member: Member, services: Services) -> Verdict:
        """Recompute the workspace's chain from the event store and compare it with the one
        recorded as events arrived: the first altered or missing position, if any."""
        check = ChainCheck()
        async with services.pool.connection() as conn:
            async for event, position, digest, previous in whole_chain(conn, member.workspace_id):
                if not check.add(record_of(event) if event else None, position, digest, previous):
                    break
        return check.verdict

    @get("/state", operation_id="getAuditState", **requires(Permission.AUDIT))
    async def state(self, at: datetime, member: Member, services: Services) -> WorkspaceAt:
        """The workspace as it was at `at` (RFC 3339), rebuilt from its events."""
        async with services.pool.connection() as conn:
            records = [
                record_of(event)
                async for event, *_ in whole_chain(conn, member.workspace_id)
                if event is not None and event.envelope.meta.occurred_at <= at
            ]
        return state_at(records, at)
