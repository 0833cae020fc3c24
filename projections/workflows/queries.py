from typing import Any
from uuid import UUID

from psycopg_pool import AsyncConnectionPool

from projections.sql import NO_CURSOR, fetch_all, fetch_one

Row = dict[str, Any]
_COLUMNS = "id, name, trigger_type, is_active, definition, definition_version, version, position"


async def get_workflow(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, workflow_id: UUID
) -> Row | None:
    return await fetch_one(
        pool,
        f"SELECT {_COLUMNS} FROM rm_workflows.workflows WHERE id=%s AND workspace_id=%s",
        (workflow_id, workspace_id),
    )


async def list_workflows(
    pool: AsyncConnectionPool[Any], workspace_id: UUID, limit: int, before: int | None = None
) -> list[Row]:
    return await fetch_all(
        pool,
        f"SELECT {_COLUMNS} FROM rm_workflows.workflows WHERE workspace_id=%s"
        " AND position < %s ORDER BY position DESC LIMIT %s",
        (workspace_id, before or NO_CURSOR, limit),
    )


_RUN_COLUMNS = (
    "id, workflow_id, workspace_id, workflow_name, definition_version, trigger, status,"
    " trigger_payload, output, log, error, started_at, finished_at, version, position"
)


async def get_run(pool: AsyncConnectionPool[Any], workspace_id: UUID, run_id: UUID) -> Row | None:
    return await fetch_one(
        pool,
        f"SELECT {_RUN_COLUMNS} FROM rm_workflows.runs WHERE id=%s AND workspace_id=%s",
        (run_id, workspace_id),
    )


async def list_runs(
    pool: AsyncConnectionPool[Any],
    workspace_id: UUID,
    limit: int,
    before: int | None = None,
    workflow_id: UUID | None = None,
    status: str | None = None,
) -> list[Row]:
    return await fetch_all(
        pool,
        f"SELECT {_RUN_COLUMNS} FROM rm_workflows.runs WHERE workspace_id=%s AND position < %s"
        " AND (%s::uuid IS NULL OR workflow_id=%s) AND (%s::text IS NULL OR status=%s)"
        " ORDER BY position DESC LIMIT %s",
        (workspace_id, before or NO_CURSOR, workflow_id, workflow_id, status, status, limit),
    )


async def due_runs(pool: AsyncConnectionPool[Any], limit: int) -> list[Row]:
    """Unfinished runs with nothing to wait for: what a crashed or busy worker left to do."""
    return await fetch_all(
        pool,
        "SELECT id, workspace_id FROM rm_workflows.runs WHERE status IN ('pending', 'running')"
        " AND (wake_at IS NULL OR wake_at <= now()) ORDER BY position LIMIT %s",
        (limit,),
    )


async def triggered_workflows(pool: AsyncConnectionPool[Any], trigger_type: str) -> list[Row]:
    return await fetch_all(
        pool,
        "SELECT id, workspace_id, definition, COALESCE(active_since, position) AS active_since"
        " FROM rm_workflows.workflows"
        " WHERE trigger_type=%s AND is_active",
        (trigger_type,),
    )
