-- Link checks (issue 14). A run checks a campaign's creatives or pasted URLs in the background
-- of the request that started it; its results arrive one by one (`seq` = the order they
-- finished, so a poll asks only for what is new). `heartbeat_at` moves with every result: a
-- run that stops moving (its instance died) is reported as interrupted.
CREATE TABLE link_check_runs (
    id           TEXT PRIMARY KEY NOT NULL,
    campaign_id  TEXT REFERENCES campaigns (id) ON DELETE CASCADE,
    started_by   TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL,
    finished_at  INTEGER,
    total        INTEGER NOT NULL,
    done         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX link_check_runs_by_campaign ON link_check_runs (campaign_id, started_at);
CREATE INDEX link_check_runs_by_start ON link_check_runs (started_at);

CREATE TABLE link_check_results (
    run_id      TEXT NOT NULL REFERENCES link_check_runs (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    url         TEXT NOT NULL,
    creative_id TEXT,
    verdict     TEXT NOT NULL,
    report      TEXT NOT NULL,
    checked_at  INTEGER NOT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX link_check_results_by_seq ON link_check_results (run_id, seq);

-- Each creative's latest check, and since when its link has been broken (cleared once it
-- works again).
CREATE TABLE creative_link_checks (
    creative_id  TEXT PRIMARY KEY NOT NULL REFERENCES creatives (id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    verdict      TEXT NOT NULL,
    report       TEXT NOT NULL,
    checked_at   INTEGER NOT NULL,
    broken_since INTEGER
);

-- Work that one instance at a time does (the scheduled re-check): whoever moves `until`
-- forward from the past holds it until then.
CREATE TABLE leases (
    name   TEXT PRIMARY KEY NOT NULL,
    holder TEXT NOT NULL,
    held_until INTEGER NOT NULL
);
