//! Workspace settings: the team's rules as one versioned JSON document (`settings` table,
//! migration 0005). A save names the version it was based on; a save based on an older one is
//! refused (409), and the change is in the activity log in the same transaction.

use crate::{activity, Author, Store, StoreError};
use sqlx::Row;
use utmforge_core::activity::NewEntry;
use utmforge_core::rules::{StoredRules, TeamRules};

const TEAM_RULES: &str = "team-rules";

impl Store {
    /// The team's rules (none saved yet: no rules, version 0).
    pub async fn team_rules(&self) -> Result<StoredRules, StoreError> {
        let row = sqlx::query("SELECT value, version, updated_at FROM settings WHERE key = $1")
            .bind(TEAM_RULES)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(StoredRules::default());
        };
        let value: String = row.try_get("value")?;
        let rules = serde_json::from_str(&value)
            .map_err(|e| StoreError::Open(format!("the stored team rules cannot be read: {e}")))?;
        Ok(StoredRules {
            rules,
            version: row.try_get("version")?,
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// Saves `rules` if the stored ones are still at `version`, with `entry` in the log and
    /// `links` (`(creative id, URL)`: those the new rules changed, e.g. `utm_id` switched on)
    /// in the link history.
    pub async fn save_team_rules(
        &self,
        rules: &TeamRules,
        version: i64,
        by: &Author,
        entry: NewEntry,
        links: &[(String, Option<String>)],
    ) -> Result<StoredRules, StoreError> {
        let value = serde_json::to_string(rules)
            .map_err(|e| StoreError::Open(format!("cannot store the team rules: {e}")))?;
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        let saved = if version == 0 {
            sqlx::query(
                "INSERT INTO settings (key, value, version, updated_at) VALUES ($1, $2, 1, $3)
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(TEAM_RULES)
            .bind(&value)
            .bind(now)
            .execute(&mut *tx)
            .await?
        } else {
            sqlx::query(
                "UPDATE settings SET value = $2, version = version + 1, updated_at = $4
                 WHERE key = $1 AND version = $3",
            )
            .bind(TEAM_RULES)
            .bind(&value)
            .bind(version)
            .bind(now)
            .execute(&mut *tx)
            .await?
        };
        if saved.rows_affected() != 1 {
            return Err(StoreError::stale("workspace's settings"));
        }
        for (creative_id, url) in links {
            crate::links::record_link(&mut tx, creative_id, url.as_deref(), now).await?;
        }
        activity::record(&mut *tx, by, entry, now).await?;
        tx.commit().await?;
        self.team_rules().await
    }
}
