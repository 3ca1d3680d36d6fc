-- The launch's success metrics, rolled up per day beside the rest of the business.
ALTER TABLE daily_business_metrics ADD COLUMN visitors integer NOT NULL DEFAULT 0;
ALTER TABLE daily_business_metrics ADD COLUMN lead_visitors integer NOT NULL DEFAULT 0;
ALTER TABLE daily_business_metrics ADD COLUMN conversion_rate double precision NOT NULL DEFAULT 0;
ALTER TABLE daily_business_metrics ADD COLUMN daily_active_users integer NOT NULL DEFAULT 0;
ALTER TABLE daily_business_metrics ADD COLUMN site_owners integer NOT NULL DEFAULT 0;
ALTER TABLE daily_business_metrics ADD COLUMN pro_owners integer NOT NULL DEFAULT 0;
ALTER TABLE daily_business_metrics ADD COLUMN premium_conversion double precision NOT NULL DEFAULT 0;

-- Each site's Pro subscription as Viral announces it: Pro while pro_until is in the future.
CREATE TABLE site_pro (
    site_id    uuid PRIMARY KEY,
    pro_until  timestamptz,
    -- Since when it has been Pro without a break (null while it is not).
    pro_since  timestamptz,
    changed_at timestamptz NOT NULL
);

CREATE INDEX rum_beacons_occurred_idx ON rum_beacons (occurred_at);
