CREATE TABLE IF NOT EXISTS workflows (
    id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL,
    name text NOT NULL,
    trigger_type text NOT NULL,
    is_active boolean NOT NULL,
    definition jsonb NOT NULL,
    definition_version integer NOT NULL,
    version bigint NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS workflows_by_workspace ON workflows (workspace_id, position DESC);
