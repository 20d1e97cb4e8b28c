//! ChatGPT Ads links (migration 0009): which ChatGPT Ads campaign and ad group a campaign
//! publishes to (`ads_campaign_links`), which ad each creative is and what was last read of it
//! (`ad_links`). Linking and publishing write their activity entry in the same transaction.

use crate::{activity, Author, Store, StoreError};
use sqlx::any::AnyRow;
use sqlx::Row;
use utmforge_core::activity::NewEntry;
use utmforge_core::ads::{AdLink, CampaignLink};

fn campaign_link(row: &AnyRow) -> Result<CampaignLink, sqlx::Error> {
    Ok(CampaignLink {
        campaign_id: row.try_get("campaign_id")?,
        ads_campaign_id: row.try_get("ads_campaign_id")?,
        ads_campaign_name: row.try_get("ads_campaign_name")?,
        ad_group_id: row.try_get("ad_group_id")?,
        ad_group_name: row.try_get("ad_group_name")?,
        linked_at: row.try_get("linked_at")?,
    })
}

fn ad_link(row: &AnyRow) -> Result<AdLink, sqlx::Error> {
    let issues: String = row.try_get("serving_issues")?;
    Ok(AdLink {
        creative_id: row.try_get("creative_id")?,
        campaign_id: row.try_get("campaign_id")?,
        ad_id: row.try_get("ad_id")?,
        ad_name: row.try_get("ad_name")?,
        target_url: row.try_get("target_url")?,
        status: row.try_get("status")?,
        review_status: row.try_get("review_status")?,
        serving_issues: serde_json::from_str(&issues).unwrap_or_default(),
        synced_at: row.try_get("synced_at")?,
        sync_error: row.try_get("sync_error")?,
        linked_at: row.try_get("linked_at")?,
    })
}

const AD_LINK_COLUMNS: &str = "creative_id, campaign_id, ad_id, ad_name, target_url, status,
    review_status, serving_issues, synced_at, sync_error, linked_at";

impl Store {
    /// The ChatGPT Ads campaign and ad group campaign `campaign_id` publishes to, if linked.
    pub async fn ads_campaign_link(
        &self,
        campaign_id: &str,
    ) -> Result<Option<CampaignLink>, StoreError> {
        let row = sqlx::query(
            "SELECT campaign_id, ads_campaign_id, ads_campaign_name, ad_group_id, ad_group_name,
                    linked_at
             FROM ads_campaign_links WHERE campaign_id = $1",
        )
        .bind(campaign_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| campaign_link(&r)).transpose()?)
    }

    /// Links campaign `link.campaign_id` to a ChatGPT Ads campaign and ad group (replacing an
    /// earlier link; its creatives' ad links stay), with `entry` in the log.
    pub async fn link_ads_campaign(
        &self,
        link: &CampaignLink,
        by: &Author,
        entry: NewEntry,
    ) -> Result<CampaignLink, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO ads_campaign_links
               (campaign_id, ads_campaign_id, ads_campaign_name, ad_group_id, ad_group_name,
                linked_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (campaign_id) DO UPDATE SET ads_campaign_id = $2,
               ads_campaign_name = $3, ad_group_id = $4, ad_group_name = $5, linked_at = $6",
        )
        .bind(&link.campaign_id)
        .bind(&link.ads_campaign_id)
        .bind(&link.ads_campaign_name)
        .bind(&link.ad_group_id)
        .bind(&link.ad_group_name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        activity::record(&mut *tx, by, entry, now).await?;
        tx.commit().await?;
        Ok(CampaignLink {
            linked_at: now,
            ..link.clone()
        })
    }

    /// The ad links of campaign `campaign_id` whose creative exists (not in the trash).
    pub async fn ad_links(&self, campaign_id: &str) -> Result<Vec<AdLink>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {AD_LINK_COLUMNS} FROM ad_links
             WHERE campaign_id = $1 AND creative_id IN (SELECT id FROM creatives)
             ORDER BY linked_at, creative_id"
        ))
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(ad_link).collect::<Result<_, _>>()?)
    }

    /// What was last read of every linked ad, by creative: (`target_url`, `review_status`) —
    /// the campaigns list's problems filter compares them with the creatives' URLs.
    pub async fn ad_states(
        &self,
    ) -> Result<std::collections::HashMap<String, (Option<String>, Option<String>)>, StoreError>
    {
        let rows = sqlx::query("SELECT creative_id, target_url, review_status FROM ad_links")
            .fetch_all(&self.pool)
            .await?;
        let mut states = std::collections::HashMap::new();
        for row in rows {
            states.insert(
                row.try_get("creative_id")?,
                (row.try_get("target_url")?, row.try_get("review_status")?),
            );
        }
        Ok(states)
    }

    /// Every campaign with a ChatGPT Ads link (the sync reads their ads).
    pub async fn ads_linked_campaigns(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT campaign_id FROM ads_campaign_links ORDER BY campaign_id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get("campaign_id"))
            .collect::<Result<_, _>>()?)
    }

    /// Sets which ad each creative is (`(creative id, ad id, ad name)`; an empty ad id
    /// unlinks the creative): an ad is one creative's, so a link it had elsewhere goes. One
    /// transaction with `entry` in the log.
    pub async fn link_ads(
        &self,
        campaign_id: &str,
        links: &[(String, String, String)],
        by: &Author,
        entry: NewEntry,
    ) -> Result<Vec<AdLink>, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        for (creative_id, ad_id, ad_name) in links {
            sqlx::query("DELETE FROM ad_links WHERE creative_id = $1 OR ad_id = $2")
                .bind(creative_id)
                .bind(ad_id)
                .execute(&mut *tx)
                .await?;
            if ad_id.is_empty() {
                continue;
            }
            sqlx::query(
                "INSERT INTO ad_links (creative_id, campaign_id, ad_id, ad_name, linked_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(creative_id)
            .bind(campaign_id)
            .bind(ad_id)
            .bind(ad_name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        activity::record(&mut *tx, by, entry, now).await?;
        tx.commit().await?;
        self.ad_links(campaign_id).await
    }

    /// Keeps what was read of each linked ad (a sync, or a publish's answers), and `entry` in
    /// the log when given (a publish).
    pub async fn record_ad_reads(
        &self,
        reads: &[AdLink],
        logged: Option<(&Author, NewEntry)>,
    ) -> Result<(), StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        for link in reads {
            sqlx::query(
                "UPDATE ad_links SET ad_name = $2, target_url = $3, status = $4,
                   review_status = $5, serving_issues = $6, synced_at = $7, sync_error = $8
                 WHERE creative_id = $1 AND ad_id = $9",
            )
            .bind(&link.creative_id)
            .bind(&link.ad_name)
            .bind(&link.target_url)
            .bind(&link.status)
            .bind(&link.review_status)
            .bind(serde_json::to_string(&link.serving_issues).unwrap_or_else(|_| "[]".into()))
            .bind(link.synced_at)
            .bind(&link.sync_error)
            .bind(&link.ad_id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some((by, entry)) = logged {
            activity::record(&mut *tx, by, entry, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
