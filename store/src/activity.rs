//! The activity log: appended in the same transaction as the write it describes, read with
//! filters. Nothing here updates or deletes an entry (and the table's triggers refuse it).

use crate::{Author, Store, StoreError};
use sqlx::any::AnyRow;
use sqlx::Row;
use utmforge_core::activity::{summary, Action, Detail, Entry, NewEntry};

/// Appends `entry`, made by `by` at `now`, on the transaction of the write it describes.
pub(crate) async fn record<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    by: &Author,
    entry: NewEntry,
    now: i64,
) -> Result<(), StoreError> {
    let detail = serde_json::to_string(&entry.detail)
        .map_err(|e| StoreError::Open(format!("cannot record the activity: {e}")))?;
    sqlx::query(
        "INSERT INTO activity (at, actor_id, actor, action, campaign_id, subject_id, subject, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now)
    .bind(&by.user_id)
    .bind(&by.name)
    .bind(entry.action.as_str())
    .bind(&entry.campaign_id)
    .bind(&entry.subject_id)
    .bind(&entry.subject)
    .bind(detail)
    .execute(exec)
    .await?;
    Ok(())
}

/// Which entries to read; every filter given must match. Newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    pub campaign_id: Option<String>,
    pub actor_id: Option<String>,
    pub action: Option<Action>,
    /// Only entries at or after this time (Unix ms).
    pub since: Option<i64>,
    /// Only entries older than this entry id (the next page).
    pub before_id: Option<i64>,
    pub limit: i64,
}

impl Store {
    /// Entries matching `filter`, newest first.
    pub async fn list_activity(&self, filter: &ActivityFilter) -> Result<Vec<Entry>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM activity
             WHERE ($1 IS NULL OR campaign_id = $1)
               AND ($2 IS NULL OR actor_id = $2)
               AND ($3 IS NULL OR action = $3)
               AND ($4 IS NULL OR at >= $4)
               AND ($5 IS NULL OR id < $5)
             ORDER BY id DESC
             LIMIT $6",
        )
        .bind(&filter.campaign_id)
        .bind(&filter.actor_id)
        .bind(filter.action.map(Action::as_str))
        .bind(filter.since)
        .bind(filter.before_id)
        .bind(filter.limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(entry_from_row).collect()
    }
}

fn entry_from_row(row: &AnyRow) -> Result<Entry, StoreError> {
    let action: String = row.try_get("action")?;
    let action: Action = action
        .parse()
        .map_err(|_| StoreError::Database(crate::decode_err("action", &action)))?;
    let detail: String = row.try_get("detail")?;
    let detail: Detail = serde_json::from_str(&detail)
        .map_err(|_| StoreError::Database(crate::decode_err("detail", &detail)))?;
    let actor: String = row.try_get("actor")?;
    let subject: String = row.try_get("subject")?;
    Ok(Entry {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor_id: row.try_get("actor_id")?,
        summary: summary(&actor, action, &subject, &detail),
        actor,
        action,
        campaign_id: row.try_get("campaign_id")?,
        subject_id: row.try_get("subject_id")?,
        subject,
        changes: detail.changes,
        urls: detail.urls,
        urls_changed: detail.urls_changed,
    })
}
