-- Sites as the Leads service knows them (from SiteGenerated): who may read their leads.
CREATE TABLE lead_sites (
    site_id          uuid PRIMARY KEY,
    owner_id         uuid        NOT NULL,
    owner_token_hash text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- One row per person per site: the normalised email is the identity, the typed one is kept.
CREATE TABLE leads (
    id                 uuid PRIMARY KEY,
    site_id            uuid        NOT NULL,
    email              text        NOT NULL,
    email_normalized   text        NOT NULL,
    project_type       text,
    template           text,
    project_interests  text[]      NOT NULL DEFAULT '{}',
    social_platforms   text[]      NOT NULL DEFAULT '{}',
    newsletter_opt_in  boolean     NOT NULL DEFAULT false,
    metadata           jsonb       NOT NULL DEFAULT '{}',
    referral_code      text,
    lead_score         integer     NOT NULL CHECK (lead_score BETWEEN 0 AND 100),
    score_breakdown    jsonb       NOT NULL,
    risk_flags         text[]      NOT NULL DEFAULT '{}',
    is_spam            boolean     NOT NULL DEFAULT false,
    capture_count      integer     NOT NULL DEFAULT 1,
    captured_at        timestamptz NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT leads_site_person_key UNIQUE (site_id, email_normalized)
);
CREATE INDEX leads_email_idx ON leads (email_normalized);
