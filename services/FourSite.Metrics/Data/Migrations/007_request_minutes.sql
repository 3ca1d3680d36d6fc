-- The gateway's requests per minute, kept past Redis' two days for the service level objectives' 30-day window: all
-- requests, server errors, rate-limited refusals (429, outside the availability objective), and of the requests whose
-- time was measured, how many were answered within 500 ms, 2 s and 5 s.
CREATE TABLE request_minutes (
    minute        timestamptz PRIMARY KEY,
    requests      bigint NOT NULL,
    server_errors bigint NOT NULL,
    throttled     bigint NOT NULL,
    timed         bigint NOT NULL,
    within_500ms  bigint NOT NULL,
    within_2s     bigint NOT NULL,
    within_5s     bigint NOT NULL
);
