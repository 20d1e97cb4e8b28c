-- Workspace settings (the team's rules): one JSON document per key, versioned so that two
-- admins saving at once cannot overwrite each other silently.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    version    BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
