-- A person's own link to see, download and erase what FourSite holds about their address (email holds it, normalised).
ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check CHECK (purpose IN ('subscription', 'notification_address', 'privacy'));
CREATE INDEX email_tokens_privacy_idx ON email_tokens (email, created_at) WHERE purpose = 'privacy';
