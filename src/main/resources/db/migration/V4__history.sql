-- Projects, their immutable commit graph, and forks. A fork points at its parent's commit and
-- shares the history before it: nothing is copied.

CREATE TABLE projects (
    id                uuid PRIMARY KEY,
    workspace_id      uuid        NOT NULL REFERENCES workspaces (id),
    name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description       text CHECK (length(description) <= 5000),
    visibility        text        NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'unlisted', 'public')),
    head_commit_id    uuid        NOT NULL,
    parent_project_id uuid REFERENCES projects (id),
    root_project_id   uuid        NOT NULL REFERENCES projects (id),
    fork_commit_id    uuid,
    fork_count        integer     NOT NULL DEFAULT 0 CHECK (fork_count >= 0),
    created_by        uuid        NOT NULL REFERENCES users (id),
    idempotency_key   text,
    request_hash      text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projects_root_for_originals CHECK (parent_project_id IS NOT NULL OR root_project_id = id),
    CONSTRAINT projects_root_for_forks CHECK (parent_project_id IS NULL OR root_project_id IS NOT NULL),
    CONSTRAINT projects_fork_point CHECK ((parent_project_id IS NULL) = (fork_commit_id IS NULL)),
    CONSTRAINT projects_not_own_parent CHECK (parent_project_id IS DISTINCT FROM id)
);
CREATE INDEX projects_workspace_idx ON projects (workspace_id, id DESC);
CREATE INDEX projects_parent_idx ON projects (parent_project_id, id) WHERE parent_project_id IS NOT NULL;
CREATE INDEX projects_root_idx ON projects (root_project_id, id);
CREATE UNIQUE INDEX projects_idempotency_key ON projects (workspace_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TRIGGER projects_set_root BEFORE INSERT ON projects
    FOR EACH ROW EXECUTE FUNCTION lineage_set_root('parent_project_id', 'root_project_id');
CREATE TRIGGER projects_lineage_immutable BEFORE UPDATE ON projects
    FOR EACH ROW EXECUTE FUNCTION lineage_immutable('id', 'workspace_id', 'parent_project_id', 'root_project_id',
                                                    'fork_commit_id', 'created_by', 'created_at');

CREATE TABLE commits (
    id               uuid PRIMARY KEY,
    project_id       uuid        NOT NULL REFERENCES projects (id),
    parent_commit_id uuid REFERENCES commits (id),
    message          text        NOT NULL CHECK (length(message) <= 2000),
    timeline         jsonb       NOT NULL,
    author_id        uuid        NOT NULL REFERENCES users (id),
    depth            integer     NOT NULL CHECK (depth >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT commits_not_own_parent CHECK (parent_commit_id IS DISTINCT FROM id)
);
CREATE INDEX commits_project_idx ON commits (project_id, depth DESC);
CREATE INDEX commits_parent_idx ON commits (parent_commit_id);

-- depth = distance from the first commit of the history, set from the parent by the database. A
-- project's own commits form one line, so "is commit X in the history of project P" is answered by
-- walking P's fork points (lineage depth), never the commit graph (history length).
CREATE FUNCTION commits_set_depth() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_commit_id IS NULL THEN
        NEW.depth := 0;
    ELSE
        SELECT depth + 1 INTO NEW.depth FROM commits WHERE id = NEW.parent_commit_id;
        IF NEW.depth IS NULL THEN
            RAISE EXCEPTION 'commit parent % does not exist', NEW.parent_commit_id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER commits_set_depth BEFORE INSERT ON commits
    FOR EACH ROW EXECUTE FUNCTION commits_set_depth();

CREATE TRIGGER commits_immutable BEFORE UPDATE OR DELETE ON commits
    FOR EACH ROW EXECUTE FUNCTION reject_change();
CREATE TRIGGER commits_no_truncate BEFORE TRUNCATE ON commits
    FOR EACH STATEMENT EXECUTE FUNCTION reject_change();

-- A project and its first commit are written in one transaction, each naming the other.
ALTER TABLE projects ADD CONSTRAINT projects_head_commit_fk
    FOREIGN KEY (head_commit_id) REFERENCES commits (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE projects ADD CONSTRAINT projects_fork_commit_fk
    FOREIGN KEY (fork_commit_id) REFERENCES commits (id);

CREATE TABLE project_fork_events (
    id                uuid PRIMARY KEY,
    source_project_id uuid        NOT NULL REFERENCES projects (id),
    fork_project_id   uuid        NOT NULL UNIQUE REFERENCES projects (id),
    fork_commit_id    uuid        NOT NULL REFERENCES commits (id),
    actor_id          uuid        NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_fork_events_source_idx ON project_fork_events (source_project_id, id);
CREATE TRIGGER project_fork_events_immutable BEFORE UPDATE OR DELETE ON project_fork_events
    FOR EACH ROW EXECUTE FUNCTION reject_change();
