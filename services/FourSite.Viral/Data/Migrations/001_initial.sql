-- Every share, as tracked.
CREATE TABLE shares (
    id            uuid PRIMARY KEY,
    website_id    uuid        NOT NULL,
    platform      text        NOT NULL CHECK (platform IN ('twitter', 'linkedin', 'facebook', 'reddit', 'hackernews', 'email', 'copy')),
    share_url     text        NOT NULL,
    referral_code text,
    session_id    text,
    client_ip     inet,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shares_website_idx ON shares (website_id, created_at);

-- The record of each site's viral score (Redis holds the hot copy).
CREATE TABLE viral_scores (
    website_id         uuid PRIMARY KEY,
    slug               text,
    title              text,
    owner_id           uuid,
    score              double precision NOT NULL DEFAULT 0,
    shares             integer     NOT NULL DEFAULT 0,
    visits_from_shares integer     NOT NULL DEFAULT 0,
    leads_from_shares  integer     NOT NULL DEFAULT 0,
    featured           boolean     NOT NULL DEFAULT false,
    site_created_at    timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX viral_scores_score_idx ON viral_scores (score DESC);

-- A site is featured once, when its score first crosses the threshold.
CREATE TABLE auto_featuring_events (
    id          uuid PRIMARY KEY,
    website_id  uuid             NOT NULL UNIQUE,
    viral_score double precision NOT NULL,
    threshold   double precision NOT NULL,
    featured_at timestamptz      NOT NULL DEFAULT now()
);

CREATE TABLE referral_codes (
    code        text PRIMARY KEY,
    owner_id    uuid        NOT NULL,
    website_id  uuid,
    clicks      integer     NOT NULL DEFAULT 0,
    conversions integer     NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_codes_owner_idx ON referral_codes (owner_id);

CREATE TABLE commissions (
    id                uuid PRIMARY KEY,
    referrer_owner_id uuid         NOT NULL,
    referred_owner_id uuid         NOT NULL,
    referral_code     text         REFERENCES referral_codes (code),
    rate              numeric(4,3) NOT NULL CHECK (rate BETWEEN 0.2 AND 0.4),
    amount_cents      bigint       NOT NULL CHECK (amount_cents >= 0),
    currency          text         NOT NULL,
    created_at        timestamptz  NOT NULL DEFAULT now()
);
