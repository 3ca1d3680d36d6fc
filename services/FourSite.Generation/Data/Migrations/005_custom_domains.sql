-- Custom domains of Pro sites: claimed by a site's owner, verified by a TXT record; a domain is verified for one site at most.
CREATE TABLE custom_domains (
    domain             text        NOT NULL,
    site_id            uuid        NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    verification_value text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    verified_at        timestamptz,
    PRIMARY KEY (domain, site_id)
);
CREATE UNIQUE INDEX custom_domains_verified_idx ON custom_domains (domain) WHERE verified_at IS NOT NULL;
CREATE INDEX custom_domains_site_idx ON custom_domains (site_id);
