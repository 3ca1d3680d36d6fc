-- Owners' analytics, without cookies and without keeping who a visitor is: a page view is kept with a hash of the
-- visitor's address, user agent and site under a salt that changes every day and is then deleted, so a visitor is
-- counted once a day and can never be recognised again. No raw address or user agent is stored anywhere here.
ALTER TABLE rum_beacons DROP COLUMN user_agent;
ALTER TABLE rum_beacons
    ADD COLUMN device        text,
    ADD COLUMN visitor       text,
    ADD COLUMN referrer_host text,
    ADD COLUMN channel       text,
    ADD COLUMN utm_source    text,
    ADD COLUMN utm_campaign  text;

-- Today's salt (and yesterday's, until late page views are in); older ones are deleted.
CREATE TABLE visitor_salts (
    day  date PRIMARY KEY,
    salt bytea NOT NULL
);

-- The sites as their owners' analytics need them: their address (page views name it) and who may read them.
CREATE TABLE analytics_sites (
    site_id          uuid PRIMARY KEY,
    slug             text,
    owner_token_hash text,
    account_id       uuid,
    owner_changed_at timestamptz,
    removed_at       timestamptz
);
CREATE INDEX analytics_sites_slug_idx ON analytics_sites (slug) WHERE removed_at IS NULL;

-- When the rollups were last rebuilt: the next rebuild starts from that day, so days missed while Metrics was down are
-- rebuilt when it is back.
CREATE TABLE site_analytics_rollups (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    rolled_at timestamptz NOT NULL
);

-- Daily rollups an owner's analytics are read from (rebuilt for the current day every minute).
CREATE TABLE site_traffic_daily (
    site_id   uuid    NOT NULL,
    day       date    NOT NULL,
    views     integer NOT NULL,
    visitors  integer NOT NULL,
    captures  integer NOT NULL,
    confirmed integer NOT NULL,
    PRIMARY KEY (site_id, day)
);

-- Page views and visitors by where they came from (referrer host, share channel, utm_source, utm_campaign) and device.
CREATE TABLE site_breakdowns_daily (
    site_id  uuid    NOT NULL,
    day      date    NOT NULL,
    kind     text    NOT NULL,
    value    text    NOT NULL,
    views    integer NOT NULL,
    visitors integer NOT NULL,
    PRIMARY KEY (site_id, day, kind, value)
);

CREATE TABLE site_shares_daily (
    site_id uuid    NOT NULL,
    day     date    NOT NULL,
    channel text    NOT NULL,
    shares  integer NOT NULL,
    PRIMARY KEY (site_id, day, channel)
);

-- Each day's 75th percentiles of the site's real-user vitals, and how many samples each rests on.
CREATE TABLE site_vitals_daily (
    site_id     uuid    NOT NULL,
    day         date    NOT NULL,
    lcp_p75     double precision,
    lcp_samples integer NOT NULL,
    inp_p75     double precision,
    inp_samples integer NOT NULL,
    cls_p75     double precision,
    cls_samples integer NOT NULL,
    PRIMARY KEY (site_id, day)
);

CREATE INDEX analytics_events_site_time_idx ON analytics_events (site_id, occurred_at) WHERE site_id IS NOT NULL;
