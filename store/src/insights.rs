//! Results per ChatGPT ad and day (migration 0011, `ad_insights`): a pull writes its days in one
//! transaction, a day read again replacing the row kept, and sums each campaign's days again
//! (`ad_campaign_days`, 0012). The Results side reads those sums (per creative ones kept in
//! memory until the next pull), a campaign's days in a range, and a creative's days.

use crate::{Store, StoreError};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Mutex;
use utmforge_core::ads::insights::{AdDay, Totals};
use utmforge_core::ga4::CampaignDay;

/// A campaign's results summed over a range, per creative and per day, and when it was last
/// pulled (none: never).
#[derive(Debug, Clone, Default)]
pub struct ResultSums {
    pub by_creative: Vec<(String, Totals)>,
    pub by_day: Vec<(String, Totals)>,
    pub pulled_at: Option<i64>,
}

/// Most ranges [`SumsCache`] keeps (then it starts again empty).
const SUMS_KEPT: usize = 256;

/// Results sums already computed, by campaign, range and the pull they came from (the count of
/// the campaign's pulls). A campaign's results change only when it is pulled, and the count is
/// read from the database on every use — so a sum is never older than the last pull, on any
/// instance.
#[derive(Debug, Default)]
pub struct SumsCache(Mutex<HashMap<SumsKey, ResultSums>>);

type SumsKey = (String, String, String, i64);

impl SumsCache {
    fn get(&self, key: &SumsKey) -> Option<ResultSums> {
        self.0.lock().ok()?.get(key).cloned()
    }

    fn put(&self, key: SumsKey, sums: ResultSums) {
        if let Ok(mut kept) = self.0.lock() {
            if kept.len() >= SUMS_KEPT {
                kept.clear();
            }
            kept.insert(key, sums);
        }
    }
}

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
        // An ad linked to a creative of another campaign before: that campaign's days lose it.
        let mut others: Vec<String> = Vec::new();
        let mut ads: Vec<&str> = days.iter().map(|(_, d)| d.ad_id.as_str()).collect();
        ads.sort_unstable();
        ads.dedup();
        for ad in ads {
            let moved: Vec<String> = sqlx::query_scalar(
                "SELECT DISTINCT campaign_id FROM ad_insights WHERE ad_id = $1 AND campaign_id <> $2",
            )
            .bind(ad)
            .bind(campaign_id)
            .fetch_all(&mut *tx)
            .await?;
            others.extend(moved);
        }
        others.sort_unstable();
        others.dedup();
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
        // The days the pull touched, summed again: this campaign's, and those of a campaign an
        // ad moved from.
        let first = days.iter().map(|(_, d)| d.day.as_str()).min();
        let last = days.iter().map(|(_, d)| d.day.as_str()).max();
        if let (Some(first), Some(last)) = (first, last) {
            for campaign in std::iter::once(campaign_id).chain(others.iter().map(String::as_str)) {
                sqlx::query(
                    "DELETE FROM ad_campaign_days
                     WHERE campaign_id = $1 AND day >= $2 AND day <= $3",
                )
                .bind(campaign)
                .bind(first)
                .bind(last)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO ad_campaign_days (campaign_id, day, impressions, clicks,
                        spend_micros, conversions, sales_micros)
                     SELECT campaign_id, day, SUM(impressions), SUM(clicks), SUM(spend_micros),
                            SUM(conversions), SUM(sales_micros)
                     FROM ad_insights WHERE campaign_id = $1 AND day >= $2 AND day <= $3
                     GROUP BY campaign_id, day",
                )
                .bind(campaign)
                .bind(first)
                .bind(last)
                .execute(&mut *tx)
                .await?;
            }
        }
        // A campaign an ad moved from changed too: its sums kept in memory are stale.
        for other in &others {
            sqlx::query("UPDATE ad_insights_pulls SET pulls = pulls + 1 WHERE campaign_id = $1")
                .bind(other)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO ad_insights_pulls (campaign_id, pulled_at) VALUES ($1, $2)
             ON CONFLICT (campaign_id)
             DO UPDATE SET pulled_at = $2, pulls = ad_insights_pulls.pulls + 1",
        )
        .bind(campaign_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
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
            .map(|r| Ok((r.try_get("creative_id")?, ad_day(r)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Campaign `campaign_id`'s results from `from` to `to` (`YYYY-MM-DD`, inclusive) summed in
    /// the database, per creative and per day (a sum leaves unknown values out; unknown when
    /// none was known — as [`Totals`]), with when it was last pulled. Answered from memory when
    /// the same range was summed since the campaign's last pull.
    pub async fn results_totals(
        &self,
        campaign_id: &str,
        from: &str,
        to: &str,
    ) -> Result<ResultSums, StoreError> {
        let pull =
            sqlx::query("SELECT pulled_at, pulls FROM ad_insights_pulls WHERE campaign_id = $1")
                .bind(campaign_id)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| {
                    Ok::<_, sqlx::Error>((
                        r.try_get::<i64, _>("pulled_at")?,
                        r.try_get::<i64, _>("pulls")?,
                    ))
                })
                .transpose()?;
        let key = pull.map(|(_, n)| (campaign_id.to_string(), from.to_string(), to.to_string(), n));
        if let Some(hit) = key.as_ref().and_then(|k| self.sums.get(k)) {
            return Ok(hit);
        }
        let sums = ResultSums {
            // Per creative from the ads' days; per day from the campaign's days (summed at the
            // pull).
            by_creative: self
                .totals_rows(
                    "SELECT creative_id AS k, CAST(SUM(impressions) AS BIGINT) AS impressions,
                            CAST(SUM(clicks) AS BIGINT) AS clicks,
                            CAST(SUM(spend_micros) AS BIGINT) AS spend_micros,
                            SUM(conversions) AS conversions,
                            CAST(SUM(sales_micros) AS BIGINT) AS sales_micros
                     FROM ad_insights WHERE campaign_id = $1 AND day >= $2 AND day <= $3
                     GROUP BY creative_id ORDER BY creative_id",
                    campaign_id,
                    from,
                    to,
                )
                .await?,
            by_day: self
                .totals_rows(
                    "SELECT day AS k, impressions, clicks, spend_micros, conversions, sales_micros
                     FROM ad_campaign_days WHERE campaign_id = $1 AND day >= $2 AND day <= $3
                     ORDER BY day",
                    campaign_id,
                    from,
                    to,
                )
                .await?,
            pulled_at: pull.map(|(at, _)| at),
        };
        if let Some(key) = key {
            self.sums.put(key, sums.clone());
        }
        Ok(sums)
    }

    /// The rows of `sql` (over a campaign `$1` and days `$2`–`$3`) as a key `k` and its totals.
    async fn totals_rows(
        &self,
        sql: &str,
        campaign_id: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, Totals)>, StoreError> {
        let rows = sqlx::query(sql)
            .bind(campaign_id)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("k")?,
                    Totals {
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

    /// Creative `creative_id`'s days (its linked ads'), oldest first.
    pub async fn creative_days(&self, creative_id: &str) -> Result<Vec<AdDay>, StoreError> {
        let rows = sqlx::query(
            "SELECT ad_id, day, impressions, clicks, spend_micros, conversions, sales_micros
             FROM ad_insights WHERE creative_id = $1 ORDER BY day, ad_id",
        )
        .bind(creative_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(ad_day)
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// When campaign `campaign_id`'s results were last pulled (none: never).
    pub async fn insights_pulled_at(&self, campaign_id: &str) -> Result<Option<i64>, StoreError> {
        let at: Option<i64> =
            sqlx::query_scalar("SELECT pulled_at FROM ad_insights_pulls WHERE campaign_id = $1")
                .bind(campaign_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(at)
    }

    /// Every campaign's results per day from `from` to `to` (`YYYY-MM-DD`, inclusive): its ads'
    /// rows summed (a sum leaves unknown values out; unknown when none was known), with the
    /// campaign's `utm_campaign` and buying model; by day, then campaign.
    pub async fn campaign_days(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<CampaignDay>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.day, a.campaign_id, c.slug, c.buying_model, a.impressions, a.clicks,
                    a.spend_micros
             FROM ad_campaign_days a JOIN campaigns c ON c.id = a.campaign_id
             WHERE a.day >= $1 AND a.day <= $2
             ORDER BY a.day, a.campaign_id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let medium: String = r.try_get("buying_model")?;
                Ok(CampaignDay {
                    campaign_id: r.try_get("campaign_id")?,
                    slug: r.try_get("slug")?,
                    medium: medium
                        .parse()
                        .map_err(|_| crate::decode_err("buying_model", &medium))?,
                    day: r.try_get("day")?,
                    impressions: r.try_get("impressions")?,
                    clicks: r.try_get("clicks")?,
                    spend_micros: r.try_get("spend_micros")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// The ChatGPT ads spend of campaigns `ids` from `from` to `to` (`YYYY-MM-DD`, inclusive),
    /// in millionths of the account's currency: only campaigns with a known spend are answered.
    pub async fn campaign_spend(
        &self,
        ids: &[String],
        from: &str,
        to: &str,
    ) -> Result<HashMap<String, i64>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let marks: Vec<String> = (3..ids.len() + 3).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT campaign_id, CAST(SUM(spend_micros) AS BIGINT) AS spend FROM ad_campaign_days
             WHERE day >= $1 AND day <= $2 AND spend_micros IS NOT NULL
               AND campaign_id IN ({})
             GROUP BY campaign_id",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(from).bind(to);
        for id in ids {
            q = q.bind(id);
        }
        let mut spend = HashMap::new();
        for row in q.fetch_all(&self.pool).await? {
            let total: Option<i64> = row.try_get("spend")?;
            if let Some(total) = total {
                spend.insert(row.try_get("campaign_id")?, total);
            }
        }
        Ok(spend)
    }
}

fn ad_day(r: &sqlx::any::AnyRow) -> Result<AdDay, sqlx::Error> {
    Ok(AdDay {
        ad_id: r.try_get("ad_id")?,
        day: r.try_get("day")?,
        impressions: r.try_get("impressions")?,
        clicks: r.try_get("clicks")?,
        spend_micros: r.try_get("spend_micros")?,
        conversions: r.try_get("conversions")?,
        sales_micros: r.try_get("sales_micros")?,
    })
}
