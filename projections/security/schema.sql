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

CREATE TABLE IF NOT EXISTS policies (
    workspace_id uuid PRIMARY KEY,
    edicts jsonb NOT NULL DEFAULT '[]',
    domains jsonb NOT NULL DEFAULT '[]',
    ips jsonb NOT NULL DEFAULT '[]'
);

CREATE TABLE IF NOT EXISTS baselines (
    user_id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL,
    login_hours integer[] NOT NULL DEFAULT array_fill(0, ARRAY[24]),
    ips text[] NOT NULL DEFAULT '{}',
    spend numeric NOT NULL DEFAULT 0,
    first_seen timestamptz NOT NULL,
    last_updated timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS baselines_by_workspace ON baselines (workspace_id);
