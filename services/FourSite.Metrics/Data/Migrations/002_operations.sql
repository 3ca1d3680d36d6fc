CREATE INDEX analytics_events_time_idx ON analytics_events (occurred_at);

-- Real-user beacons, written in batches from the Redis buffer.
CREATE TABLE rum_beacons (
    id          uuid PRIMARY KEY,
    type        text             NOT NULL,
    session_id  text,
    url         text,
    user_agent  text,
    lcp_ms      double precision,
    fid_ms      double precision,
    inp_ms      double precision,
    cls         double precision,
    data        jsonb            NOT NULL DEFAULT '{}',
    occurred_at timestamptz      NOT NULL,
    received_at timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX rum_beacons_time_idx ON rum_beacons (type, occurred_at);

-- The platform's health, sampled on a schedule: the source of uptime.
CREATE TABLE health_samples (
    sampled_at timestamptz PRIMARY KEY,
    healthy    boolean     NOT NULL,
    components jsonb       NOT NULL DEFAULT '{}'
);

CREATE UNIQUE INDEX alerts_one_open_per_rule_idx ON alerts (rule_name) WHERE resolved_at IS NULL;
DROP INDEX alerts_open_idx;

-- The realtime dashboard pairs each started generation with its end.
CREATE INDEX analytics_events_job_end_idx ON analytics_events ((properties->>'jobId'))
    WHERE event_type IN ('generation_completed', 'generation_failed');

-- When each scheduled task last ran, so that with several replicas each run happens once per interval.
CREATE TABLE scheduled_runs (
    task        text PRIMARY KEY,
    last_run_at timestamptz NOT NULL
);
