//! Creatives: a campaign's list, one creative, create and update, and the row writers.

use super::*;

impl Store {
    // --- creatives -------------------------------------------------------------------------

    /// A campaign's creatives, oldest first (the order they were added).
    pub async fn list_creatives(&self, campaign_id: &str) -> Result<Vec<Creative>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM creatives WHERE campaign_id = $1 ORDER BY created_at, id")
                .bind(campaign_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| Ok(creative_from_row(r)?)).collect()
    }

    /// The creatives of campaigns `ids`, by campaign id, each campaign's oldest first.
    pub async fn creatives_of(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Vec<Creative>>, StoreError> {
        let mut by_campaign: HashMap<String, Vec<Creative>> = HashMap::new();
        if ids.is_empty() {
            return Ok(by_campaign);
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT * FROM creatives WHERE campaign_id IN ({}) ORDER BY campaign_id, created_at, id",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id);
        }
        for row in q.fetch_all(&self.pool).await? {
            let k = creative_from_row(&row)?;
            by_campaign
                .entry(k.campaign_id.clone())
                .or_default()
                .push(k);
        }
        Ok(by_campaign)
    }

    pub async fn get_creative(&self, id: &str) -> Result<Creative, StoreError> {
        let row = sqlx::query("SELECT * FROM creatives WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("creative"))?;
        Ok(creative_from_row(&row)?)
    }

    /// Adds a creative to campaign `campaign_id`. The campaign's version goes up in the same
    /// transaction: a campaign's version changes whenever anything it holds changes, so a
    /// delete or an import planned against an older version is refused.
    pub async fn create_creative(
        &self,
        campaign_id: &str,
        input: &ValidCreative,
        by: &Author,
        entry: NewEntry,
    ) -> Result<Creative, StoreError> {
        let id = new_id();
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        if !bump_campaign(&mut *tx, campaign_id, None, now).await? {
            return Err(StoreError::NotFound("campaign"));
        }
        match insert_creative(&mut tx, &id, campaign_id, input, now).await {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Err(duplicate_variant(&input.content)),
            Err(e) => return Err(e.into()),
        }
        links::record_link(&mut tx, &id, Some(&input.tagged.url), now).await?;
        recount(&mut *tx, campaign_id).await?;
        activity::record(
            &mut *tx,
            by,
            entry.campaign(campaign_id).subject_id(&id),
            now,
        )
        .await?;
        tx.commit().await?;
        self.get_creative(&id).await
    }

    /// Saves `input` over creative `id` if it is still at `version` (and bumps its campaign's
    /// version in the same transaction).
    pub async fn update_creative(
        &self,
        id: &str,
        version: i64,
        input: &ValidCreative,
        by: &Author,
        entry: NewEntry,
    ) -> Result<Creative, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        match update_creative_row(&mut *tx, id, version, input, now).await {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => {
                drop(tx);
                return Err(self.stale_or_missing("creatives", id, "creative").await);
            }
            Err(e) if is_unique_violation(&e) => return Err(duplicate_variant(&input.content)),
            Err(e) => return Err(e.into()),
        }
        bump_campaign_of_creative(&mut *tx, id, now).await?;
        links::record_link(&mut tx, id, Some(&input.tagged.url), now).await?;
        activity::record(&mut *tx, by, entry, now).await?;
        tx.commit().await?;
        self.get_creative(id).await
    }
}

/// Writes creative row `k` as it is (ids, version and times included).
pub(crate) async fn insert_creative_row(
    conn: &mut sqlx::AnyConnection,
    k: &Creative,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO creatives
           (id, campaign_id, variant, content, topic, landing_url, headline, description, notes, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&k.id)
    .bind(&k.campaign_id)
    .bind(&k.variant)
    .bind(&k.content)
    .bind(&k.topic)
    .bind(&k.landing_url)
    .bind(&k.headline)
    .bind(&k.description)
    .bind(&k.notes)
    .bind(k.version)
    .bind(k.created_at)
    .bind(k.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The one INSERT of a creative, on the pool or inside a transaction.
pub(crate) async fn insert_creative(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    campaign_id: &str,
    input: &ValidCreative,
    now: i64,
) -> Result<(), sqlx::Error> {
    let row = Creative {
        id: id.into(),
        campaign_id: campaign_id.into(),
        variant: input.variant.clone(),
        content: input.content.clone(),
        topic: input.topic.clone(),
        landing_url: input.landing_url.clone(),
        headline: input.headline.clone(),
        description: input.description.clone(),
        notes: input.notes.clone(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    insert_creative_row(conn, &row).await
}

/// The one guarded UPDATE of a creative (`WHERE version = ?`): no row affected means stale or
/// gone.
pub(crate) async fn update_creative_row<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    id: &str,
    version: i64,
    input: &ValidCreative,
    now: i64,
) -> Result<sqlx::any::AnyQueryResult, sqlx::Error> {
    sqlx::query(
        "UPDATE creatives SET variant = $3, content = $4, topic = $5, landing_url = $6, headline = $7,
           description = $8, notes = $9, version = version + 1, updated_at = $10
         WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(&input.variant)
    .bind(&input.content)
    .bind(&input.topic)
    .bind(&input.landing_url)
    .bind(&input.headline)
    .bind(&input.description)
    .bind(&input.notes)
    .bind(now)
    .execute(exec)
    .await
}

pub(crate) fn duplicate_variant(content: &str) -> StoreError {
    StoreError::Conflict(Notice::new(
        Code::Duplicate,
        Field::Content,
        format!("this campaign already has a creative with utm_content={content}: choose a different variant name"),
    ))
}

pub(crate) fn creative_from_row(row: &AnyRow) -> Result<Creative, sqlx::Error> {
    Ok(Creative {
        id: row.try_get("id")?,
        campaign_id: row.try_get("campaign_id")?,
        variant: row.try_get("variant")?,
        content: row.try_get("content")?,
        topic: row.try_get("topic")?,
        landing_url: row.try_get("landing_url")?,
        headline: row.try_get("headline")?,
        description: row.try_get("description")?,
        notes: row.try_get("notes")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}
