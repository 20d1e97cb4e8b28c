-- Reading results without touching the table's rows (index-only, measured with
-- scripts/bench-results.sh): the GA4 cost data file sums every campaign's days over a range;
-- the Results tab and the campaigns list sum a campaign's days per creative and per day; a
-- creative's link history reads that creative's days.
CREATE INDEX ad_insights_by_day ON ad_insights (day, campaign_id, impressions, clicks, spend_micros);
DROP INDEX ad_insights_by_campaign;
CREATE INDEX ad_insights_by_campaign ON ad_insights
    (campaign_id, day, creative_id, impressions, clicks, spend_micros, conversions, sales_micros);
CREATE INDEX ad_insights_by_creative ON ad_insights (creative_id, day);
-- When each campaign's results were last pulled, and how many times: read on every Results
-- view (it names the moment; the count keys the in-memory copy of the sums), so one row, not a
-- scan of the days.
CREATE TABLE ad_insights_pulls (
    campaign_id TEXT PRIMARY KEY NOT NULL,
    pulled_at   BIGINT NOT NULL,
    pulls       BIGINT NOT NULL DEFAULT 1
);
INSERT INTO ad_insights_pulls (campaign_id, pulled_at)
    SELECT campaign_id, MAX(pulled_at) FROM ad_insights GROUP BY campaign_id;
