-- Lineage rules shared by every forkable table (projects, prompts), after seed 001:
-- the server sets the root from the parent, a client cannot spoof it, and lineage never changes.

-- BEFORE INSERT: originals are their own root; a fork inherits its parent's root. A root supplied
-- by the writer that disagrees with that is refused rather than silently replaced.
-- Arguments: parent column, root column.
CREATE FUNCTION lineage_set_root() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent_col text := TG_ARGV[0];
    root_col   text := TG_ARGV[1];
    row_json   jsonb := to_jsonb(NEW);
    parent_id  uuid := (row_json ->> parent_col)::uuid;
    given_root uuid := (row_json ->> root_col)::uuid;
    want_root  uuid;
BEGIN
    IF parent_id IS NULL THEN
        want_root := NEW.id;
    ELSE
        EXECUTE format('SELECT %I FROM %I WHERE id = $1', root_col, TG_TABLE_NAME) INTO want_root USING parent_id;
        IF want_root IS NULL THEN
            RAISE EXCEPTION 'lineage: parent % of % does not exist', parent_id, TG_TABLE_NAME
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END IF;
    IF given_root IS NOT NULL AND given_root <> want_root THEN
        RAISE EXCEPTION 'lineage: % is set by the server and cannot be spoofed', root_col
            USING ERRCODE = 'check_violation';
    END IF;
    NEW := jsonb_populate_record(NEW, jsonb_build_object(root_col, want_root));
    RETURN NEW;
END;
$$;

-- BEFORE UPDATE: the listed columns never change after insert.
CREATE FUNCTION lineage_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col text;
BEGIN
    FOREACH col IN ARRAY TG_ARGV LOOP
        IF (to_jsonb(NEW) -> col) IS DISTINCT FROM (to_jsonb(OLD) -> col) THEN
            RAISE EXCEPTION 'lineage: %.% cannot change after insert', TG_TABLE_NAME, col
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NEW;
END;
$$;

CREATE FUNCTION reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'check_violation';
END;
$$;
