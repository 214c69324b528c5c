-- Erasure of a user's prompt text (docs/retention.md).

-- The document without the given keys, at any depth: prompt text sits in nested objects too
-- (fingerprintInputs.prompt, scenes[].prompt, registry[].description), not only at the top.
CREATE FUNCTION jsonb_without_keys(doc jsonb, keys text[]) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
    CASE jsonb_typeof(doc)
        WHEN 'object' THEN
            RETURN coalesce((SELECT jsonb_object_agg(e.key, jsonb_without_keys(e.value, keys))
                             FROM jsonb_each(doc) AS e
                             WHERE e.key <> ALL (keys)), '{}'::jsonb);
        WHEN 'array' THEN
            RETURN coalesce((SELECT jsonb_agg(jsonb_without_keys(e.value, keys) ORDER BY e.ordinality)
                             FROM jsonb_array_elements(doc) WITH ORDINALITY AS e), '[]'::jsonb);
        ELSE
            RETURN doc;
    END CASE;
END;
$$;

-- A prompt of the library whose author erased their data: the row stays (forks name it as their
-- parent and root), its title and body do not.
ALTER TABLE prompts ADD COLUMN erased_at timestamptz;

-- Erasure finds a user's rows by their creator; without these it would scan every table.
CREATE INDEX jobs_created_by_idx ON jobs (created_by);
CREATE INDEX assets_created_by_idx ON assets (created_by);
CREATE INDEX pipelines_created_by_idx ON pipelines (created_by);
CREATE INDEX prompts_created_by_idx ON prompts (created_by);
CREATE INDEX safety_events_user_idx ON safety_events (user_id);
