-- Where a referrer is paid: their Stripe Connect (Express) account, made once per FourSite account, and its state as
-- Stripe last reported it (account.updated; an older event changes nothing).
CREATE TABLE payout_accounts (
    account_id        uuid PRIMARY KEY,
    stripe_account_id text NOT NULL UNIQUE,
    details_submitted boolean NOT NULL DEFAULT false,
    payouts_enabled   boolean NOT NULL DEFAULT false,
    requirements_due  text[] NOT NULL DEFAULT '{}',
    disabled_reason   text,
    country           text,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);

-- One transfer to one referrer in one currency within a payout batch. Its entries are reserved (commissions.transfer_id)
-- while Stripe is asked; they become paid (commissions.payout_id) only with the transfer Stripe accepted, in one
-- transaction; a refused transfer gives them back. The idempotency key (batch, account, currency, attempt) makes a
-- repeated request (a retry, a re-run after a crash) return the transfer Stripe already made.
CREATE TABLE payout_transfers (
    id                 uuid PRIMARY KEY,
    payout_id          uuid NOT NULL REFERENCES commission_payouts (id),
    account_id         uuid NOT NULL,
    stripe_account_id  text NOT NULL,
    currency           text NOT NULL,
    amount_cents       bigint NOT NULL,
    entries            integer NOT NULL,
    attempt            integer NOT NULL DEFAULT 1,
    state              text NOT NULL,
    stripe_transfer_id text UNIQUE,
    reversed_cents     bigint NOT NULL DEFAULT 0,
    error              text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    UNIQUE (payout_id, account_id, currency)
);
CREATE INDEX payout_transfers_account_idx ON payout_transfers (account_id, created_at DESC);

ALTER TABLE commissions ADD COLUMN transfer_id uuid REFERENCES payout_transfers (id);
CREATE INDEX commissions_transfer_idx ON commissions (transfer_id) WHERE transfer_id IS NOT NULL;
