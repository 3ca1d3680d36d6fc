-- Generated sites and the jobs that make them.
CREATE TABLE websites (
    id               uuid PRIMARY KEY,
    slug             text        NOT NULL UNIQUE,
    repo_owner       text        NOT NULL,
    repo_name        text        NOT NULL,
    site_data        jsonb       NOT NULL,
    model            text        NOT NULL,
    fallback_used    boolean     NOT NULL DEFAULT false,
    owner_id         uuid        NOT NULL,
    owner_token_hash bytea       NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX websites_repo_idx ON websites (repo_owner, repo_name);

CREATE TABLE generation_jobs (
    id           uuid PRIMARY KEY,
    repo_url     text        NOT NULL,
    repo_owner   text        NOT NULL,
    repo_name    text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    stage        text        NOT NULL,
    progress     integer     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    site_id      uuid        REFERENCES websites (id),
    error        text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz
);
CREATE INDEX generation_jobs_status_idx ON generation_jobs (status, created_at);
