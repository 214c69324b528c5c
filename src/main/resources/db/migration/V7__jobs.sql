-- Paid generation jobs and the queue they wait in.

CREATE TABLE jobs (
    id               uuid PRIMARY KEY,
    workspace_id     uuid        NOT NULL REFERENCES workspaces (id),
    project_id       uuid REFERENCES projects (id),
    type             text        NOT NULL CHECK (type IN ('gen_video', 'gen_audio', 'gen_image', 'animate', 'render')),
    status           text        NOT NULL DEFAULT 'queued'
                                 CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    progress         real        NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
    cost             bigint      NOT NULL CHECK (cost >= 0),
    idempotency_key  text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    request          jsonb       NOT NULL,
    request_hash     text        NOT NULL,
    result_asset_id  uuid REFERENCES assets (id),
    error            text,
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts     integer     NOT NULL CHECK (max_attempts >= 1),
    run_after        timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    lease_expires_at timestamptz,
    provider         text,
    provider_job_id  text,
    created_by       uuid        NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    -- Idempotency keys are scoped to the workspace (seed 000 Fix A).
    CONSTRAINT jobs_workspace_idempotency_key UNIQUE (workspace_id, idempotency_key),
    CONSTRAINT jobs_lease_only_when_running CHECK ((status = 'running') = (lease_owner IS NOT NULL)),
    CONSTRAINT jobs_result_only_when_succeeded CHECK ((status = 'succeeded') = (result_asset_id IS NOT NULL))
);
CREATE INDEX jobs_queue_idx ON jobs (run_after, id) WHERE status = 'queued';
CREATE INDEX jobs_running_idx ON jobs (workspace_id) WHERE status = 'running';
CREATE INDEX jobs_lease_idx ON jobs (lease_expires_at) WHERE status = 'running';
CREATE INDEX jobs_workspace_idx ON jobs (workspace_id, id DESC);

-- Status moves only forward: queued -> running -> succeeded | failed, queued | running -> canceled,
-- and running -> queued when a lease is given back (retry after a transient error, rescue after a
-- crash, graceful shutdown). Terminal states never change.
CREATE FUNCTION jobs_status_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = OLD.status THEN
        IF OLD.status IN ('succeeded', 'failed', 'canceled') AND to_jsonb(NEW) - 'request' <> to_jsonb(OLD) - 'request' THEN
            RAISE EXCEPTION 'job %: a finished job cannot change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF (OLD.status, NEW.status) IN (('queued', 'running'), ('running', 'queued'), ('running', 'succeeded'),
                                    ('running', 'failed'), ('queued', 'canceled'), ('running', 'canceled'),
                                    ('queued', 'failed')) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'job %: status cannot move from % to %', OLD.id, OLD.status, NEW.status
        USING ERRCODE = 'check_violation';
END;
$$;
CREATE TRIGGER jobs_status_transition BEFORE UPDATE ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_status_transition();

-- Jobs created per workspace per UTC day, counted atomically at submission.
CREATE TABLE job_quota (
    workspace_id uuid    NOT NULL REFERENCES workspaces (id),
    day          date    NOT NULL,
    used         integer NOT NULL CHECK (used >= 0),
    PRIMARY KEY (workspace_id, day)
);

ALTER TABLE credit_ledger ADD CONSTRAINT credit_ledger_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id);
ALTER TABLE assets ADD CONSTRAINT assets_job_fk FOREIGN KEY (job_id) REFERENCES jobs (id);
