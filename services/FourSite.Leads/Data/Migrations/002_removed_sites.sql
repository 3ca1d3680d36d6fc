-- Sites their owners removed: no lead is captured for them again, and a late SiteGenerated does not bring them back.
CREATE TABLE removed_sites (
    site_id    uuid PRIMARY KEY,
    removed_at timestamptz NOT NULL DEFAULT now()
);
