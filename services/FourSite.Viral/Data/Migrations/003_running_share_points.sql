-- Each site's shares as one running sum of faded points (faded to share_points_at), so an event costs O(1), not a
-- scan of every share the site ever had.
ALTER TABLE viral_scores ADD COLUMN share_points double precision NOT NULL DEFAULT 0;
ALTER TABLE viral_scores ADD COLUMN share_points_at timestamptz NOT NULL DEFAULT now();

UPDATE viral_scores v SET share_points = coalesce((
    SELECT sum(CASE s.platform
                   WHEN 'hackernews' THEN 3 WHEN 'reddit' THEN 2.5 WHEN 'twitter' THEN 2 WHEN 'linkedin' THEN 2
                   WHEN 'facebook' THEN 1.5 WHEN 'email' THEN 1 WHEN 'copy' THEN 0.5 ELSE 0 END
               * power(0.5, greatest(extract(epoch FROM now() - s.created_at), 0) / (14 * 86400)))
    FROM shares s WHERE s.website_id = v.website_id), 0),
    share_points_at = now();
