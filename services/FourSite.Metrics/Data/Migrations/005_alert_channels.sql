-- When an open alert was last sent (a firing critical alert is sent again every repeat interval).
ALTER TABLE alerts ADD COLUMN notified_at timestamptz;
UPDATE alerts SET notified_at = raised_at;

-- Each alert notification for each channel it is routed to, delivered from here with retries: a channel that is down
-- gets its pages once it is back, and one slow channel never holds up another.
CREATE TABLE alert_deliveries (
    id              uuid PRIMARY KEY,
    rule_name       text        NOT NULL,
    channel         text        NOT NULL,
    notification    jsonb       NOT NULL,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    leased_until    timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz
);
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (channel, next_attempt_at) WHERE status = 'pending';

-- Operators' silences: a silenced rule is still evaluated and its alerts shown, but nothing is sent until it ends.
CREATE TABLE alert_silences (
    id           uuid PRIMARY KEY,
    rule_name    text        NOT NULL,
    reason       text        NOT NULL,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    ends_at      timestamptz NOT NULL,
    cancelled_at timestamptz,
    cancelled_by text
);
CREATE INDEX alert_silences_active_idx ON alert_silences (rule_name, ends_at) WHERE cancelled_at IS NULL;
