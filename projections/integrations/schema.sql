CREATE TABLE IF NOT EXISTS integrations (
    id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL,
    type_id text NOT NULL,
    name text NOT NULL,
    config jsonb NOT NULL,  -- secret settings only in their masked form
    version bigint NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS integrations_by_workspace ON integrations (workspace_id, position DESC);
