-- The generated site a beacon came from (its page is /s/{slug}), so each site's real-user vitals can be assessed.
ALTER TABLE rum_beacons ADD COLUMN site_slug text GENERATED ALWAYS AS (substring(url FROM '/s/([a-z0-9-]{1,64})(?:[/?#]|$)')) STORED;
CREATE INDEX rum_beacons_site_idx ON rum_beacons (site_slug, occurred_at) WHERE site_slug IS NOT NULL;
CREATE INDEX rum_beacons_received_idx ON rum_beacons (received_at) WHERE site_slug IS NOT NULL;

-- Each site's latest assessment (also announced as SiteVitalsAssessed).
CREATE TABLE site_vitals (
    site_slug   text PRIMARY KEY,
    lcp_p75     double precision,
    cls_p75     double precision,
    inp_p75     double precision,
    samples     integer     NOT NULL,
    assessment  text        NOT NULL,
    assessed_at timestamptz NOT NULL
);
