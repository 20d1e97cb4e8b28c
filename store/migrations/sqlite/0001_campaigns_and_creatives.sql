-- Campaigns and their creatives. Ids are UUIDv7 text; times are Unix milliseconds; `version`
-- goes up by one on every save (optimistic concurrency).
CREATE TABLE campaigns (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    slug         TEXT NOT NULL UNIQUE,
    buying_model TEXT NOT NULL CHECK (buying_model IN ('cpc', 'cpm')),
    topic        TEXT,
    landing_url  TEXT NOT NULL,
    conversion   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'active', 'paused', 'archived')),
    notes        TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE creatives (
    id          TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    variant     TEXT NOT NULL,
    content     TEXT NOT NULL,
    topic       TEXT,
    landing_url TEXT,
    headline    TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (campaign_id, content)
);

CREATE INDEX creatives_by_campaign ON creatives (campaign_id, created_at);
CREATE INDEX campaigns_by_status ON campaigns (status, updated_at);
