-- The version of the terms the person accepted on the web form, and when, recorded with their generation.
ALTER TABLE generation_jobs ADD COLUMN terms_version text;
ALTER TABLE generation_jobs ADD COLUMN terms_accepted_at timestamptz;
