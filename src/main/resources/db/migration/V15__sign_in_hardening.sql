-- Sign-in hardening: issued sign-in tokens (so they can be revoked), failure and registration
-- counters for throttling (shared by every Phork process on this database), API key expiry.

-- One row per sign-in token issued; the token's jti is the id. A token without a live row is refused.
CREATE TABLE sign_in_tokens (
    id         uuid PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES users (id),
    issued_at  timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX sign_in_tokens_user_idx ON sign_in_tokens (user_id) WHERE revoked_at IS NULL;
CREATE INDEX sign_in_tokens_expiry_idx ON sign_in_tokens (expires_at);

-- A counter per (scope, subject): sign-in attempts not (yet) proven right per account (the
-- normalised email, whether or not an account has it) and per client address, with the lock they
-- earned; and registration attempts per client address in fixed windows.
CREATE TABLE auth_throttle (
    scope        text        NOT NULL CHECK (scope IN ('login_account', 'login_address', 'register_address')),
    subject      text        NOT NULL,
    count        integer     NOT NULL CHECK (count >= 0),
    window_start timestamptz NOT NULL,
    last_at      timestamptz NOT NULL,
    locked_until timestamptz,
    PRIMARY KEY (scope, subject)
);
CREATE INDEX auth_throttle_last_idx ON auth_throttle (last_at);

ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
