-- A share, visit or lead adds to one of a few increment rows of its site (per platform), never to the site's own row:
-- shares of a site going viral do not wait on each other. The increments are folded into viral_scores every second.
CREATE TABLE score_increments (
    website_id      uuid             NOT NULL,
    platform        text             NOT NULL, -- '' for visits and leads
    slot            smallint         NOT NULL,
    shares          integer          NOT NULL,
    visits          integer          NOT NULL,
    leads           integer          NOT NULL,
    share_points    double precision NOT NULL, -- faded to share_points_at
    share_points_at timestamptz      NOT NULL,
    PRIMARY KEY (website_id, platform, slot)
);

-- Each site's folded shares per platform, so its record never counts every share it ever had.
CREATE TABLE share_counts (
    website_id uuid    NOT NULL,
    platform   text    NOT NULL,
    shares     integer NOT NULL,
    PRIMARY KEY (website_id, platform)
);

INSERT INTO share_counts (website_id, platform, shares)
SELECT website_id, platform, count(*) FROM shares GROUP BY website_id, platform;
