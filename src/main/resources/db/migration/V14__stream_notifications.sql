-- Event streams (GET /jobs/{id}/events, GET /pipelines/{id}/events) wake on these notifications
-- instead of polling: the transaction that changes what a stream shows sends, at its commit, the
-- id of what changed on channel phork_changes. A job's change also concerns its pipeline, whose
-- progress is made of its jobs'. Identical payloads of one transaction are sent once.

CREATE FUNCTION jobs_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('phork_changes', NEW.id::text);
    IF NEW.pipeline_id IS NOT NULL THEN
        PERFORM pg_notify('phork_changes', NEW.pipeline_id::text);
    END IF;
    RETURN NULL;
END;
$$;

-- Only status and progress: lease heartbeats and erasure update jobs too, and concern no stream.
CREATE TRIGGER jobs_notify_change AFTER UPDATE OF status, progress ON jobs
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.progress IS DISTINCT FROM NEW.progress)
    EXECUTE FUNCTION jobs_notify_change();

CREATE FUNCTION pipelines_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('phork_changes', NEW.id::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER pipelines_notify_change AFTER UPDATE OF status ON pipelines
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION pipelines_notify_change();
