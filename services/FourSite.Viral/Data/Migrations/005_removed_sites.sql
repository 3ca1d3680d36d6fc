-- A removed site keeps its row as a tombstone: nothing is counted for it again, its owner token and referral codes stop
-- working, and its creation time still dates its owner's relationship (the commission schedule).
ALTER TABLE viral_scores ADD COLUMN removed_at timestamptz;
