//! Campaigns: list, read, create, change, delete.

use crate::{Ctx, Error};
use utmforge_core::views::{CampaignPage, CampaignPatch, CampaignRow, CreativeWithUrl};
use utmforge_core::{Campaign, CampaignDraft, CampaignStatus, Code, Field, Notice};

/// Reads a `status` filter: none means every campaign; one given must be a status.
fn parse_status(status: Option<&str>) -> Result<Option<CampaignStatus>, Error> {
    match status {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            Error::invalid(vec![Notice::new(
                Code::NotAllowed,
                Field::Status,
                format!(
                    "status “{}” is not one of draft, active, paused, archived",
                    s.chars().take(40).collect::<String>()
                ),
            )])
        }),
    }
}

/// Campaigns, most recently changed first, optionally only those with `status`.
pub async fn list(ctx: &Ctx, status: Option<&str>) -> Result<Vec<CampaignRow>, Error> {
    let status = parse_status(status)?;
    Ok(ctx
        .store
        .list_campaigns(status)
        .await?
        .into_iter()
        .map(|s| CampaignRow {
            campaign: s.campaign,
            creative_count: s.creative_count,
        })
        .collect())
}

pub async fn get(ctx: &Ctx, id: &str) -> Result<Campaign, Error> {
    Ok(ctx.store.get_campaign(id).await?)
}

/// A campaign with every creative and the URL each carries.
pub async fn page(ctx: &Ctx, id: &str) -> Result<CampaignPage, Error> {
    let campaign = ctx.store.get_campaign(id).await?;
    let creatives = ctx
        .store
        .list_creatives(id)
        .await?
        .into_iter()
        .map(|k| CreativeWithUrl::new(k, &campaign))
        .collect();
    Ok(CampaignPage {
        campaign,
        creatives,
    })
}

pub async fn create(ctx: &Ctx, draft: CampaignDraft) -> Result<Campaign, Error> {
    let valid = draft.validate().map_err(Error::invalid)?;
    Ok(ctx.store.create_campaign(&valid).await?)
}

/// Replaces every field of campaign `id`, if it is still at `version`.
pub async fn update(
    ctx: &Ctx,
    id: &str,
    version: i64,
    draft: CampaignDraft,
) -> Result<Campaign, Error> {
    let valid = draft.validate().map_err(Error::invalid)?;
    Ok(ctx.store.update_campaign(id, version, &valid).await?)
}

/// Changes the fields `patch` gives, if the campaign is still at `version`.
pub async fn patch(
    ctx: &Ctx,
    id: &str,
    version: i64,
    patch: CampaignPatch,
) -> Result<Campaign, Error> {
    let current = ctx.store.get_campaign(id).await?;
    let base = draft_of(&current);
    let draft = CampaignDraft {
        name: patch.name.unwrap_or(base.name),
        slug: patch.slug.unwrap_or(base.slug),
        buying_model: patch.buying_model.unwrap_or(base.buying_model),
        topic: patch.topic.unwrap_or(base.topic),
        landing_url: patch.landing_url.unwrap_or(base.landing_url),
        conversion: patch.conversion.unwrap_or(base.conversion),
        status: patch.status.unwrap_or(base.status),
        notes: patch.notes.unwrap_or(base.notes),
    };
    update(ctx, id, version, draft).await
}

/// Deletes campaign `id` and its creatives, if it is still at `version` (any change to the
/// campaign or one of its creatives raises it: what was confirmed is what is deleted).
pub async fn delete(ctx: &Ctx, id: &str, version: i64) -> Result<(), Error> {
    Ok(ctx.store.delete_campaign(id, version).await?)
}

/// The utm_campaign a name (or an explicit slug) gives, for the live preview.
pub fn preview_slug(name: &str, slug: &str) -> Option<String> {
    utmforge_core::campaign_slug(name, slug).ok()
}

/// A stored campaign as the form would show it.
pub fn draft_of(c: &Campaign) -> CampaignDraft {
    CampaignDraft {
        name: c.name.clone(),
        slug: c.slug.clone(),
        buying_model: c.buying_model.utm_medium().into(),
        topic: c.topic.clone().unwrap_or_default(),
        landing_url: c.landing_url.clone(),
        conversion: c.conversion.as_str().into(),
        status: c.status.as_str().into(),
        notes: c.notes.clone(),
    }
}
