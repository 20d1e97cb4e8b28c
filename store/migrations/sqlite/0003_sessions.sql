-- Browser sessions in utmforge's own table (read and written by the store, the same SQL on
-- SQLite and PostgreSQL) instead of tower-sessions' SQLite-only one: `data` is the session
-- record as JSON, `expires_at` Unix milliseconds. Sessions signed in before this migration end
-- (people sign in once more).
DROP TABLE tower_sessions;

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY NOT NULL,
    data       TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
