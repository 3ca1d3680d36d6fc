-- Every business event, once (message_id makes consumption idempotent).
CREATE TABLE analytics_events (
    id          uuid PRIMARY KEY,
    message_id  uuid        UNIQUE,
    event_type  text        NOT NULL,
    site_id     uuid,
    session_id  text,
    properties  jsonb       NOT NULL DEFAULT '{}',
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX analytics_events_type_time_idx ON analytics_events (event_type, occurred_at);

CREATE TABLE daily_business_metrics (
    date                    date PRIMARY KEY,
    signups                 integer          NOT NULL DEFAULT 0,
    generations             integer          NOT NULL DEFAULT 0,
    captures                integer          NOT NULL DEFAULT 0,
    avg_viral_score         double precision NOT NULL DEFAULT 0,
    viral_coefficient       double precision NOT NULL DEFAULT 0,
    top_platforms           jsonb            NOT NULL DEFAULT '[]',
    generation_success_rate double precision NOT NULL DEFAULT 0,
    avg_lead_score          double precision NOT NULL DEFAULT 0,
    avg_generation_time_ms  double precision NOT NULL DEFAULT 0,
    uptime                  double precision NOT NULL DEFAULT 1,
    updated_at              timestamptz      NOT NULL DEFAULT now()
);

CREATE TABLE alerts (
    id          uuid PRIMARY KEY,
    rule_name   text             NOT NULL,
    severity    text             NOT NULL,
    message     text             NOT NULL,
    value       double precision,
    threshold   double precision,
    channels    text[]           NOT NULL DEFAULT '{}',
    raised_at   timestamptz      NOT NULL DEFAULT now(),
    resolved_at timestamptz
);
CREATE INDEX alerts_open_idx ON alerts (rule_name) WHERE resolved_at IS NULL;
