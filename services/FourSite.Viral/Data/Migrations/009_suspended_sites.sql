-- Sites an operator suspended: left out of the showcase while kind is set. A reinstatement clears kind; changed_at keeps
-- the latest decision, so events arriving out of order cannot undo a newer one. Shares and scores stay.
CREATE TABLE suspended_sites (
    site_id    uuid PRIMARY KEY,
    kind       text,
    changed_at timestamptz NOT NULL
);
