-- Membership is an invitation the invitee accepts. An invitation names an email, not a user, so
-- inviting answers the same whether or not an account has that email (no user enumeration), and
-- someone who registers with the email later finds it waiting.

CREATE TABLE workspace_invitations (
    id           uuid PRIMARY KEY,
    workspace_id uuid        NOT NULL REFERENCES workspaces (id),
    email        text        NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
    role         text        NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    status       text        NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'accepted', 'declined', 'revoked', 'expired')),
    invited_by   uuid        NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    responded_by uuid        REFERENCES users (id),
    responded_at timestamptz,
    CHECK ((status = 'pending') = (responded_at IS NULL)),
    CHECK (expires_at > created_at)
);
-- One open invitation per email and workspace: two owners inviting the same person at once make one.
CREATE UNIQUE INDEX workspace_invitations_one_pending ON workspace_invitations (workspace_id, email)
    WHERE status = 'pending';
CREATE INDEX workspace_invitations_invitee_idx ON workspace_invitations (email, id DESC) WHERE status = 'pending';
CREATE INDEX workspace_invitations_workspace_idx ON workspace_invitations (workspace_id, id DESC) WHERE status = 'pending';
