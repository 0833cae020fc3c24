CREATE TABLE IF NOT EXISTS users (
    id uuid PRIMARY KEY,
    workspace_id uuid NOT NULL,
    email text NOT NULL,
    first_name text,
    last_name text,
    role text NOT NULL,
    agent_alias text,
    psyche text,
    last_login_at timestamptz,
    joined_at timestamptz NOT NULL,
    version bigint NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS users_by_workspace ON users (workspace_id, position DESC);

CREATE TABLE IF NOT EXISTS pulses (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL UNIQUE,
    phase_offset double precision NOT NULL,
    frustration double precision NOT NULL,
    flow double precision NOT NULL,
    losses integer NOT NULL,
    since timestamptz NOT NULL
);
