-- What each site's Pro subscription gives it, as Viral announces it: Pro while pro_until is in the future.
ALTER TABLE websites ADD COLUMN pro_plan text;
ALTER TABLE websites ADD COLUMN pro_until timestamptz;
ALTER TABLE websites ADD COLUMN pro_renews_at timestamptz;
ALTER TABLE websites ADD COLUMN pro_cancel_at timestamptz;
ALTER TABLE websites ADD COLUMN pro_grace_until timestamptz;
ALTER TABLE websites ADD COLUMN pro_changed_at timestamptz;
