-- Generation jobs: one per accepted POST /api/generate. The owner token is kept only as a SHA-256 hash.
CREATE TABLE generation_jobs (
    id               uuid PRIMARY KEY,
    repo_url         text        NOT NULL,
    repo_owner       text        NOT NULL,
    repo_name        text        NOT NULL,
    owner_id         uuid        NOT NULL,
    owner_token_hash text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    stage            text        NOT NULL,
    progress         integer     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    site_id          uuid,
    error_code       text,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz
);
CREATE INDEX generation_jobs_status_idx ON generation_jobs (status, created_at);

-- Generated sites: one per completed job (job_id is unique, so a redelivered job never makes a second site).
CREATE TABLE websites (
    id                 uuid PRIMARY KEY,
    job_id             uuid        NOT NULL UNIQUE REFERENCES generation_jobs (id),
    slug               text        NOT NULL UNIQUE,
    repo_owner         text        NOT NULL,
    repo_name          text        NOT NULL,
    site_data          jsonb       NOT NULL,
    html               text        NOT NULL,
    model              text        NOT NULL,
    fallback_used      boolean     NOT NULL DEFAULT false,
    ai_error           text,
    generation_time_ms double precision NOT NULL,
    owner_id           uuid        NOT NULL,
    owner_token_hash   text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX websites_repo_idx ON websites (repo_owner, repo_name);
