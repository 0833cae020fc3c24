-- The audit chain, as witnessed when each event arrived: rebuilding this projection re-anchors it.
CREATE TABLE IF NOT EXISTS chain (
    position bigint NOT NULL,
    workspace_id uuid NOT NULL,
    hash text NOT NULL,
    prev_hash text NOT NULL,
    PRIMARY KEY (workspace_id, position)
);
CREATE TABLE IF NOT EXISTS heads (
    workspace_id uuid PRIMARY KEY,
    position bigint NOT NULL,
    hash text NOT NULL
);
