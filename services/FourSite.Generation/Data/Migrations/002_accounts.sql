-- Accounts: GitHub identities signed in at the gateway. One per GitHub user; erased (the row goes) on request.
CREATE TABLE accounts (
    id              uuid PRIMARY KEY,
    github_id       bigint      NOT NULL UNIQUE,
    login           text        NOT NULL,
    name            text,
    avatar_url      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_sign_in_at timestamptz NOT NULL DEFAULT now()
);

-- A site belongs to the account it was generated or claimed for; verified once its repository's maintainers proved it.
ALTER TABLE generation_jobs ADD COLUMN account_id uuid;
ALTER TABLE websites ADD COLUMN account_id uuid;
ALTER TABLE websites ADD COLUMN verified_permission text;
ALTER TABLE websites ADD COLUMN owner_changed_at timestamptz;
-- A site its maintainers took over has no token holder any more.
ALTER TABLE websites ALTER COLUMN owner_token_hash DROP NOT NULL;
CREATE INDEX websites_account_idx ON websites (account_id) WHERE account_id IS NOT NULL;
