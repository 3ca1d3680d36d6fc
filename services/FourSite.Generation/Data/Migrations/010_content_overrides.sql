-- The copy owners write over the generated one: the writer's latest content (what a regeneration replaces), the owner's
-- fields (what survives it), and every edit, for the history and a restore.
ALTER TABLE websites ADD COLUMN written_site_data jsonb;
ALTER TABLE websites ADD COLUMN content_overrides jsonb;
ALTER TABLE websites ADD COLUMN content_edited_at timestamptz;

CREATE TABLE content_edits (
    id         uuid PRIMARY KEY,
    site_id    uuid NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    overrides  jsonb NOT NULL,
    edited_by  text NOT NULL,
    edited_at  timestamptz NOT NULL
);
CREATE INDEX content_edits_site_idx ON content_edits (site_id, edited_at DESC);
