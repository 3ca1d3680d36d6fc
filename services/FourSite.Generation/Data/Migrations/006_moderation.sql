-- Where each generation came from (the coarse network, never the address), so sites per network and day can be counted.
ALTER TABLE generation_jobs ADD COLUMN network text;
CREATE INDEX generation_jobs_network_idx ON generation_jobs (network, created_at) WHERE network IS NOT NULL;
CREATE INDEX generation_jobs_account_idx ON generation_jobs (account_id, created_at) WHERE account_id IS NOT NULL;

-- A site an operator suspended: its page answers 410 (abuse) or 451 (legal) until restored.
ALTER TABLE websites ADD COLUMN suspension text CHECK (suspension IN ('abuse', 'legal'));
ALTER TABLE websites ADD COLUMN suspension_reason text;
ALTER TABLE websites ADD COLUMN suspended_at timestamptz;

-- Reports of a page, from visitors (one per site and network) or raised by the platform's own heuristics. Open until an
-- operator acts on the site.
CREATE TABLE site_reports (
    id          uuid PRIMARY KEY,
    site_id     uuid        NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    network     text        NOT NULL,
    reason      text        NOT NULL,
    details     text,
    contact     text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    UNIQUE (site_id, network)
);
CREATE INDEX site_reports_open_idx ON site_reports (created_at) WHERE resolved_at IS NULL;
CREATE INDEX site_reports_network_idx ON site_reports (network, created_at);

-- Every operator action, kept after the site is gone: who, when, what, why.
CREATE TABLE moderation_actions (
    id         uuid PRIMARY KEY,
    action     text        NOT NULL,
    site_id    uuid,
    subject    text,
    reason     text        NOT NULL,
    actor      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_actions_created_idx ON moderation_actions (created_at DESC);

-- Repositories, GitHub owners and accounts no new site is generated for. Values are kept lower-case.
CREATE TABLE blocks (
    id         uuid PRIMARY KEY,
    kind       text        NOT NULL CHECK (kind IN ('repository', 'owner', 'account')),
    value      text        NOT NULL,
    reason     text        NOT NULL,
    actor      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, value)
);
