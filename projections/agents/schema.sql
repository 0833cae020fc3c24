CREATE TABLE IF NOT EXISTS agents (
    id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL,
    name text NOT NULL,
    type text NOT NULL,
    description text,
    status text NOT NULL,
    version bigint NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS agents_by_workspace ON agents (workspace_id, position DESC);
