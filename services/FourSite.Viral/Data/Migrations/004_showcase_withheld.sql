-- Operators can withhold a site from the public showcase (spam, abuse); a withheld site is
-- never featured again automatically.
ALTER TABLE viral_scores ADD COLUMN showcase_withheld_at timestamptz;
