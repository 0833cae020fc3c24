from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response

from api.commanding import etag_value, expected_version, run
from api.pagination import Cursor, Limit, decode_cursor, paginate
from api.routes import delete, get, post, put
from api.schemas import (
    RunStatusOut,
    WorkflowCreationRequest,
    WorkflowOut,
    WorkflowUpdateRequest,
    changes_of,
)
from api.security import Member, requires
from api.services import Services
from commands.loom.create_workflow import CreateWorkflow
from commands.loom.delete_workflow import DeleteWorkflow
from commands.loom.start_run import StartRun
from commands.loom.update_workflow import UpdateWorkflow
from commands.unit_of_work import mint
from domain.identity.policy import Permission
from domain.loom.definition import TriggerType
from domain.loom.run import Run
from domain.loom.workflow import Workflow, WorkflowNotFound
from projections.workflows.queries import get_workflow, list_workflows

WORKFLOWS = ("workflows",)


def workflow_view(workflow: Workflow) -> WorkflowOut:
    return WorkflowOut(
        id=workflow.id,
        name=workflow.name,
        is_active=workflow.is_active,
        trigger_type=workflow.trigger_type,
        definition=workflow.definition,
        definition_version=workflow.definition_version,
    )


def run_status_view(run: Run) -> RunStatusOut:
    assert run.started_at is not None
    return RunStatusOut(run_id=run.id, status=run.status, started_at=run.started_at)


def workflow_from_row(row: dict[str, Any]) -> WorkflowOut:
    return WorkflowOut(
        id=row["id"],
        name=row["name"],
        is_active=row["is_active"],
        trigger_type=TriggerType(row["trigger_type"]),
        definition=row["definition"],
        definition_version=row["definition_version"],
    )


class WorkflowsController(Controller):
    path = "/workflows"
    tags = ["Loom Studio"]

    @get("/", operation_id="listWorkflows", **requires(Permission.READ))
    async def list(
        self,
        request: Request[Any, Any, Any],
        member: Member,
        services: Services,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> Response[list[WorkflowOut]]:
        """Retrieve the workspace's workflows, newest first."""
        rows = await list_workflows(
            services.pool, member.workspace_id, limit + 1, decode_cursor(cursor)
        )
        page, headers = paginate(request, rows, limit)
        return Response([workflow_from_row(r) for r in page], headers=headers)

    @post(
        "/", operation_id="createWorkflow", status_code=201, **requires(Permission.WRITE_WORKFLOWS)
    )
    async def create(
        self,
        request: Request[Any, Any, Any],
        data: WorkflowCreationRequest,
        member: Member,
        services: Services,
    ) -> Response[WorkflowOut]:
        """Create a workflow; its definition is validated (400 naming the problem)."""
        command = CreateWorkflow(
            workflow_id=mint(),
            name=data.name,
            trigger_type=data.trigger_type,
            is_active=data.is_active,
            definition=data.definition,
        )
        return await run(
            request,
            services,
            command,
            member.context(),
            workflow_view,
            status=201,
            projections=WORKFLOWS,
            etag=lambda w: w.version,
        )

    @get("/{workflowId:uuid}", operation_id="getWorkflow", **requires(Permission.READ))
    async def get(
        self, workflowId: UUID, member: Member, services: Services
    ) -> Response[WorkflowOut]:
        """Retrieve one workflow."""
        row = await get_workflow(services.pool, member.workspace_id, workflowId)
        if row is None:
            raise WorkflowNotFound()
        return Response(workflow_from_row(row), headers={"ETag": etag_value(row["version"])})

    @put(
        "/{workflowId:uuid}", operation_id="updateWorkflow", **requires(Permission.WRITE_WORKFLOWS)
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        workflowId: UUID,
        data: WorkflowUpdateRequest,
        member: Member,
        services: Services,
    ) -> Response[WorkflowOut]:
        """Update a workflow; a changed definition becomes a new definition version."""
        command = UpdateWorkflow(
            workflow_id=workflowId,
            changes=changes_of(data),
            expected_version=expected_version(request),
        )
        return await run(
            request,
            services,
            command,
            member.context(),
            workflow_view,
            projections=WORKFLOWS,
            etag=lambda w: w.version,
        )

    @delete(
        "/{workflowId:uuid}", operation_id="deleteWorkflow", **requires(Permission.WRITE_WORKFLOWS)
    )
    async def delete(
        self, request: Request[Any, Any, Any], workflowId: UUID, member: Member, services: Services
    ) -> Response[None]:
        """Delete a workflow (then 404); its runs stay readable."""
        command = DeleteWorkflow(workflow_id=workflowId, expected_version=expected_version(request))
        return await run(
            request,
            services,
            command,
            member.context(),
            lambda _: None,
            status=204,
            projections=WORKFLOWS,
        )

    @post(
        "/{workflowId:uuid}/run",
        operation_id="triggerWorkflowRun",
        status_code=202,
        **requires(Permission.RUN_WORKFLOWS),
    )
    async def trigger_run(
        self,
        request: Request[Any, Any, Any],
        workflowId: UUID,
        data: dict[str, Any],
        member: Member,
        services: Services,
    ) -> Response[RunStatusOut]:
        """Start a run with this payload (202); workers execute it. The Aegis pre-scan is billed
        (2 actions); an inactive workflow cannot run (409)."""
        command = StartRun(workflow_id=workflowId, run_id=mint(), payload=data)
        return await run(
            request,
            services,
            command,
            member.context(),
            run_status_view,
            status=202,
            projections=WORKFLOWS,
        )
