-- ChatGPT Ads: which ChatGPT Ads campaign and ad group a utmforge campaign publishes to, which
-- ad each creative is, and what the last sync (or publish) read of that ad. No foreign keys
-- (as link_history): a campaign or creative in the trash keeps its link for a restore; the
-- lists read only links whose creative exists.
CREATE TABLE ads_campaign_links (
    campaign_id       TEXT PRIMARY KEY NOT NULL,
    ads_campaign_id   TEXT NOT NULL,
    ads_campaign_name TEXT NOT NULL,
    ad_group_id       TEXT NOT NULL,
    ad_group_name     TEXT NOT NULL,
    linked_at         BIGINT NOT NULL
);
-- One ad per creative and one creative per ad.
CREATE TABLE ad_links (
    creative_id    TEXT PRIMARY KEY NOT NULL,
    campaign_id    TEXT NOT NULL,
    ad_id          TEXT NOT NULL UNIQUE,
    ad_name        TEXT NOT NULL,
    target_url     TEXT,
    status         TEXT,
    review_status  TEXT,
    serving_issues TEXT NOT NULL DEFAULT '[]',
    synced_at      BIGINT,
    sync_error     TEXT,
    linked_at      BIGINT NOT NULL
);
CREATE INDEX ad_links_by_campaign ON ad_links (campaign_id);
