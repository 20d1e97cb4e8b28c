//! An import applied: every row of a plan in one transaction, refused whole when anything
//! changed since the plan.

use super::*;

impl Store {
    /// Saves an import plan's valid rows in one transaction: every create and update, or
    /// none. The campaign must still be at `campaign_version` (the version the plan was made
    /// against; every creative write bumps it), and each updated creative at the version read:
    /// otherwise nothing is saved and the answer is a conflict. Invalid and unchanged rows are
    /// not touched. Returns (created, updated). `entries[i]` is the activity entry of
    /// `plan.rows[i]` (recorded when that row is saved), `summary` the import's own.
    pub async fn apply_import(
        &self,
        campaign_id: &str,
        campaign_version: i64,
        plan: &utmforge_core::import::ImportPlan,
        by: &Author,
        summary: NewEntry,
        mut entries: Vec<Option<NewEntry>>,
    ) -> Result<(usize, usize), StoreError> {
        use utmforge_core::import::RowAction;
        let now = self.now_ms();
        let mut tx = self.pool.begin().await?;
        if !bump_campaign(&mut *tx, campaign_id, Some(campaign_version), now).await? {
            drop(tx);
            return Err(match self.get_campaign(campaign_id).await {
                Ok(_) => import_stale("the campaign or one of its creatives"),
                Err(e) => e,
            });
        }
        let (mut created, mut updated) = (0, 0);
        for (i, row) in plan.rows.iter().enumerate() {
            let Some(valid) = &row.valid else { continue };
            let entry = entries.get_mut(i).and_then(Option::take);
            match (row.action, &row.existing) {
                (RowAction::Create, _) => {
                    let id = new_id();
                    let result = insert_creative(&mut tx, &id, campaign_id, valid, now).await;
                    match result {
                        Ok(_) => {
                            created += 1;
                            links::record_link(&mut tx, &id, Some(&valid.tagged.url), now).await?;
                            if let Some(entry) = entry {
                                let entry = entry.campaign(campaign_id).subject_id(&id);
                                activity::record(&mut *tx, by, entry, now).await?;
                            }
                        }
                        Err(e) if is_unique_violation(&e) => {
                            return Err(duplicate_variant(&valid.content))
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                (RowAction::Update, Some((id, version))) => {
                    let done = update_creative_row(&mut *tx, id, *version, valid, now).await?;
                    if done.rows_affected() != 1 {
                        return Err(import_stale(&format!("creative “{}”", valid.variant)));
                    }
                    updated += 1;
                    links::record_link(&mut tx, id, Some(&valid.tagged.url), now).await?;
                    if let Some(entry) = entry {
                        activity::record(&mut *tx, by, entry, now).await?;
                    }
                }
                _ => {}
            }
        }
        if created > 0 {
            recount(&mut *tx, campaign_id).await?;
        }
        if created + updated > 0 {
            activity::record(&mut *tx, by, summary, now).await?;
        }
        tx.commit().await?;
        Ok((created, updated))
    }
}

fn import_stale(what: &str) -> StoreError {
    StoreError::Conflict(Notice::new(
        Code::Stale,
        Field::Version,
        format!("{what} changed since the preview: nothing was imported. Preview again to see the current data"),
    ))
}
