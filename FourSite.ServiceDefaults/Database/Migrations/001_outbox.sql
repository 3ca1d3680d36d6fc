-- Messages committed with the rows they announce; the outbox relay sends them to the broker.
CREATE TABLE outbox_messages (
    id           bigserial PRIMARY KEY,
    message_id   uuid        NOT NULL UNIQUE,
    message_type text        NOT NULL,
    destination  text,
    body         jsonb       NOT NULL,
    trace_parent text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz,
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text
);
CREATE INDEX outbox_messages_unsent_idx ON outbox_messages (id) WHERE sent_at IS NULL;
