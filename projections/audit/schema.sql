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
-- Links a batch of events, in position order within each workspace: one call per batch instead
-- of a statement per event. A position already linked is left alone, and the next one follows
-- the head as it stands, as a second application of the same event must be a no-op.
CREATE OR REPLACE FUNCTION link_events(positions bigint[], workspaces uuid[], records bytea[],
                                       genesis text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    event record;
    workspace uuid;
    head text;
    head_position bigint;
    linked text;
BEGIN
    FOR event IN
        SELECT * FROM unnest(positions, workspaces, records) AS u(position, workspace_id, body)
        ORDER BY workspace_id, position
    LOOP
        IF event.workspace_id IS DISTINCT FROM workspace THEN
            IF head_position IS NOT NULL THEN
                INSERT INTO heads (workspace_id, position, hash) VALUES (workspace, head_position, head)
                ON CONFLICT (workspace_id) DO UPDATE SET position = EXCLUDED.position, hash = EXCLUDED.hash;
            END IF;
            workspace := event.workspace_id;
            head_position := NULL;
            head := COALESCE((SELECT h.hash FROM heads AS h WHERE h.workspace_id = workspace), genesis);
        END IF;
        linked := encode(sha256(convert_to(head || E'\n', 'UTF8') || event.body), 'hex');
        INSERT INTO chain (position, workspace_id, hash, prev_hash)
        VALUES (event.position, workspace, linked, head) ON CONFLICT DO NOTHING;
        IF FOUND THEN
            head := linked;
            head_position := event.position;
        END IF;
    END LOOP;
    IF head_position IS NOT NULL THEN
        INSERT INTO heads (workspace_id, position, hash) VALUES (workspace, head_position, head)
        ON CONFLICT (workspace_id) DO UPDATE SET position = EXCLUDED.position, hash = EXCLUDED.hash;
    END IF;
END
$$;
