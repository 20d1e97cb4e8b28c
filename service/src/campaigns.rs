//! Campaigns: list, read, create, change, delete.

use crate::{Ctx, Error};
use utmforge_core::account::Role;
use utmforge_core::activity::{
    campaign_fields, empty_like, valid_campaign_fields, Action, NewEntry,
};
use utmforge_core::campaign::live_link_refusal;
use utmforge_core::views::{CampaignPage, CampaignPatch, CampaignRow, CreativeWithUrl};
use utmforge_core::{
    Campaign, CampaignDraft, CampaignStatus, Code, Creative, Field, Notice, ValidCampaign,
};
use utmforge_store::StoreError;

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
    ctx.require(Role::Viewer)?;
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

/// The campaign whose utm_campaign (or id) is `slug_or_id` (the command line names campaigns
/// by their slug).
pub async fn find(ctx: &Ctx, slug_or_id: &str) -> Result<Campaign, Error> {
    ctx.require(Role::Viewer)?;
    ctx.store
        .list_campaigns(None)
        .await?
        .into_iter()
        .map(|s| s.campaign)
        .find(|c| c.slug == slug_or_id || c.id == slug_or_id)
        .ok_or_else(|| {
            Error::new(
                crate::ErrorKind::NotFound,
                Code::NotFound.as_str(),
                format!(
                    "no campaign has utm_campaign (or id) “{}”",
                    slug_or_id.chars().take(100).collect::<String>()
                ),
            )
        })
}

pub async fn get(ctx: &Ctx, id: &str) -> Result<Campaign, Error> {
    ctx.require(Role::Viewer)?;
    Ok(ctx.store.get_campaign(id).await?)
}

/// A campaign with every creative and the URL each carries.
pub async fn page(ctx: &Ctx, id: &str) -> Result<CampaignPage, Error> {
    ctx.require(Role::Viewer)?;
    let campaign = ctx.store.get_campaign(id).await?;
    let creatives = ctx
        .store
        .list_creatives(id)
        .await?
        .into_iter()
        .map(|k| CreativeWithUrl::new(k, &campaign))
        .collect();
    let topics = crate::settings::rules(ctx).await?.suggestions();
    Ok(CampaignPage {
        campaign,
        creatives,
        topics,
    })
}

pub async fn create(ctx: &Ctx, draft: CampaignDraft) -> Result<Campaign, Error> {
    let author = ctx.require(Role::Editor)?;
    let rules = crate::settings::rules(ctx).await?;
    let valid = draft.validate_with(&rules).map_err(Error::invalid)?;
    let after = valid_campaign_fields(&valid);
    let entry =
        NewEntry::new(Action::CampaignCreated, &valid.name).changes(&empty_like(&after), &after);
    Ok(ctx.store.create_campaign(&valid, &author, entry).await?)
}

/// `current` with the fields of `valid`: the campaign as it will be once saved.
fn saved_as(current: &Campaign, valid: &ValidCampaign) -> Campaign {
    Campaign {
        name: valid.name.clone(),
        slug: valid.slug.clone(),
        buying_model: valid.buying_model,
        topic: valid.topic.clone(),
        landing_url: valid.landing_url.clone(),
        conversion: valid.conversion,
        status: valid.status,
        notes: valid.notes.clone(),
        ..current.clone()
    }
}

/// The URL `creative` carries in `campaign` (None when it cannot be built).
pub(crate) fn live_url(creative: &Creative, campaign: &Campaign) -> Option<String> {
    creative.tagged_url(campaign).ok().map(|t| t.url)
}

/// Replaces every field of campaign `id`, if it is still at `version`.
/// Once the campaign is active, a change that alters a live URL needs `confirm_live_change`
/// (else 409 `live-link-change` listing the URLs); the entry records old and new URLs.
pub async fn update(
    ctx: &Ctx,
    id: &str,
    version: i64,
    draft: CampaignDraft,
    confirm_live_change: bool,
) -> Result<Campaign, Error> {
    let author = ctx.require(Role::Editor)?;
    let rules = crate::settings::rules(ctx).await?;
    let valid = draft.validate_with(&rules).map_err(Error::invalid)?;
    let current = ctx.store.get_campaign(id).await?;
    if current.version != version {
        return Err(StoreError::stale("campaign").into());
    }
    // Every creative's URL is built from the campaign: a new slug, medium, topic or landing
    // URL changes the links that are live in ads, and the entry says which.
    let after = saved_as(&current, &valid);
    let mut entry = NewEntry::new(Action::CampaignChanged, &current.name)
        .campaign(id)
        .subject_id(id)
        .changes(&campaign_fields(&current), &valid_campaign_fields(&valid));
    let mut changes = Vec::new();
    for creative in ctx.store.list_creatives(id).await? {
        let (before, now) = (live_url(&creative, &current), live_url(&creative, &after));
        entry = entry.url(&creative.variant, before.clone(), now.clone());
        changes.push((creative.variant, before, now));
    }
    if let Some(refusal) = live_link_refusal(&current, &changes, confirm_live_change) {
        return Err(Error::conflict(refusal));
    }
    Ok(ctx
        .store
        .update_campaign(id, version, &valid, &author, entry)
        .await?)
}

/// Changes the fields `patch` gives, if the campaign is still at `version`.
pub async fn patch(
    ctx: &Ctx,
    id: &str,
    version: i64,
    patch: CampaignPatch,
    confirm_live_change: bool,
) -> Result<Campaign, Error> {
    ctx.require(Role::Editor)?;
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
    update(ctx, id, version, draft, confirm_live_change).await
}

/// Deletes campaign `id` and its creatives, if it is still at `version` (any change to the
/// campaign or one of its creatives raises it: what was confirmed is what is deleted).
pub async fn delete(ctx: &Ctx, id: &str, version: i64) -> Result<(), Error> {
    let author = ctx.require(Role::Editor)?;
    let current = ctx.store.get_campaign(id).await?;
    if current.version != version {
        return Err(StoreError::stale("campaign").into());
    }
    let before = campaign_fields(&current);
    let mut entry = NewEntry::new(Action::CampaignDeleted, &current.name)
        .campaign(id)
        .subject_id(id)
        .changes(&before, &empty_like(&before));
    for creative in ctx.store.list_creatives(id).await? {
        entry = entry.url(&creative.variant, live_url(&creative, &current), None);
    }
    Ok(ctx
        .store
        .delete_campaign(id, version, &author, entry)
        .await?)
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
