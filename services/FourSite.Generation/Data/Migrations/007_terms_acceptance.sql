-- The version of the terms the person accepted on the web form, and when, recorded with their generation.
ALTER TABLE generation_jobs ADD COLUMN terms_version text;
ALTER TABLE generation_jobs ADD COLUMN terms_accepted_at timestamptz;

-- Why the platform's own checks want the site a job makes looked at (e.g. network_burst); it enters the moderation queue.
ALTER TABLE generation_jobs ADD COLUMN review_reason text;
