-- Browser sessions (the PostgreSQL twin of migrations/sqlite/0003): `data` is the session record
-- as JSON, `expires_at` Unix milliseconds. Every instance reads and writes them here.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY NOT NULL,
    data       TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
