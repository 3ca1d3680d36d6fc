-- Sites' names and addresses, for the emails sent about them.
ALTER TABLE lead_sites ADD COLUMN slug text;
ALTER TABLE lead_sites ADD COLUMN title text;

-- A visitor's newsletter subscription to one site, with the consent they gave: the wording they saw, and when, from
-- which coarse network and user agent they opted in and confirmed. Only a confirmed subscription is ever sent news.
CREATE TABLE subscriptions (
    id                   uuid PRIMARY KEY,
    site_id              uuid        NOT NULL,
    email                text        NOT NULL,
    email_normalized     text        NOT NULL,
    status               text        NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    -- Names the subscription in every broadcast's unsubscribe link: it can only unsubscribe (or subscribe again).
    unsubscribe_token    text        NOT NULL UNIQUE,
    consent_version      text        NOT NULL,
    consent_wording      text        NOT NULL,
    captured_at          timestamptz NOT NULL,
    captured_network     text,
    captured_user_agent  text,
    confirmation_sent_at timestamptz,
    confirmed_at         timestamptz,
    confirmed_network    text,
    confirmed_user_agent text,
    unsubscribed_at      timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscriptions_site_person_key UNIQUE (site_id, email_normalized)
);
CREATE INDEX subscriptions_email_idx ON subscriptions (email_normalized);
CREATE INDEX subscriptions_confirmed_idx ON subscriptions (site_id, id) WHERE status = 'confirmed';

-- Links sent to confirm something (a subscription, a maintainer's notification address), kept as hashes until they expire.
CREATE TABLE email_tokens (
    token_hash      text PRIMARY KEY,
    purpose         text        NOT NULL CHECK (purpose IN ('subscription', 'notification_address')),
    subscription_id uuid REFERENCES subscriptions (id) ON DELETE CASCADE,
    account_id      uuid,
    -- The address a notification-address link verifies: a link sent before the address changed verifies nothing.
    email           text,
    expires_at      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Addresses no FourSite project mails news to: their owner unsubscribed from all of them.
CREATE TABLE global_unsubscribes (
    email_normalized text PRIMARY KEY,
    unsubscribed_at  timestamptz NOT NULL DEFAULT now()
);

-- Addresses a mail server refused for good (a permanent 5xx): never mailed again.
CREATE TABLE email_suppressions (
    email_normalized text PRIMARY KEY,
    reason           text        NOT NULL,
    suppressed_at    timestamptz NOT NULL DEFAULT now()
);

-- What a verified maintainer sends a site's confirmed subscribers (or themselves, as a test), and release drafts.
CREATE TABLE announcements (
    id                    uuid PRIMARY KEY,
    site_id               uuid        NOT NULL,
    subject               text        NOT NULL,
    markdown              text        NOT NULL,
    audience              text        NOT NULL CHECK (audience IN ('test', 'subscribers')),
    status                text        NOT NULL CHECK (status IN ('draft', 'sent', 'discarded')),
    release_tag           text,
    created_by_account_id uuid,
    created_at            timestamptz NOT NULL DEFAULT now(),
    sent_at               timestamptz,
    recipients            integer     NOT NULL DEFAULT 0
);
CREATE INDEX announcements_site_idx ON announcements (site_id, created_at DESC);
CREATE UNIQUE INDEX announcements_release_key ON announcements (site_id, release_tag) WHERE release_tag IS NOT NULL;

CREATE TABLE announcement_settings (
    site_id  uuid PRIMARY KEY,
    releases text NOT NULL CHECK (releases IN ('auto', 'review', 'off'))
);

-- A maintainer's address for lead notifications, used once verified through the link sent to it.
CREATE TABLE notification_addresses (
    account_id       uuid PRIMARY KEY,
    email            text        NOT NULL,
    email_normalized text        NOT NULL,
    verified_at      timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- How a site's owning account hears of its new leads: at once, in a daily digest at an hour (UTC) they pick, or not.
CREATE TABLE lead_notification_settings (
    site_id        uuid        NOT NULL,
    account_id     uuid        NOT NULL,
    mode           text        NOT NULL CHECK (mode IN ('instant', 'digest', 'off')),
    digest_hour    integer     NOT NULL DEFAULT 9 CHECK (digest_hour BETWEEN 0 AND 23),
    last_digest_at timestamptz,
    PRIMARY KEY (site_id, account_id)
);

-- Every email, written in the transaction of the change that causes it and sent by the dispatcher (any replica, under a
-- lease). The body is composed when it is sent, from the kind and its payload.
CREATE TABLE outgoing_emails (
    id                   uuid PRIMARY KEY,
    kind                 text        NOT NULL,
    recipient            text        NOT NULL,
    recipient_normalized text        NOT NULL,
    site_id              uuid,
    announcement_id      uuid REFERENCES announcements (id) ON DELETE CASCADE,
    subscription_id      uuid REFERENCES subscriptions (id) ON DELETE CASCADE,
    payload              jsonb       NOT NULL DEFAULT '{}',
    message_id           text        NOT NULL,
    trace_parent         text,
    status               text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'suppressed', 'skipped')),
    attempts             integer     NOT NULL DEFAULT 0,
    next_attempt_at      timestamptz NOT NULL DEFAULT now(),
    leased_until         timestamptz,
    last_error           text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    sent_at              timestamptz,
    CONSTRAINT outgoing_emails_announcement_key UNIQUE (announcement_id, subscription_id)
);
CREATE INDEX outgoing_emails_due_idx ON outgoing_emails (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outgoing_emails_announcement_idx ON outgoing_emails (announcement_id, status);
CREATE INDEX outgoing_emails_recipient_idx ON outgoing_emails (recipient_normalized);
