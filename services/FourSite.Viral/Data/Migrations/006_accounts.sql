-- Sites belong to accounts, referral codes to the account that asked for them, and an account's relationship with
-- FourSite starts at its first sign-in (or its first site, whichever is earlier).
ALTER TABLE viral_scores ADD COLUMN account_id uuid;
ALTER TABLE viral_scores ADD COLUMN owner_changed_at timestamptz;
ALTER TABLE referral_codes ADD COLUMN account_id uuid;
CREATE INDEX referral_codes_account_idx ON referral_codes (account_id) WHERE account_id IS NOT NULL;

CREATE TABLE accounts (
    account_id   uuid PRIMARY KEY,
    signed_up_at timestamptz NOT NULL
);

-- Who bought and who referred, as accounts; emptied (the money stays) when an account is erased.
ALTER TABLE upgrades ADD COLUMN buyer_account_id uuid;
ALTER TABLE commissions ADD COLUMN referrer_account_id uuid;
