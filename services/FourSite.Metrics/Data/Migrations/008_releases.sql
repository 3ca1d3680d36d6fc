-- Every release, rollback and manual slot switch, as the release command or an operator on /ops reported it: who, when,
-- from and to which slot and image, why, the outcome, and the deployment-health decisions it was judged by.
CREATE TABLE releases (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL,
    outcome     text NOT NULL,
    operator    text NOT NULL,
    from_slot   text,
    to_slot     text,
    from_image  text,
    to_image    text,
    reason      text NOT NULL,
    decisions   jsonb NOT NULL DEFAULT '[]',
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX releases_by_time ON releases (finished_at DESC);
