-- Owner calls (referrals, checkout) are checked against the token hash learnt from SiteGenerated.
ALTER TABLE viral_scores ADD COLUMN owner_token_hash text;
CREATE INDEX viral_scores_owner_token_idx ON viral_scores (owner_token_hash);
CREATE INDEX viral_scores_owner_idx ON viral_scores (owner_id);

-- Where a share came from, so a visit or a lead can be held against its sharer.
ALTER TABLE shares ADD COLUMN client_network text;
CREATE INDEX shares_referral_code_idx ON shares (referral_code) WHERE referral_code IS NOT NULL;
CREATE INDEX shares_created_idx ON shares (created_at);

-- Visits that arrived through a shared link (one per session and site).
CREATE TABLE share_visits (
    id             uuid PRIMARY KEY,
    website_id     uuid        NOT NULL,
    platform       text,
    referral_code  text,
    session_id     text        NOT NULL,
    client_network text,
    verified       boolean     NOT NULL,
    fraud_reason   text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (website_id, session_id)
);
CREATE INDEX share_visits_created_idx ON share_visits (created_at);
CREATE INDEX share_visits_referral_code_idx ON share_visits (referral_code) WHERE referral_code IS NOT NULL;

-- Leads that came from a share or a referral code. Suspicious ones are kept, unverified, and earn nothing.
CREATE TABLE conversions (
    lead_id        uuid PRIMARY KEY,
    website_id     uuid        NOT NULL,
    person_hash    text        NOT NULL,
    platform       text,
    referral_code  text,
    session_id     text,
    client_network text,
    verified       boolean     NOT NULL,
    fraud_reason   text,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversions_created_idx ON conversions (created_at);
CREATE INDEX conversions_person_idx ON conversions (person_hash);
CREATE INDEX conversions_referral_code_idx ON conversions (referral_code) WHERE referral_code IS NOT NULL;

-- Pro upgrades, one per Stripe Checkout session.
CREATE TABLE upgrades (
    id                  uuid PRIMARY KEY,
    checkout_session_id text        NOT NULL UNIQUE,
    website_id          uuid        NOT NULL,
    owner_id            uuid        NOT NULL,
    plan                text        NOT NULL,
    amount_cents        bigint      NOT NULL,
    currency            text        NOT NULL,
    referral_code       text,
    created_at          timestamptz NOT NULL DEFAULT now()
);

-- Stripe webhook events already handled: a retried delivery changes nothing.
CREATE TABLE stripe_events (
    id          text PRIMARY KEY,
    type        text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE commissions ADD COLUMN upgrade_id uuid UNIQUE REFERENCES upgrades (id);
CREATE INDEX commissions_referrer_idx ON commissions (referrer_owner_id);

-- A code's clicks and conversions are counted from share_visits and conversions, so erasure keeps them true.
ALTER TABLE referral_codes DROP COLUMN clicks, DROP COLUMN conversions;
CREATE UNIQUE INDEX referral_codes_owner_site_idx ON referral_codes (owner_id, website_id);
