CREATE TABLE IF NOT EXISTS contacts (
    id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL,
    email text,
    first_name text,
    last_name text,
    phone text,
    created_at timestamptz NOT NULL,
    version bigint NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS contacts_by_workspace ON contacts (workspace_id, position DESC);
