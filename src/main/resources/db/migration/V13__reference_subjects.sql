-- What the reference analyzer saw in a picture, by the picture's bytes: analysing decodes the
-- picture, which is slow, so it is done once per blob, outside any transaction, and remembered here
-- for every later manifest or fork that names an asset with the same bytes. A swept blob takes its
-- analysis with it.
CREATE TABLE reference_subjects (
    sha256      text PRIMARY KEY REFERENCES blobs (sha256) ON DELETE CASCADE,
    kind        text        NOT NULL CHECK (kind IN ('character', 'object', 'location', 'style')),
    description text        NOT NULL,
    embedding   jsonb       NOT NULL CHECK (jsonb_typeof(embedding) = 'array'),
    analyzed_at timestamptz NOT NULL DEFAULT now()
);
