-- The coarse network each lead was first captured from, so a flood of sign-ups from one network is seen; and the checks
-- that raised a site for review, so each raises it at most once a day.
ALTER TABLE leads ADD COLUMN capture_network text;
CREATE INDEX leads_site_network_idx ON leads (site_id, capture_network, created_at) WHERE capture_network IS NOT NULL;

CREATE TABLE site_flags (
    site_id    uuid        NOT NULL,
    check_name text        NOT NULL,
    flagged_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, check_name)
);
