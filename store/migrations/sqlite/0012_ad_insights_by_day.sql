-- The GA4 cost data file reads every campaign's results over a range of days.
CREATE INDEX ad_insights_by_day ON ad_insights (day, campaign_id);
