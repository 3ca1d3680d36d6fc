-- Sites belong to accounts too, and only a verified maintainer's account sees lead emails. A site its maintainers took
-- over has no token holder; an owner change may arrive before the site itself, so the owner id may wait for it.
ALTER TABLE lead_sites ADD COLUMN account_id uuid;
ALTER TABLE lead_sites ADD COLUMN verified boolean NOT NULL DEFAULT false;
ALTER TABLE lead_sites ADD COLUMN owner_changed_at timestamptz;
ALTER TABLE lead_sites ALTER COLUMN owner_token_hash DROP NOT NULL;
ALTER TABLE lead_sites ALTER COLUMN owner_id DROP NOT NULL;
