-- Each site's social card, rendered once per version of what it shows (its variant: a hash of the content, and "-pro"
-- for the card without the FourSite mark), and gone with the site.
CREATE TABLE site_cards (
    site_id     uuid NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    variant     text NOT NULL,
    png         bytea NOT NULL,
    logo_drawn  boolean NOT NULL,
    rendered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, variant)
);
