-- A reporter's contact address, keyed as every service keys a person (SHA-256 of the normalised address), so that their
-- erasure reaches their reports too. Earlier rows are keyed by the lower-cased address, which normalises most.
ALTER TABLE site_reports ADD COLUMN contact_hash text;
UPDATE site_reports SET contact_hash = encode(sha256(convert_to(lower(trim(contact)), 'UTF8')), 'hex') WHERE contact IS NOT NULL;
CREATE INDEX site_reports_contact_hash_idx ON site_reports (contact_hash) WHERE contact_hash IS NOT NULL;
