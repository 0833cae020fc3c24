CREATE TABLE IF NOT EXISTS transactions (
    id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL,
    user_id uuid,
    type text NOT NULL,
    amount numeric NOT NULL,
    description text NOT NULL,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    instrument_id text,
    luck_weight double precision,
    outcome text,
    boon_amount numeric,
    user_psyche text,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS transactions_by_workspace
    ON transactions (workspace_id, position DESC);

CREATE TABLE IF NOT EXISTS usage (
    workspace_id uuid PRIMARY KEY,
    period_start timestamptz NOT NULL,
    actions_used integer NOT NULL
);

CREATE TABLE IF NOT EXISTS unlocked_apps (
    workspace_id uuid NOT NULL,
    app_id text NOT NULL,
    PRIMARY KEY (workspace_id, app_id)
);
