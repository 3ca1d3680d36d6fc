-- A job may write an existing site again in place (after a release of its repository, or at its owner's request).
ALTER TABLE generation_jobs ADD COLUMN regenerates_site_id uuid;
ALTER TABLE generation_jobs ADD COLUMN reason text;
ALTER TABLE generation_jobs ADD COLUMN release_tag text;
-- A regeneration of a site its maintainers took over has no token holder.
ALTER TABLE generation_jobs ALTER COLUMN owner_token_hash DROP NOT NULL;
CREATE INDEX generation_jobs_regenerates_idx ON generation_jobs (regenerates_site_id, created_at) WHERE regenerates_site_id IS NOT NULL;

-- The version a regeneration replaced, so its owner can bring it back.
ALTER TABLE websites ADD COLUMN previous_site_data jsonb;
ALTER TABLE websites ADD COLUMN previous_html text;
ALTER TABLE websites ADD COLUMN previous_model text;
ALTER TABLE websites ADD COLUMN regenerated_at timestamptz;
CREATE INDEX websites_repo_lower_idx ON websites (lower(repo_owner), lower(repo_name));

-- GitHub's webhook deliveries already handled (X-GitHub-Delivery), so a redelivery regenerates nothing twice.
CREATE TABLE github_deliveries (
    id          text PRIMARY KEY,
    event       text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
