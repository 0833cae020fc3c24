CREATE TABLE IF NOT EXISTS alerts (
    id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL,
    type text NOT NULL,
    explanation text NOT NULL,
    risk_level text NOT NULL,
    source text NOT NULL,
    actor_id uuid,
    status text NOT NULL DEFAULT 'open',
    note text,
    raised_at timestamptz NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_by_workspace ON alerts (workspace_id, position DESC);
