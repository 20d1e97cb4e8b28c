-- Link history: every URL each creative has carried, from when to when (Unix milliseconds;
-- `valid_to` NULL while it is the current one). Written in the same transaction as the
-- creative, campaign, import or settings write that changed the URL. No foreign keys: the
-- history of a deleted creative or campaign stays (its rows are closed), because clicks
-- counted on those links still need reconciling. `campaign` and `variant` are as they were.
CREATE TABLE link_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    creative_id TEXT NOT NULL,
    campaign_id TEXT NOT NULL,
    campaign    TEXT NOT NULL,
    variant     TEXT NOT NULL,
    url         TEXT NOT NULL,
    valid_from  INTEGER NOT NULL,
    valid_to    INTEGER
);
-- At most one current URL per creative (two instances recording at once cannot both add one).
CREATE UNIQUE INDEX link_history_current ON link_history (creative_id) WHERE valid_to IS NULL;
CREATE INDEX link_history_creative ON link_history (creative_id, valid_from);
CREATE INDEX link_history_from ON link_history (valid_from);
