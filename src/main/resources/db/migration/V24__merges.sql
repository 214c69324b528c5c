-- Merges, blame, tags and merge requests (issue 14).

-- A merge commit's second parent: the commit merged in. Immutable like the rest of the row.
ALTER TABLE commits ADD COLUMN merge_parent_id uuid REFERENCES commits (id);
ALTER TABLE commits ADD CONSTRAINT commits_merge_has_parent
    CHECK (merge_parent_id IS NULL OR (parent_commit_id IS NOT NULL AND merge_parent_id <> parent_commit_id
                                       AND merge_parent_id <> id));
-- The merges of a project's line, walked when a history follows its merge parents.
CREATE INDEX commits_merges_idx ON commits (project_id, depth) WHERE merge_parent_id IS NOT NULL;

-- generation = 1 + the greater generation of the two parents (0 for a first commit): an ancestor
-- always has a smaller generation, which depth (first parents only) does not promise once merges
-- exist. It picks the nearest of several common ancestors and orders history listings.
ALTER TABLE commits ADD COLUMN generation integer;
ALTER TABLE commits DISABLE TRIGGER commits_immutable;
UPDATE commits SET generation = depth;
ALTER TABLE commits ENABLE TRIGGER commits_immutable;
ALTER TABLE commits ALTER COLUMN generation SET NOT NULL;
ALTER TABLE commits ADD CONSTRAINT commits_generation_positive CHECK (generation >= 0);
CREATE INDEX commits_project_generation_idx ON commits (project_id, generation DESC, id DESC);

CREATE FUNCTION commits_set_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_commit_id IS NULL THEN
        NEW.generation := 0;
    ELSE
        SELECT max(generation) + 1 INTO NEW.generation FROM commits
        WHERE id IN (NEW.parent_commit_id, NEW.merge_parent_id);
        IF NEW.merge_parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM commits WHERE id = NEW.merge_parent_id) THEN
            RAISE EXCEPTION 'commit merge parent % does not exist', NEW.merge_parent_id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER commits_set_generation BEFORE INSERT ON commits
    FOR EACH ROW EXECUTE FUNCTION commits_set_generation();

-- Per commit, for each scene: the commit that created it and the commit that last set each field.
-- Written with the commit (from its parents' rows), so blame reads one row whatever the history's
-- length. Immutable like the commit.
CREATE TABLE commit_blame (
    commit_id uuid PRIMARY KEY REFERENCES commits (id),
    scenes    jsonb NOT NULL
);
CREATE TRIGGER commit_blame_immutable BEFORE UPDATE OR DELETE ON commit_blame
    FOR EACH ROW EXECUTE FUNCTION reject_change();

-- A tag names one commit of the project's history, unique per project. Names never look like a
-- commit id, so wherever a commit is accepted either can be given.
CREATE TABLE project_tags (
    project_id uuid        NOT NULL REFERENCES projects (id),
    name       text        NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    commit_id  uuid        NOT NULL REFERENCES commits (id),
    created_by uuid        NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, name)
);

CREATE TABLE merge_requests (
    id                uuid PRIMARY KEY,
    target_project_id uuid        NOT NULL REFERENCES projects (id),
    source_project_id uuid        NOT NULL REFERENCES projects (id),
    title             text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description       text CHECK (length(description) <= 10000),
    status            text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'closed')),
    created_by        uuid        NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    merge_commit_id   uuid REFERENCES commits (id),
    finished_by       uuid REFERENCES users (id),
    finished_at       timestamptz,
    CONSTRAINT merge_requests_distinct_projects CHECK (target_project_id <> source_project_id),
    CONSTRAINT merge_requests_merged_commit CHECK ((status = 'merged') = (merge_commit_id IS NOT NULL)),
    CONSTRAINT merge_requests_finished CHECK ((status = 'open') = (finished_at IS NULL))
);
CREATE INDEX merge_requests_target_idx ON merge_requests (target_project_id, id DESC);
CREATE INDEX merge_requests_source_idx ON merge_requests (source_project_id, id DESC);

-- A merged or closed request never changes; nor do its comments.
CREATE FUNCTION merge_requests_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'open' THEN
        RAISE EXCEPTION 'merge request % is %, it cannot change', OLD.id, OLD.status
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.id <> OLD.id OR NEW.target_project_id <> OLD.target_project_id
            OR NEW.source_project_id <> OLD.source_project_id OR NEW.created_by <> OLD.created_by
            OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'merge request % keeps its projects and author', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER merge_requests_frozen BEFORE UPDATE ON merge_requests
    FOR EACH ROW EXECUTE FUNCTION merge_requests_frozen();
CREATE TRIGGER merge_requests_no_delete BEFORE DELETE ON merge_requests
    FOR EACH ROW EXECUTE FUNCTION reject_change();

CREATE TABLE merge_request_comments (
    id               uuid PRIMARY KEY,
    merge_request_id uuid        NOT NULL REFERENCES merge_requests (id),
    author_id        uuid        NOT NULL REFERENCES users (id),
    body             text        NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX merge_request_comments_request_idx ON merge_request_comments (merge_request_id, id);
CREATE TRIGGER merge_request_comments_immutable BEFORE UPDATE OR DELETE ON merge_request_comments
    FOR EACH ROW EXECUTE FUNCTION reject_change();

CREATE FUNCTION merge_request_comments_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT status FROM merge_requests WHERE id = NEW.merge_request_id) <> 'open' THEN
        RAISE EXCEPTION 'merge request % is no longer open', NEW.merge_request_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER merge_request_comments_open BEFORE INSERT ON merge_request_comments
    FOR EACH ROW EXECUTE FUNCTION merge_request_comments_open();
