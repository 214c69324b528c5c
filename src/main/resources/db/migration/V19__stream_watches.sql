-- Only changes that someone streams send a notification. A transaction that has sent NOTIFY holds
-- PostgreSQL's notification lock until its commit is durable, so every notifying commit waits for
-- the one before it: notifying every claim and every ending of every job (V14) cut the drain of a
-- queue by one worker process from 615 to 176 jobs/s. An open event stream registers its subject
-- here (UNLOGGED: nothing to keep across a crash, when the streams are gone too; a stream whose row
-- is lost still re-reads on its safety-net interval); the triggers notify only for watched subjects.
CREATE UNLOGGED TABLE stream_watches (
    id         uuid        PRIMARY KEY,
    subject_id uuid        NOT NULL,
    opened_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX stream_watches_subject_idx ON stream_watches (subject_id);

CREATE OR REPLACE FUNCTION jobs_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    watched uuid;
BEGIN
    -- One index probe for the job and its pipeline (a NULL pipeline matches nothing).
    FOR watched IN SELECT DISTINCT subject_id FROM stream_watches WHERE subject_id IN (NEW.id, NEW.pipeline_id) LOOP
        PERFORM pg_notify('phork_changes', watched::text);
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION pipelines_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM stream_watches WHERE subject_id = NEW.id) THEN
        PERFORM pg_notify('phork_changes', NEW.id::text);
    END IF;
    RETURN NULL;
END;
$$;
