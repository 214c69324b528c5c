-- Storyboards in commits, pipelines of dependent jobs, and fingerprints for memoization.

-- Registry tags are unique within a storyboard: a database rule, not luck, so two concurrent
-- manifesting runs can never commit the same tag twice.
CREATE FUNCTION storyboard_tags_unique(timeline jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT count(*) = count(DISTINCT e ->> 'tag')
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(timeline -> 'registry') = 'array'
                                   THEN timeline -> 'registry' ELSE '[]'::jsonb END) AS e
$$;
ALTER TABLE commits ADD CONSTRAINT commits_registry_tags_unique CHECK (storyboard_tags_unique(timeline));

-- A job may wait for others: it is claimed only when all of them succeeded, and it fails (refunded)
-- when one of them fails.
ALTER TABLE jobs ADD COLUMN depends_on uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE jobs ADD COLUMN pipeline_id uuid;
CREATE INDEX jobs_depends_on_idx ON jobs USING gin (depends_on) WHERE status = 'queued';
CREATE INDEX jobs_pipeline_idx ON jobs (pipeline_id) WHERE pipeline_id IS NOT NULL;

CREATE TABLE pipelines (
    id             uuid PRIMARY KEY,
    project_id     uuid        NOT NULL REFERENCES projects (id),
    workspace_id   uuid        NOT NULL REFERENCES workspaces (id),
    kind           text        NOT NULL CHECK (kind IN ('generate', 'regenerate')),
    base_commit_id uuid        NOT NULL REFERENCES commits (id),
    storyboard     jsonb       NOT NULL,
    steps          jsonb       NOT NULL,
    estimate       bigint      NOT NULL CHECK (estimate >= 0),
    status         text        NOT NULL DEFAULT 'running'
                               CHECK (status IN ('running', 'succeeded', 'failed', 'canceled')),
    commit_id      uuid REFERENCES commits (id),
    version_id     uuid REFERENCES project_versions (id),
    error          text,
    created_by     uuid        NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz
);
CREATE INDEX pipelines_project_idx ON pipelines (project_id, id DESC);
ALTER TABLE jobs ADD CONSTRAINT jobs_pipeline_fk FOREIGN KEY (pipeline_id) REFERENCES pipelines (id);

-- What inputs produced an asset, for memoization: the same fingerprint is reused, not paid twice.
CREATE TABLE asset_fingerprints (
    fingerprint  text        NOT NULL,
    asset_id     uuid        NOT NULL REFERENCES assets (id),
    workspace_id uuid        NOT NULL REFERENCES workspaces (id),
    PRIMARY KEY (fingerprint, asset_id)
);
