-- Lists at scale: each campaign keeps its creative count (kept exact in every creative write's
-- transaction), so a page of the list and its "creatives" order need no COUNT over creatives;
-- keyset indexes for each order. The trash: a deleted campaign (with its creatives) or creative,
-- as the JSON it had, restorable for 30 days.
ALTER TABLE campaigns ADD COLUMN creative_count INTEGER NOT NULL DEFAULT 0;
UPDATE campaigns SET creative_count = (SELECT COUNT(*) FROM creatives k WHERE k.campaign_id = campaigns.id);
CREATE INDEX campaigns_by_updated ON campaigns (updated_at, id);
CREATE INDEX campaigns_by_name ON campaigns (lower(name), id);
CREATE INDEX campaigns_by_creatives ON campaigns (creative_count, id);

CREATE TABLE trash (
    id          TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('campaign', 'creative')),
    campaign_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    deleted_at  INTEGER NOT NULL,
    deleted_by  TEXT NOT NULL,
    document    TEXT NOT NULL
);
CREATE INDEX trash_by_deleted ON trash (deleted_at, id);
CREATE INDEX trash_by_campaign ON trash (campaign_id);
