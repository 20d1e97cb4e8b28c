-- Reading results without touching the table's rows (index-only, measured with
-- scripts/bench-results.sh): the GA4 cost data file sums every campaign's days over a range;
-- the Results tab and the campaigns list sum a campaign's days per creative and per day; a
-- creative's link history reads that creative's days.
CREATE INDEX ad_insights_by_day ON ad_insights (day, campaign_id, impressions, clicks, spend_micros);
DROP INDEX ad_insights_by_campaign;
CREATE INDEX ad_insights_by_campaign ON ad_insights
    (campaign_id, day, creative_id, impressions, clicks, spend_micros, conversions, sales_micros);
CREATE INDEX ad_insights_by_creative ON ad_insights (creative_id, day);
