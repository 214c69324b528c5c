-- Credit accounts and their ledger. The balance never goes below zero, and every change of balance
-- writes one ledger row in the same transaction, so balance = sum(delta) at all times.

CREATE TABLE credit_accounts (
    workspace_id uuid PRIMARY KEY REFERENCES workspaces (id),
    balance      bigint      NOT NULL CHECK (balance >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE credit_ledger (
    id           uuid PRIMARY KEY,
    workspace_id uuid        NOT NULL REFERENCES credit_accounts (workspace_id),
    job_id       uuid,
    delta        bigint      NOT NULL CHECK (delta <> 0),
    reason       text        NOT NULL CHECK (reason IN ('starter_grant', 'grant', 'job_debit', 'job_refund')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((reason IN ('job_debit', 'job_refund')) = (job_id IS NOT NULL)),
    CHECK ((reason = 'job_debit') = (delta < 0))
);
CREATE INDEX credit_ledger_workspace_idx ON credit_ledger (workspace_id, id DESC);
-- At most one debit and one refund per job: a unique index, not check-then-insert.
CREATE UNIQUE INDEX credit_ledger_one_debit_per_job ON credit_ledger (job_id) WHERE reason = 'job_debit';
CREATE UNIQUE INDEX credit_ledger_one_refund_per_job ON credit_ledger (job_id) WHERE reason = 'job_refund';
