//! Results per ChatGPT ad and day (migration 0011, `ad_insights`): a pull writes its days in one
//! transaction, a day read again replacing the row kept; the Results side reads a campaign's
//! days in a date range.

use crate::{Store, StoreError};
use sqlx::Row;
use utmforge_core::ads::insights::AdDay;

impl Store {
    /// Keeps `days` of campaign `campaign_id` (each with its creative), replacing the rows of
    /// the same ad and day, stamped `now`; answers how many were written.
    pub async fn save_ad_days(
        &self,
        campaign_id: &str,
        days: &[(String, AdDay)],
        now: i64,
    ) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        for (creative_id, d) in days {
            sqlx::query(
                "INSERT INTO ad_insights (ad_id, day, campaign_id, creative_id, impressions, clicks,
                    spend_micros, conversions, sales_micros, pulled_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (ad_id, day) DO UPDATE SET campaign_id = $3, creative_id = $4,
                    impressions = $5, clicks = $6, spend_micros = $7, conversions = $8,
                    sales_micros = $9, pulled_at = $10",
            )
            .bind(&d.ad_id)
            .bind(&d.day)
            .bind(campaign_id)
            .bind(creative_id)
            .bind(d.impressions)
            .bind(d.clicks)
            .bind(d.spend_micros)
            .bind(d.conversions)
            .bind(d.sales_micros)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(days.len())
    }

    /// Campaign `campaign_id`'s days from `from` to `to` (`YYYY-MM-DD`, inclusive), each with its
    /// creative, by creative then day.
    pub async fn ad_days(
        &self,
        campaign_id: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, AdDay)>, StoreError> {
        let rows = sqlx::query(
            "SELECT creative_id, ad_id, day, impressions, clicks, spend_micros, conversions,
                    sales_micros
             FROM ad_insights WHERE campaign_id = $1 AND day >= $2 AND day <= $3
             ORDER BY creative_id, day",
        )
        .bind(campaign_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("creative_id")?,
                    AdDay {
                        ad_id: r.try_get("ad_id")?,
                        day: r.try_get("day")?,
                        impressions: r.try_get("impressions")?,
                        clicks: r.try_get("clicks")?,
                        spend_micros: r.try_get("spend_micros")?,
                        conversions: r.try_get("conversions")?,
                        sales_micros: r.try_get("sales_micros")?,
                    },
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// When campaign `campaign_id`'s results were last pulled (none: never).
    pub async fn insights_pulled_at(&self, campaign_id: &str) -> Result<Option<i64>, StoreError> {
        let at: Option<i64> =
            sqlx::query_scalar("SELECT MAX(pulled_at) FROM ad_insights WHERE campaign_id = $1")
                .bind(campaign_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(at)
    }
}
