//! Campaigns: the list (keyset pages, search, filters), one campaign, create and update, and
//! the row helpers the other writers share (the version bump, the creative count).

use super::*;

/// A campaign with the number of its creatives, for the campaigns table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignSummary {
    pub campaign: Campaign,
    pub creative_count: i64,
}

/// One page of the campaigns list and where the pages beside it start.
#[derive(Debug, Clone)]
pub struct CampaignsPage {
    pub items: Vec<CampaignSummary>,
    pub next: Option<Cursor>,
    pub prev: Option<Cursor>,
}

impl Store {
    // --- campaigns -------------------------------------------------------------------------

    /// Campaigns, most recently updated first, optionally only those with `status`.
    pub async fn list_campaigns(
        &self,
        status: Option<CampaignStatus>,
    ) -> Result<Vec<CampaignSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.* FROM campaigns c
             WHERE $1 IS NULL OR c.status = $1
             ORDER BY c.updated_at DESC, c.id DESC",
        )
        .bind(status.map(CampaignStatus::as_str))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CampaignSummary {
                    campaign: campaign_from_row(row)?,
                    creative_count: row.try_get("creative_count")?,
                })
            })
            .collect()
    }

    /// One page of the campaigns list: the rows `query` selects, in its order, from its cursor
    /// on (keyset: the cost does not grow with the page's depth). Answers the rows and the
    /// cursors of the next and previous pages, when there are more rows that way.
    pub async fn campaigns_page(&self, query: &CampaignQuery) -> Result<CampaignsPage, StoreError> {
        enum Bind {
            Text(String),
            Int(i64),
        }
        let mut binds = Vec::new();
        let mut bind = |b: Bind| {
            binds.push(b);
            format!("${}", binds.len())
        };
        let mut sql = String::from("SELECT c.* FROM campaigns c WHERE 1 = 1");
        if let Some(search) = &query.search {
            let p = bind(Bind::Text(like_pattern(search)));
            // Letter case ignored (slugs are lower case already): SQLite's LIKE ignores ASCII
            // case by itself, and lower() on every row cost it 4x (API search p99 40 -> 10 ms
            // at 10,000 campaigns); PostgreSQL compares the stored lowered name (migration
            // 0008; ILIKE measured slower, lower() per row cost 2 of a search's 3.3 ms).
            let name = match self.backend {
                Backend::Postgres => "c.name_key",
                Backend::Sqlite => "c.name",
            };
            sql += &format!(" AND ({name} LIKE {p} ESCAPE '\\' OR c.slug LIKE {p} ESCAPE '\\')");
        }
        if let Some(status) = query.status {
            sql += &format!(
                " AND c.status = {}",
                bind(Bind::Text(status.as_str().into()))
            );
        }
        if let Some(model) = query.buying_model {
            sql += &format!(
                " AND c.buying_model = {}",
                bind(Bind::Text(model.utm_medium().into()))
            );
        }
        if let Some(conversion) = query.conversion {
            sql += &format!(
                " AND c.conversion = {}",
                bind(Bind::Text(conversion.as_str().into()))
            );
        }
        if let Some(since) = query.updated_since {
            sql += &format!(" AND c.updated_at >= {}", bind(Bind::Int(since)));
        }
        // (key, ascending in the list's order). A search keeps few rows of many: reading the
        // table once and sorting what matched beats walking the order's index row by row to
        // the end, so then the key is written so that no index serves it (measured with 10,000
        // campaigns: 16 → 3 ms a search, SQLite).
        let searching = query.search.is_some();
        let (key, ascending) = match (query.sort, searching) {
            (CampaignSort::Updated, false) => ("c.updated_at", false),
            (CampaignSort::Updated, true) => ("(c.updated_at + 0)", false),
            (CampaignSort::Name, false) => ("lower(c.name)", true),
            (CampaignSort::Name, true) => match self.backend {
                Backend::Postgres => ("(c.name_key || '')", true),
                Backend::Sqlite => ("(lower(c.name) || '')", true),
            },
            (CampaignSort::Creatives, false) => ("c.creative_count", false),
            (CampaignSort::Creatives, true) => ("(c.creative_count + 0)", false),
        };
        let backward = query.cursor.as_ref().is_some_and(|c| c.backward);
        if let Some(cursor) = &query.cursor {
            let k = match (&cursor.text, cursor.number) {
                (Some(t), _) => bind(Bind::Text(t.clone())),
                (None, n) => bind(Bind::Int(n.unwrap_or_default())),
            };
            let id = bind(Bind::Text(cursor.id.clone()));
            // Forward in an ascending order, or backward in a descending one: greater.
            let op = if ascending != backward { ">" } else { "<" };
            sql += &format!(" AND ({key}, c.id) {op} ({k}, {id})");
        }
        let dir = if ascending != backward { "ASC" } else { "DESC" };
        sql += &format!(
            " ORDER BY {key} {dir}, c.id {dir} LIMIT {}",
            query.limit + 1
        );
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = match b {
                Bind::Text(t) => q.bind(t),
                Bind::Int(n) => q.bind(n),
            };
        }
        let rows = q.fetch_all(&self.pool).await?;
        let more = rows.len() > query.limit;
        let mut items: Vec<CampaignSummary> = rows
            .iter()
            .take(query.limit)
            .map(|row| {
                Ok(CampaignSummary {
                    campaign: campaign_from_row(row)?,
                    creative_count: row.try_get("creative_count")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        if backward {
            items.reverse();
        }
        let cursor_at = |s: &CampaignSummary, backward: bool| {
            Cursor::at(query.sort, &s.campaign, s.creative_count, backward)
        };
        // Going forward, the page before exists when we came from one; going back, the page
        // after does.
        let (has_next, has_prev) = if backward {
            (true, more)
        } else {
            (more, query.cursor.is_some())
        };
        Ok(CampaignsPage {
            next: has_next
                .then(|| items.last().map(|s| cursor_at(s, false)))
                .flatten(),
            prev: has_prev
                .then(|| items.first().map(|s| cursor_at(s, true)))
                .flatten(),
            items,
        })
    }

    /// The campaign whose `column` (`id` or `slug`, both unique) is `value`, with its creative
    /// count.
    async fn campaign_where(
        &self,
        column: &'static str,
        value: &str,
    ) -> Result<CampaignSummary, StoreError> {
        let row = sqlx::query(&format!("SELECT * FROM campaigns WHERE {column} = $1"))
            .bind(value)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("campaign"))?;
        Ok(CampaignSummary {
            campaign: campaign_from_row(&row)?,
            creative_count: row.try_get("creative_count")?,
        })
    }

    /// Campaign `id` with its creative count.
    pub async fn campaign_summary(&self, id: &str) -> Result<CampaignSummary, StoreError> {
        self.campaign_where("id", id).await
    }

    /// The campaign whose `utm_campaign` is `slug`.
    pub async fn campaign_by_slug(&self, slug: &str) -> Result<Campaign, StoreError> {
        Ok(self.campaign_where("slug", slug).await?.campaign)
    }

    pub async fn get_campaign(&self, id: &str) -> Result<Campaign, StoreError> {
        Ok(self.campaign_where("id", id).await?.campaign)
    }

    pub async fn create_campaign(
        &self,
        input: &ValidCampaign,
        by: &Author,
        entry: NewEntry,
    ) -> Result<Campaign, StoreError> {
        self.create_campaign_with(&new_id(), input, &[], by, entry)
            .await
    }

    /// Creates campaign `id` as `input` with `creatives` (a clone's), in one transaction: the
    /// creatives get new ids, their URLs go into the link history.
    pub async fn create_campaign_with(
        &self,
        id: &str,
        input: &ValidCampaign,
        creatives: &[ValidCreative],
        by: &Author,
        entry: NewEntry,
    ) -> Result<Campaign, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        let row = Campaign {
            created_at: now,
            updated_at: now,
            ..input.saved_over(&Campaign::stub(id))
        };
        let result = insert_campaign_row(&mut tx, &row).await;
        match result {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Err(duplicate_slug(&input.slug)),
            Err(e) => return Err(e.into()),
        }
        for k in creatives {
            let kid = new_id();
            insert_creative(&mut tx, &kid, id, k, now).await?;
            links::record_link(&mut tx, &kid, Some(&k.tagged.url), now).await?;
        }
        recount(&mut *tx, id).await?;
        activity::record(&mut *tx, by, entry.campaign(id).subject_id(id), now).await?;
        tx.commit().await?;
        self.get_campaign(id).await
    }

    /// Saves `input` over campaign `id` if it is still at `version`; `links` are its creatives'
    /// URLs after the change (`(creative id, URL)`), recorded in the link history.
    pub async fn update_campaign(
        &self,
        id: &str,
        version: i64,
        input: &ValidCampaign,
        by: &Author,
        entry: NewEntry,
        links: &[(String, Option<String>)],
    ) -> Result<Campaign, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        let result = sqlx::query(
            "UPDATE campaigns SET name = $3, slug = $4, buying_model = $5, topic = $6, landing_url = $7,
               conversion = $8, status = $9, notes = $10, version = version + 1, updated_at = $11
             WHERE id = $1 AND version = $2",
        )
        .bind(id)
        .bind(version)
        .bind(&input.name)
        .bind(&input.slug)
        .bind(input.buying_model.utm_medium())
        .bind(&input.topic)
        .bind(&input.landing_url)
        .bind(input.conversion.as_str())
        .bind(input.status.as_str())
        .bind(&input.notes)
        .bind(now)
        .execute(&mut *tx)
        .await;
        match result {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => {
                drop(tx);
                return Err(self.stale_or_missing("campaigns", id, "campaign").await);
            }
            Err(e) if is_unique_violation(&e) => return Err(duplicate_slug(&input.slug)),
            Err(e) => return Err(e.into()),
        }
        for (creative_id, url) in links {
            links::record_link(&mut tx, creative_id, url.as_deref(), now).await?;
        }
        activity::record(&mut *tx, by, entry, now).await?;
        tx.commit().await?;
        self.get_campaign(id).await
    }
}

/// Raises a campaign's version (only if it is at `expected`, when given). False when no row
/// matched.
pub(crate) async fn bump_campaign<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    campaign_id: &str,
    expected: Option<i64>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE campaigns SET version = version + 1, updated_at = $3
         WHERE id = $1 AND ($2 IS NULL OR version = $2)",
    )
    .bind(campaign_id)
    .bind(expected)
    .bind(now)
    .execute(exec)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets campaign `campaign_id`'s creative count to what it holds (after a creative was added or
/// removed, in the same transaction).
pub(crate) async fn recount<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    campaign_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE campaigns SET creative_count = (SELECT COUNT(*) FROM creatives WHERE campaign_id = $1)
         WHERE id = $1",
    )
    .bind(campaign_id)
    .execute(exec)
    .await?;
    Ok(())
}

/// Raises the version of the campaign that holds creative `creative_id` (none if it is gone).
pub(crate) async fn bump_campaign_of_creative<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    exec: E,
    creative_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE campaigns SET version = version + 1, updated_at = $2
         WHERE id = (SELECT campaign_id FROM creatives WHERE id = $1)",
    )
    .bind(creative_id)
    .bind(now)
    .execute(exec)
    .await?;
    Ok(())
}

pub(crate) fn duplicate_slug(slug: &str) -> StoreError {
    StoreError::Conflict(Notice::new(
        Code::Duplicate,
        Field::Campaign,
        format!(
            "another campaign already uses utm_campaign={slug}: choose a different name or slug"
        ),
    ))
}

/// Writes campaign row `c` as it is (ids, version and times included).
pub(crate) async fn insert_campaign_row(
    conn: &mut sqlx::AnyConnection,
    c: &Campaign,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO campaigns
           (id, name, slug, buying_model, topic, landing_url, conversion, status, notes, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&c.id)
    .bind(&c.name)
    .bind(&c.slug)
    .bind(c.buying_model.utm_medium())
    .bind(&c.topic)
    .bind(&c.landing_url)
    .bind(c.conversion.as_str())
    .bind(c.status.as_str())
    .bind(&c.notes)
    .bind(c.version)
    .bind(c.created_at)
    .bind(c.updated_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) fn campaign_from_row(row: &AnyRow) -> Result<Campaign, sqlx::Error> {
    let buying_model: String = row.try_get("buying_model")?;
    let conversion: String = row.try_get("conversion")?;
    let status: String = row.try_get("status")?;
    Ok(Campaign {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        slug: row.try_get("slug")?,
        buying_model: BuyingModel::from_str(&buying_model)
            .map_err(|_| decode_err("buying_model", &buying_model))?,
        topic: row.try_get("topic")?,
        landing_url: row.try_get("landing_url")?,
        conversion: ConversionEvent::from_str(&conversion)
            .map_err(|_| decode_err("conversion", &conversion))?,
        status: CampaignStatus::from_str(&status).map_err(|_| decode_err("status", &status))?,
        notes: row.try_get("notes")?,
        version: row.try_get("version")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}
