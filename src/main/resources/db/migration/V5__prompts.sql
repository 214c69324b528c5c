-- The forkable prompt library (seed 001), under the same lineage rules as projects.

CREATE TABLE prompts (
    id               uuid PRIMARY KEY,
    workspace_id     uuid        NOT NULL REFERENCES workspaces (id),
    title            text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body             text        NOT NULL CHECK (length(body) <= 20000),
    visibility       text        NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'unlisted', 'public')),
    parent_prompt_id uuid REFERENCES prompts (id),
    root_prompt_id   uuid        NOT NULL REFERENCES prompts (id),
    fork_count       integer     NOT NULL DEFAULT 0 CHECK (fork_count >= 0),
    created_by       uuid        NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT prompts_root_for_originals CHECK (parent_prompt_id IS NOT NULL OR root_prompt_id = id),
    CONSTRAINT prompts_root_for_forks CHECK (parent_prompt_id IS NULL OR root_prompt_id IS NOT NULL),
    CONSTRAINT prompts_not_own_parent CHECK (parent_prompt_id IS DISTINCT FROM id)
);
CREATE INDEX prompts_workspace_idx ON prompts (workspace_id, id DESC);
CREATE INDEX prompts_parent_idx ON prompts (parent_prompt_id, id) WHERE parent_prompt_id IS NOT NULL;
CREATE INDEX prompts_root_idx ON prompts (root_prompt_id, id);

CREATE TRIGGER prompts_set_root BEFORE INSERT ON prompts
    FOR EACH ROW EXECUTE FUNCTION lineage_set_root('parent_prompt_id', 'root_prompt_id');
CREATE TRIGGER prompts_lineage_immutable BEFORE UPDATE ON prompts
    FOR EACH ROW EXECUTE FUNCTION lineage_immutable('id', 'workspace_id', 'parent_prompt_id', 'root_prompt_id',
                                                    'created_by', 'created_at');

CREATE TABLE prompt_fork_events (
    id               uuid PRIMARY KEY,
    source_prompt_id uuid        NOT NULL REFERENCES prompts (id),
    fork_prompt_id   uuid        NOT NULL UNIQUE REFERENCES prompts (id),
    actor_id         uuid        NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX prompt_fork_events_source_idx ON prompt_fork_events (source_prompt_id, id);
CREATE TRIGGER prompt_fork_events_immutable BEFORE UPDATE OR DELETE ON prompt_fork_events
    FOR EACH ROW EXECUTE FUNCTION reject_change();
