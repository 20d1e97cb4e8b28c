-- The GA4 cost data file reads every campaign's results over a range of days; a creative's
-- link history reads that creative's days.
CREATE INDEX ad_insights_by_day ON ad_insights (day, campaign_id);
CREATE INDEX ad_insights_by_creative ON ad_insights (creative_id, day);
