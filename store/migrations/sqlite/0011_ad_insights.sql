-- Results per ChatGPT ad and day (the ad account's calendar), from OpenAI's Insights API. A day
-- pulled again replaces its row (spend is finalized later). NULL: unknown, never zero.
CREATE TABLE ad_insights (
    ad_id         TEXT NOT NULL,
    day           TEXT NOT NULL,
    campaign_id   TEXT NOT NULL,
    creative_id   TEXT NOT NULL,
    impressions   INTEGER,
    clicks        INTEGER,
    spend_micros  INTEGER,
    conversions   REAL,
    sales_micros  INTEGER,
    pulled_at     INTEGER NOT NULL,
    PRIMARY KEY (ad_id, day)
);
CREATE INDEX ad_insights_by_campaign ON ad_insights (campaign_id, day);
