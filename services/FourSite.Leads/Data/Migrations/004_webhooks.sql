-- Owners' webhooks: where a site's events are delivered, signed with the secret shown once at creation.
CREATE TABLE webhooks (
    id                         uuid PRIMARY KEY,
    site_id                    uuid        NOT NULL,
    url                        text        NOT NULL,
    events                     text[]      NOT NULL,
    secret                     text        NOT NULL,
    -- After a rotation the old secret keeps signing (beside the new one) until it expires.
    previous_secret            text,
    previous_secret_expires_at timestamptz,
    -- Who made it: when the site changes hands, the webhooks of those who lost it go.
    created_by_account_id      uuid,
    created_by_token_hash      text,
    enabled                    boolean     NOT NULL DEFAULT true,
    disabled_reason            text,
    disabled_at                timestamptz,
    failing_since              timestamptz,
    created_at                 timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_site_idx ON webhooks (site_id);

-- One event for one webhook. Its id is the webhook-id header, the same on every attempt, so receivers can dedupe;
-- the cause's key is unique per webhook, so a repeated cause (a redelivered message) makes no second delivery.
CREATE TABLE webhook_deliveries (
    id              uuid PRIMARY KEY,
    webhook_id      uuid        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_type      text        NOT NULL,
    event_key       text        NOT NULL,
    payload         text        NOT NULL,
    trace_parent    text,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    leased_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    CONSTRAINT webhook_deliveries_cause_key UNIQUE (webhook_id, event_key)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_recent_idx ON webhook_deliveries (webhook_id, created_at DESC);

-- Every attempt, for the owner to see what their endpoint answered.
CREATE TABLE webhook_attempts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  uuid             NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at timestamptz      NOT NULL DEFAULT now(),
    status_code  integer,
    latency_ms   double precision NOT NULL,
    error        text
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);
