-- Real users' Core Web Vitals of each site (from Metrics): featuring needs them good, besides the viral threshold.
ALTER TABLE viral_scores ADD COLUMN lcp_p75 double precision;
ALTER TABLE viral_scores ADD COLUMN cls_p75 double precision;
ALTER TABLE viral_scores ADD COLUMN inp_p75 double precision;
ALTER TABLE viral_scores ADD COLUMN vitals_samples integer NOT NULL DEFAULT 0;
ALTER TABLE viral_scores ADD COLUMN vitals_assessment text;
ALTER TABLE viral_scores ADD COLUMN vitals_assessed_at timestamptz;
CREATE INDEX viral_scores_slug_idx ON viral_scores (slug) WHERE removed_at IS NULL;
