CREATE TABLE IF NOT EXISTS workspaces (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    plan_tier text NOT NULL,
    credits numeric NOT NULL DEFAULT 0,
    owner_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    version bigint NOT NULL
);
