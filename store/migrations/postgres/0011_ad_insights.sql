-- Results per ChatGPT ad and day (the ad account's calendar), from OpenAI's Insights API. A day
-- pulled again replaces its row (spend is finalized later). NULL: unknown, never zero.
CREATE TABLE ad_insights (
    ad_id         TEXT NOT NULL,
    day           TEXT NOT NULL,
    campaign_id   TEXT NOT NULL,
    creative_id   TEXT NOT NULL,
    impressions   BIGINT,
    clicks        BIGINT,
    spend_micros  BIGINT,
    conversions   DOUBLE PRECISION,
    sales_micros  BIGINT,
    pulled_at     BIGINT NOT NULL,
    PRIMARY KEY (ad_id, day)
);
CREATE INDEX ad_insights_by_campaign ON ad_insights (campaign_id, day);
