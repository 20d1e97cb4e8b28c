//! The trash (`trash`, migration 0007): a deleted campaign (with its creatives) or creative is
//! kept as the JSON it had for [`TRASH_DAYS`] days, out of every list and export, and can be
//! restored — with the same ids and URLs — until it is purged.

use crate::{activity, is_unique_violation, links, recount, Author, Store, StoreError};
use sqlx::{AnyConnection, Row};
use utmforge_core::activity::NewEntry;
use utmforge_core::listing::TrashCursor;
use utmforge_core::views::{TrashItem, TrashList, Trashed, TRASH_DAYS};
use utmforge_core::{Campaign, Code, Creative, Field, Notice};

const DAY_MS: i64 = 86_400_000;

fn encode(t: &Trashed) -> Result<String, StoreError> {
    serde_json::to_string(t)
        .map_err(|e| StoreError::Open(format!("cannot keep it in the trash: {e}")))
}

/// A trash row's names, and what the list shows of it: a campaign's slug and creative count.
struct Entry<'a> {
    id: &'a str,
    kind: &'a str,
    campaign_id: &'a str,
    name: &'a str,
    slug: Option<&'a str>,
    creatives: i64,
}

async fn put(
    conn: &mut AnyConnection,
    e: &Entry<'_>,
    by: &Author,
    document: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let Entry {
        id,
        kind,
        campaign_id,
        name,
        slug,
        creatives,
    } = *e;
    sqlx::query(
        "INSERT INTO trash (id, kind, campaign_id, name, deleted_at, deleted_by, document, slug, creatives)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(kind)
    .bind(campaign_id)
    .bind(name)
    .bind(now)
    .bind(&by.name)
    .bind(document)
    .bind(slug)
    .bind(creatives)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves `creative` (if still at its version) to the trash within a transaction, closing its
/// current URL; false when it changed or is gone. The caller bumps and recounts its campaign.
pub(crate) async fn trash_creative_in(
    conn: &mut AnyConnection,
    creative: &Creative,
    by: &Author,
    now: i64,
) -> Result<bool, StoreError> {
    let document = encode(&Trashed {
        campaign: None,
        creatives: vec![creative.clone()],
    })?;
    let done = sqlx::query("DELETE FROM creatives WHERE id = $1 AND version = $2")
        .bind(&creative.id)
        .bind(creative.version)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    put(
        conn,
        &Entry {
            id: &creative.id,
            kind: "creative",
            campaign_id: &creative.campaign_id,
            name: &creative.variant,
            slug: None,
            creatives: 0,
        },
        by,
        &document,
        now,
    )
    .await?;
    links::record_link(conn, &creative.id, None, now).await?;
    Ok(true)
}

fn slug_taken(slug: &str) -> StoreError {
    StoreError::Conflict(Notice::new(
        Code::Duplicate,
        Field::Campaign,
        format!(
            "another campaign now uses utm_campaign={slug}: give this one a new slug to restore it"
        ),
    ))
}

impl Store {
    /// Moves campaign `id` (at `version`) and its creatives to the trash; their current URLs
    /// close in the link history.
    pub async fn trash_campaign(
        &self,
        id: &str,
        version: i64,
        by: &Author,
        entry: NewEntry,
    ) -> Result<(), StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        let campaign = self.get_campaign(id).await?;
        if campaign.version != version {
            return Err(StoreError::stale("campaign"));
        }
        let creatives = self.list_creatives(id).await?;
        let count = creatives.len() as i64;
        let document = encode(&Trashed {
            campaign: Some(campaign.clone()),
            creatives,
        })?;
        let done = sqlx::query("DELETE FROM campaigns WHERE id = $1 AND version = $2")
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            drop(tx);
            return Err(self.stale_or_missing("campaigns", id, "campaign").await);
        }
        put(
            &mut tx,
            &Entry {
                id,
                kind: "campaign",
                campaign_id: id,
                name: &campaign.name,
                slug: Some(&campaign.slug),
                creatives: count,
            },
            by,
            &document,
            now,
        )
        .await?;
        links::close_campaign_links(&mut tx, id, now).await?;
        activity::record(&mut *tx, by, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves creative `id` (at `version`) to the trash (its campaign's version goes up).
    pub async fn trash_creative(
        &self,
        id: &str,
        version: i64,
        by: &Author,
        entry: NewEntry,
    ) -> Result<(), StoreError> {
        let now = self.now_ms();
        let creative = self.get_creative(id).await?;
        if creative.version != version {
            return Err(StoreError::stale("creative"));
        }
        let mut tx = self.pool.begin().await?;
        crate::bump_campaign_of_creative(&mut *tx, id, now).await?;
        if !trash_creative_in(&mut tx, &creative, by, now).await? {
            drop(tx);
            return Err(self.stale_or_missing("creatives", id, "creative").await);
        }
        recount(&mut *tx, &creative.campaign_id).await?;
        activity::record(&mut *tx, by, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A page of the trash (`limit` items after `after`), most recently deleted first; what
    /// it shows is kept in columns beside each document, so a page never reads one.
    pub async fn list_trash(
        &self,
        limit: usize,
        after: Option<&TrashCursor>,
    ) -> Result<TrashList, StoreError> {
        let mut sql = String::from(
            "SELECT t.id, t.kind, t.campaign_id, t.name, t.deleted_at, t.deleted_by, t.creatives,
                    COALESCE(t.slug, c.slug) AS slug
             FROM trash t LEFT JOIN campaigns c ON c.id = t.campaign_id",
        );
        if after.is_some() {
            sql += " WHERE (t.deleted_at, t.id) < ($1, $2)";
        }
        sql += &format!(" ORDER BY t.deleted_at DESC, t.id DESC LIMIT {}", limit + 1);
        let mut q = sqlx::query(&sql);
        if let Some(a) = after {
            q = q.bind(a.deleted_at).bind(&a.id);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let more = rows.len() > limit;
        let items = rows
            .iter()
            .take(limit)
            .map(|row| {
                let deleted_at: i64 = row.try_get("deleted_at")?;
                let creatives: i64 = row.try_get("creatives")?;
                Ok(TrashItem {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    campaign_id: row.try_get("campaign_id")?,
                    name: row.try_get("name")?,
                    slug: row.try_get("slug")?,
                    creatives: usize::try_from(creatives).unwrap_or_default(),
                    deleted_at,
                    deleted_by: row.try_get("deleted_by")?,
                    purge_at: deleted_at + TRASH_DAYS * DAY_MS,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let next_cursor = more
            .then(|| items.last())
            .flatten()
            .map(|last: &TrashItem| {
                TrashCursor {
                    deleted_at: last.deleted_at,
                    id: last.id.clone(),
                }
                .encode()
            });
        Ok(TrashList { items, next_cursor })
    }

    /// The trashed campaign or creative `id`, as it was.
    pub async fn trashed(&self, id: &str) -> Result<Trashed, StoreError> {
        let document: String = sqlx::query_scalar("SELECT document FROM trash WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("item in the trash"))?;
        serde_json::from_str(&document)
            .map_err(|e| StoreError::Open(format!("a trash row cannot be read: {e}")))
    }

    /// Puts `restored` (a trashed item as it comes back: its campaign with a new slug, if one
    /// was given) back, in one transaction, with each creative's URL (`links`) in the history,
    /// and takes it out of the trash. A campaign whose slug is taken meanwhile is 409
    /// (`duplicate`, field `campaign`): give a new slug; a creative whose campaign is gone is 409
    /// too, and one whose variant is taken is 409 `duplicate` (field `content`).
    pub async fn restore(
        &self,
        id: &str,
        restored: &Trashed,
        links: &[(String, Option<String>)],
        by: &Author,
        entry: NewEntry,
    ) -> Result<(), StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        let gone = sqlx::query("DELETE FROM trash WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if gone.rows_affected() != 1 {
            return Err(StoreError::NotFound("item in the trash"));
        }
        let campaign_id = match &restored.campaign {
            Some(c) => {
                let c = Campaign {
                    version: c.version + 1,
                    updated_at: now,
                    ..c.clone()
                };
                match crate::insert_campaign_row(&mut tx, &c).await {
                    Ok(()) => {}
                    Err(e) if is_unique_violation(&e) => return Err(slug_taken(&c.slug)),
                    Err(e) => return Err(e.into()),
                }
                c.id
            }
            None => {
                let campaign_id = restored
                    .creatives
                    .first()
                    .map(|k| k.campaign_id.clone())
                    .unwrap_or_default();
                if !crate::bump_campaign(&mut *tx, &campaign_id, None, now).await? {
                    return Err(StoreError::Conflict(Notice::new(
                        Code::NotFound,
                        Field::Campaign,
                        "its campaign is not there any more: restore the campaign first (from the trash), then this creative".to_string(),
                    )));
                }
                campaign_id
            }
        };
        for k in &restored.creatives {
            let k = Creative {
                version: k.version + 1,
                updated_at: now,
                ..k.clone()
            };
            match crate::insert_creative_row(&mut tx, &k).await {
                Ok(()) => {}
                Err(e) if is_unique_violation(&e) => {
                    return Err(crate::duplicate_variant(&k.content))
                }
                Err(e) => return Err(e.into()),
            }
        }
        recount(&mut *tx, &campaign_id).await?;
        for (creative_id, url) in links {
            links::record_link(&mut tx, creative_id, url.as_deref(), now).await?;
        }
        activity::record(&mut *tx, by, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes for good what was trashed before `before` (Unix milliseconds); how many.
    pub async fn purge_trash(&self, before: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM trash WHERE deleted_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

/// The oldest deletion time the trash still keeps at `now`.
pub fn purge_before(now: i64) -> i64 {
    now - TRASH_DAYS * DAY_MS
}

/// One creative's part in a bulk change: saved as `valid`, or (None) moved to the trash.
pub struct BulkWrite<'a> {
    pub creative: &'a Creative,
    pub valid: Option<&'a utmforge_core::ValidCreative>,
    pub entry: NewEntry,
}

impl Store {
    /// A bulk change of campaign `campaign_id`'s creatives, in one transaction: the campaign
    /// must still be at `version` (the preview's) and each creative at the version read, else
    /// nothing is saved (409 `stale`). One activity entry per creative.
    pub async fn bulk_apply(
        &self,
        campaign_id: &str,
        version: i64,
        writes: Vec<BulkWrite<'_>>,
        by: &Author,
    ) -> Result<(), StoreError> {
        let now = self.now_ms();
        let stale = || {
            StoreError::Conflict(Notice::new(
                Code::Stale,
                Field::Version,
                "the campaign or one of its creatives changed since the preview: nothing was saved. Preview again".to_string(),
            ))
        };
        let mut tx = self.pool.begin().await?;
        if !crate::bump_campaign(&mut *tx, campaign_id, Some(version), now).await? {
            drop(tx);
            self.get_campaign(campaign_id).await?;
            return Err(stale());
        }
        for w in writes {
            match w.valid {
                Some(valid) => {
                    let done = crate::update_creative_row(
                        &mut *tx,
                        &w.creative.id,
                        w.creative.version,
                        valid,
                        now,
                    )
                    .await;
                    match done {
                        Ok(d) if d.rows_affected() == 1 => {}
                        Ok(_) => return Err(stale()),
                        Err(e) if is_unique_violation(&e) => {
                            return Err(crate::duplicate_variant(&valid.content))
                        }
                        Err(e) => return Err(e.into()),
                    }
                    links::record_link(&mut tx, &w.creative.id, Some(&valid.tagged.url), now)
                        .await?;
                }
                None => {
                    if !trash_creative_in(&mut tx, w.creative, by, now).await? {
                        return Err(stale());
                    }
                }
            }
            activity::record(&mut *tx, by, w.entry, now).await?;
        }
        recount(&mut *tx, campaign_id).await?;
        tx.commit().await?;
        Ok(())
    }
}
