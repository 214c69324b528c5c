-- Content-addressed blobs and the minted, immutable assets that reference them.

-- A blob row is written before its bytes are stored, so every stored file has a row; the sweeper
-- deletes rows and files that no asset references once they are older than the grace period.
CREATE TABLE blobs (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes bigint      NOT NULL CHECK (size_bytes >= 0),
    touched_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assets (
    id              uuid PRIMARY KEY,
    workspace_id    uuid        NOT NULL REFERENCES workspaces (id),
    type            text        NOT NULL CHECK (type IN ('image', 'video', 'audio', 'render', 'upload')),
    mime_type       text        NOT NULL,
    size_bytes      bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256          text        NOT NULL REFERENCES blobs (sha256),
    duration_ms     bigint CHECK (duration_ms >= 0),
    provider        text        NOT NULL,
    model           text        NOT NULL,
    cost            bigint      NOT NULL DEFAULT 0 CHECK (cost >= 0),
    job_id          uuid,
    name            text CHECK (length(name) <= 255),
    provenance      jsonb       NOT NULL,
    provenance_hash text        NOT NULL,
    mint_receipt    text        NOT NULL,
    created_by      uuid        NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assets_workspace_idx ON assets (workspace_id, id DESC);
CREATE INDEX assets_sha256_idx ON assets (sha256);
CREATE UNIQUE INDEX assets_one_per_job ON assets (job_id) WHERE job_id IS NOT NULL;

-- Assets are immutable. The one exception is erasure: provenance may be rewritten (prompt text
-- removed); the receipt signs the provenance hash taken at minting, so it still verifies.
CREATE FUNCTION assets_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'assets are immutable (DELETE refused)' USING ERRCODE = 'check_violation';
    END IF;
    IF (to_jsonb(NEW) - 'provenance') IS DISTINCT FROM (to_jsonb(OLD) - 'provenance') THEN
        RAISE EXCEPTION 'assets are immutable (only provenance erasure may change a row)'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER assets_immutable BEFORE UPDATE OR DELETE ON assets
    FOR EACH ROW EXECUTE FUNCTION assets_immutable();

-- Which assets each commit references, so "may this project use that asset" is an index lookup
-- along the project's history instead of a scan of timelines.
CREATE TABLE commit_assets (
    commit_id  uuid    NOT NULL REFERENCES commits (id),
    asset_id   uuid    NOT NULL REFERENCES assets (id),
    project_id uuid    NOT NULL REFERENCES projects (id),
    depth      integer NOT NULL,
    PRIMARY KEY (commit_id, asset_id)
);
CREATE INDEX commit_assets_asset_idx ON commit_assets (asset_id, project_id, depth);

-- A version is a successful render of a commit; failed renders leave no version behind.
CREATE TABLE project_versions (
    id              uuid PRIMARY KEY,
    project_id      uuid        NOT NULL REFERENCES projects (id),
    commit_id       uuid        NOT NULL REFERENCES commits (id),
    render_asset_id uuid        NOT NULL UNIQUE REFERENCES assets (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_versions_project_idx ON project_versions (project_id, id DESC);
