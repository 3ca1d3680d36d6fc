-- What a visitor agreed to at their latest capture: the version of the form's consent text, when (server time), and the
-- page the form was on, and whom the form named as the recipient (the site's verified maintainers or its launcher). Their
-- newsletter choice is newsletter_opt_in; a capture from an older page has no version.
ALTER TABLE leads
    ADD COLUMN consent_version   text,
    ADD COLUMN consent_recipient text CHECK (consent_recipient IN ('verified_maintainers', 'page_owner')),
    ADD COLUMN consent_at      timestamptz,
    ADD COLUMN consent_page    text;
