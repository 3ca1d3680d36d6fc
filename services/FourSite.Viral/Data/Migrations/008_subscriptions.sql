-- Pro subscriptions as Stripe reports them: what makes a site Pro, and until when.
CREATE TABLE subscriptions (
    id                   text PRIMARY KEY,
    website_id           uuid        NOT NULL,
    owner_id             uuid        NOT NULL,
    buyer_account_id     uuid,
    customer_id          text,
    plan                 text        NOT NULL,
    referral_code        text,
    client_network       text,
    status               text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'past_due', 'canceled')),
    -- Paid up to here; an estimate until the first invoice states it.
    current_period_end   timestamptz,
    period_estimated     boolean     NOT NULL DEFAULT false,
    cancel_at_period_end boolean     NOT NULL DEFAULT false,
    cancel_at            timestamptz,
    grace_until          timestamptz,
    ended_at             timestamptz,
    -- When Stripe's latest subscription event was created: an older one arriving later changes nothing.
    state_as_of          timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_site_idx ON subscriptions (website_id);

-- The commission ledger: one entry per paid invoice of a referred subscription, and negative adjustments of it.
ALTER TABLE commissions DROP CONSTRAINT commissions_amount_cents_check;
ALTER TABLE commissions
    ADD COLUMN invoice_id        text,
    ADD COLUMN subscription_id   text,
    ADD COLUMN paid_amount_cents bigint,
    ADD COLUMN payable_at        timestamptz,
    ADD COLUMN reversed_at       timestamptz,
    ADD COLUMN reversal_reason   text,
    ADD COLUMN adjusts           uuid REFERENCES commissions (id),
    ADD COLUMN payout_id         uuid;
UPDATE commissions SET payable_at = created_at + interval '30 days', paid_amount_cents = (SELECT amount_cents FROM upgrades u WHERE u.id = upgrade_id);
ALTER TABLE commissions ALTER COLUMN payable_at SET NOT NULL;
ALTER TABLE commissions ADD CONSTRAINT commissions_sign_check CHECK ((adjusts IS NULL AND amount_cents >= 0) OR (adjusts IS NOT NULL AND amount_cents < 0));
CREATE UNIQUE INDEX commissions_invoice_idx ON commissions (invoice_id) WHERE adjusts IS NULL;
CREATE INDEX commissions_referrer_account_idx ON commissions (referrer_account_id);
CREATE INDEX commissions_unpaid_idx ON commissions (payable_at) WHERE payout_id IS NULL AND reversed_at IS NULL;

-- Payout batches operators record: one per idempotency key.
CREATE TABLE commission_payouts (
    id         uuid PRIMARY KEY,
    batch_key  text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE commissions ADD CONSTRAINT commissions_payout_fk FOREIGN KEY (payout_id) REFERENCES commission_payouts (id);
