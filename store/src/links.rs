//! Link history (`link_history`, migration 0006): every URL a creative has carried, with
//! from/to times. The writers of creatives, campaigns, imports and settings record each
//! creative's URL after the write in the same transaction ([`record_link`]); a creative's
//! history survives its deletion (its current row is closed).

use crate::{Store, StoreError};
use sqlx::{AnyConnection, Row};
use utmforge_core::views::LinkPeriod;

/// Records that creative `creative_id` carries `url` from `now` (None: no URL any more — it
/// was deleted, or its URL cannot be built): a different current URL is closed at `now` and
/// the new one opened; the same URL changes nothing. Run after the creative's row is written
/// (the variant and campaign name are read from it).
pub(crate) async fn record_link(
    conn: &mut AnyConnection,
    creative_id: &str,
    url: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    match url {
        None => {
            sqlx::query(
                "UPDATE link_history SET valid_to = $2 WHERE creative_id = $1 AND valid_to IS NULL",
            )
            .bind(creative_id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        }
        Some(url) => {
            sqlx::query(
                "UPDATE link_history SET valid_to = $3
                 WHERE creative_id = $1 AND valid_to IS NULL AND url <> $2",
            )
            .bind(creative_id)
            .bind(url)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            open_link(conn, creative_id, url, now).await?;
        }
    }
    Ok(())
}

/// Opens `url` as creative `creative_id`'s current URL from `from`, unless it has one (true when
/// opened). The variant and campaign name are read from the creative's row.
async fn open_link(
    conn: &mut AnyConnection,
    creative_id: &str,
    url: &str,
    from: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO link_history (creative_id, campaign_id, campaign, variant, url, valid_from)
         SELECT k.id, k.campaign_id, c.name, k.variant, $2, $3
         FROM creatives k JOIN campaigns c ON c.id = k.campaign_id
         WHERE k.id = $1
           AND NOT EXISTS (SELECT 1 FROM link_history WHERE creative_id = $1 AND valid_to IS NULL)",
    )
    .bind(creative_id)
    .bind(url)
    .bind(from)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes the current URL of every creative of campaign `campaign_id` (it is deleted).
pub(crate) async fn close_campaign_links(
    conn: &mut AnyConnection,
    campaign_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE link_history SET valid_to = $2 WHERE campaign_id = $1 AND valid_to IS NULL",
    )
    .bind(campaign_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn period_from_row(row: &sqlx::any::AnyRow) -> Result<LinkPeriod, sqlx::Error> {
    Ok(LinkPeriod {
        creative_id: row.try_get("creative_id")?,
        campaign_id: row.try_get("campaign_id")?,
        campaign: row.try_get("campaign")?,
        variant: row.try_get("variant")?,
        url: row.try_get("url")?,
        from: row.try_get("valid_from")?,
        to: row.try_get("valid_to")?,
        results: None,
    })
}

/// Most periods one answer of [`Store::links_live_between`] holds.
pub const MAX_LIVE_LINKS: usize = 1_000_000;

impl Store {
    /// Every URL creative `creative_id` has carried, the current one first.
    pub async fn link_history(&self, creative_id: &str) -> Result<Vec<LinkPeriod>, StoreError> {
        let rows = sqlx::query(
            "SELECT creative_id, campaign_id, campaign, variant, url, valid_from, valid_to
             FROM link_history WHERE creative_id = $1 ORDER BY valid_from DESC, id DESC",
        )
        .bind(creative_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(period_from_row).collect::<Result<_, _>>()?)
    }

    /// Every URL that was current at some moment in `[start, end)` (Unix milliseconds), by
    /// campaign, variant and time.
    pub async fn links_live_between(
        &self,
        start: i64,
        end: i64,
    ) -> Result<Vec<LinkPeriod>, StoreError> {
        let rows = sqlx::query(
            "SELECT creative_id, campaign_id, campaign, variant, url, valid_from, valid_to
             FROM link_history
             WHERE valid_from < $2 AND (valid_to IS NULL OR valid_to > $1) AND (valid_to IS NULL OR valid_to > valid_from)
             ORDER BY campaign, variant, valid_from, id
             LIMIT $3",
        )
        .bind(start)
        .bind(end)
        .bind(MAX_LIVE_LINKS as i64)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(period_from_row).collect::<Result<_, _>>()?)
    }

    /// Up to `limit` creatives, by id after `after`, that have no current URL in the history
    /// (those written before it was kept, and those whose URL cannot be built).
    pub async fn creatives_without_current_link(
        &self,
        after: &str,
        limit: i64,
    ) -> Result<Vec<utmforge_core::Creative>, StoreError> {
        let rows = sqlx::query(
            "SELECT k.* FROM creatives k
             WHERE k.id > $1 AND NOT EXISTS (SELECT 1 FROM link_history h
                               WHERE h.creative_id = k.id AND h.valid_to IS NULL)
             ORDER BY k.id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok(crate::creative_from_row(r)?))
            .collect()
    }

    /// Starts the history of creatives written before it was kept: each `(creative id, URL,
    /// since)` becomes its current URL, unless another instance recorded one meanwhile.
    pub async fn start_link_history(
        &self,
        links: &[(String, String, i64)],
    ) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut started = 0;
        for (creative_id, url, since) in links {
            if open_link(&mut tx, creative_id, url, *since).await? {
                started += 1;
            }
        }
        tx.commit().await?;
        Ok(started)
    }
}
