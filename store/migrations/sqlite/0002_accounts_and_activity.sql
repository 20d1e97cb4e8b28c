-- People, their API tokens, invitations, the one-time setup link, failed sign-ins (the brute
-- force limit) and the activity log. Secrets are stored only as SHA-256 hashes (tokens, links)
-- or argon2id hashes (passwords). Times are Unix milliseconds.
CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin', 'owner')),
    password_hash TEXT NOT NULL,
    disabled_at   INTEGER,
    -- Sessions signed in before this time no longer count (a new password ends them).
    sessions_after INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin', 'owner')),
    hash         TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);

CREATE TABLE invitations (
    id         TEXT PRIMARY KEY NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin', 'owner')),
    invited_by TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    used_by    TEXT REFERENCES users (id)
);

CREATE TABLE setup_tokens (
    hash       TEXT PRIMARY KEY NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sign_in_failures (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    email   TEXT NOT NULL,
    address TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at);

-- Append-only: no foreign keys (a deleted campaign keeps its history) and triggers refuse
-- every UPDATE and DELETE.
CREATE TABLE activity (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    actor_id    TEXT,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    campaign_id TEXT,
    subject_id  TEXT,
    subject     TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX activity_by_campaign ON activity (campaign_id, id);
CREATE INDEX activity_by_actor ON activity (actor_id, id);

CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;

CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
BEGIN
    SELECT RAISE(ABORT, 'the activity log is append-only');
END;

-- Browser sessions, in the schema of tower-sessions' SQLite store (which reads and writes
-- them): in the database, so that several instances share them and a restart keeps them.
CREATE TABLE tower_sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
