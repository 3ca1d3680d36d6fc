-- New site owners (the signups rule) look up each owner's earlier sites: by owner, among completed generations.
CREATE INDEX analytics_events_site_owner_idx ON analytics_events ((coalesce(properties->>'accountId', properties->>'ownerId')), occurred_at)
    WHERE event_type = 'generation_completed';
