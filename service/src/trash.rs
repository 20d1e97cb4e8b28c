//! The trash: deleting a campaign or a creative moves it here; it can be restored for
//! `TRASH_DAYS` (30) days (with its creatives and URLs as they were), then it is purged.

use crate::{Ctx, Error};
use utmforge_core::account::Role;
use utmforge_core::activity::{Action, NewEntry};
use utmforge_core::listing::TrashFilter;
use utmforge_core::views::TrashList;
use utmforge_core::{campaign_slug, Code, Field, Notice};
use utmforge_store::StoreError;

/// A page of what is in the trash, most recently deleted first (`filter`: its size and cursor;
/// a bad one is 422 naming `limit` or `cursor`).
pub async fn list(ctx: &Ctx, filter: &TrashFilter) -> Result<TrashList, Error> {
    ctx.require(Role::Viewer)?;
    let (limit, after) = filter.query().map_err(Error::invalid)?;
    Ok(ctx.store.list_trash(limit, after.as_ref()).await?)
}

/// Restores trashed campaign or creative `id`. A campaign whose `utm_campaign` was taken by
/// another campaign meanwhile needs `new_slug` (else 409 `duplicate`, field `campaign`); its
/// creatives' URLs then carry the new one. The URLs come back into the link history.
pub async fn restore(ctx: &Ctx, id: &str, new_slug: Option<&str>) -> Result<(), Error> {
    let author = ctx.require(Role::Editor)?;
    let mut trashed = ctx.store.trashed(id).await?;
    let rules = ctx.rules().await?;
    let new_slug = new_slug.map(str::trim).filter(|s| !s.is_empty());
    let (campaign, mut entry) = match &mut trashed.campaign {
        Some(c) => {
            if let Some(slug) = new_slug {
                c.slug = campaign_slug("", slug).map_err(|e| Error::invalid(vec![e]))?;
            }
            let entry = NewEntry::new(Action::CampaignRestored, &c.name)
                .campaign(&c.id)
                .subject_id(&c.id);
            (c.clone(), entry)
        }
        None => {
            let k = trashed.creatives.first().ok_or_else(|| {
                Error::invalid(vec![Notice::new(
                    Code::NotFound,
                    Field::Id,
                    "this trash entry holds nothing".to_string(),
                )])
            })?;
            let campaign = ctx
                .store
                .get_campaign(&k.campaign_id)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound(_) => Error::conflict(vec![Notice::new(
                        Code::NotFound,
                        Field::Campaign,
                        "its campaign is not there any more: restore the campaign first (from the trash), then this creative".to_string(),
                    )]),
                    other => other.into(),
                })?;
            let entry = NewEntry::new(Action::CreativeRestored, &k.variant)
                .campaign(&campaign.id)
                .subject_id(&k.id);
            (campaign, entry)
        }
    };
    let mut links = Vec::new();
    for k in &trashed.creatives {
        let url = k.live_url(&campaign, &rules);
        entry = entry.url(&k.variant, None, url.clone());
        links.push((k.id.clone(), url));
    }
    Ok(ctx
        .store
        .restore(id, &trashed, &links, &author, entry)
        .await?)
}

/// Deletes for good what has been in the trash for more than `TRASH_DAYS` (30) days; how many.
pub async fn purge(ctx: &Ctx) -> Result<u64, Error> {
    Ok(ctx
        .store
        .purge_trash(utmforge_store::purge_before(ctx.now_ms()))
        .await?)
}
