from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response

from api.commanding import run
from api.pagination import Cursor, Limit, decode_cursor, paginate
from api.routes import get, post
from api.schemas import ResumeRequest, RunStatusOut, WorkflowName, WorkflowRunOut
from api.security import Member, requires
from api.services import Services
from api.workflows import WORKFLOWS, run_status_view
from commands.loom.cancel_run import CancelRun
from commands.loom.resume_run import ResumeRun
from domain.identity.policy import Permission
from domain.loom.definition import TriggerType
from domain.loom.run import RunNotFound, RunStatus
from projections.workflows.queries import get_run, list_runs


def run_from_row(row: dict[str, Any]) -> WorkflowRunOut:
    return WorkflowRunOut(
        id=row["id"],
        workflow_id=row["workflow_id"],
        workspace_id=row["workspace_id"],
        status=RunStatus(row["status"]),
        trigger=TriggerType(row["trigger"]),
        definition_version=row["definition_version"],
        trigger_payload=row["trigger_payload"],
        output=row["output"],
        log=row["log"],
        error=row["error"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        workflow=WorkflowName(name=row["workflow_name"]),
    )


class WorkflowRunsController(Controller):
    path = "/workflows/runs"
    tags = ["Loom Studio"]

    @get("/", operation_id="listWorkflowRuns", **requires(Permission.READ))
    async def list(
        self,
        request: Request[Any, Any, Any],
        member: Member,
        services: Services,
        limit: Limit = 20,
        cursor: Cursor = None,
        workflowId: UUID | None = None,
        status: RunStatus | None = None,
    ) -> Response[list[WorkflowRunOut]]:
        """The workspace's runs, newest first, optionally of one workflow or in one status."""
        rows = await list_runs(
            services.pool, member.workspace_id, limit + 1, decode_cursor(cursor), workflowId, status
        )
        filters = {"workflowId": str(workflowId) if workflowId else None, "status": status}
        page, headers = paginate(request, rows, limit, filters)
        return Response([run_from_row(r) for r in page], headers=headers)

    @get("/{runId:uuid}", operation_id="getWorkflowRun", **requires(Permission.READ))
    async def get(self, runId: UUID, member: Member, services: Services) -> WorkflowRunOut:
        """One run with its log, output and status."""
        row = await get_run(services.pool, member.workspace_id, runId)
        if row is None:
            raise RunNotFound()
        return run_from_row(row)

    @post(
        "/{runId:uuid}/resume",
        operation_id="resumeWorkflowRun",
        status_code=200,
        **requires(Permission.CONTROL_RUNS),
    )
    async def resume(
        self,
        request: Request[Any, Any, Any],
        runId: UUID,
        data: ResumeRequest,
        member: Member,
        services: Services,
    ) -> Response[RunStatusOut]:
        """Continue a run paused at an approval (`approved: true`) or fail it (`false`)."""
        command = ResumeRun(run_id=runId, approved=data.approved, note=data.note)
        return await run(
            request, services, command, member.context(), run_status_view, projections=WORKFLOWS
        )

    @post(
        "/{runId:uuid}/cancel",
        operation_id="cancelWorkflowRun",
        status_code=200,
        **requires(Permission.CONTROL_RUNS),
    )
    async def cancel(
        self, request: Request[Any, Any, Any], runId: UUID, member: Member, services: Services
    ) -> Response[RunStatusOut]:
        """Stop a run that has not finished; it ends as `failed` with the error "Cancelled."."""
        command = CancelRun(run_id=runId)
        return await run(
            request, services, command, member.context(), run_status_view, projections=WORKFLOWS
        )
