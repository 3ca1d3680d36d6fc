-- A commission the referral fraud signals flagged is held (hold_reason says why) until an operator releases it
-- (released_at) or reverses it; a held commission is never paid out. Adjustments of a held commission are held with it.
ALTER TABLE commissions ADD COLUMN hold_reason text;
ALTER TABLE commissions ADD COLUMN released_at timestamptz;
CREATE INDEX commissions_held_idx ON commissions (created_at) WHERE hold_reason IS NOT NULL AND released_at IS NULL AND reversed_at IS NULL;
