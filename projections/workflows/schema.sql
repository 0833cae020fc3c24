CREATE TABLE IF NOT EXISTS workflows (
    id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL,
    name text NOT NULL,
    trigger_type text NOT NULL,
    is_active boolean NOT NULL,
    definition jsonb NOT NULL,
    definition_version integer NOT NULL,
    version bigint NOT NULL,
    position bigint NOT NULL,
    active_since bigint  -- the position from which event triggers fire; NULL while inactive
);
ALTER TABLE workflows ADD COLUMN IF NOT EXISTS active_since bigint;
CREATE INDEX IF NOT EXISTS workflows_by_workspace ON workflows (workspace_id, position DESC);

CREATE TABLE IF NOT EXISTS runs (
    id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL,
    workflow_id uuid NOT NULL,
    workflow_name text NOT NULL,
    definition_version integer NOT NULL,
    trigger text NOT NULL,
    status text NOT NULL,
    trigger_payload jsonb NOT NULL,
    output jsonb,
    log jsonb NOT NULL DEFAULT '[]',
    error text,
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    wake_at timestamptz,
    version bigint NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_workspace ON runs (workspace_id, position DESC);
CREATE INDEX IF NOT EXISTS runs_unfinished ON runs (wake_at) WHERE status IN ('pending', 'running');
