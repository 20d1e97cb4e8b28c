//! Campaigns: list, read, create, change, delete.

use crate::{heavy, Ctx, Error};
use std::collections::HashMap;
use utmforge_core::account::Role;
use utmforge_core::activity::{
    campaign_fields, empty_like, valid_campaign_fields, Action, NewEntry,
};
use utmforge_core::campaign::live_link_refusal;
use utmforge_core::rules::TeamRules;
use utmforge_core::views::{CampaignPage, CampaignPatch, CampaignRow, CreativeWithUrl, Problems};
use utmforge_core::{Campaign, CampaignDraft, CampaignStatus, Code, Creative, Field, Notice};
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

/// Campaigns, most recently changed first, optionally only those with `status`, and only
/// those whose links have problems (each row then says which: see [`Problems`]).
pub async fn list(
    ctx: &Ctx,
    status: Option<&str>,
    problems_only: bool,
) -> Result<Vec<CampaignRow>, Error> {
    ctx.require(Role::Viewer)?;
    let status = parse_status(status)?;
    let rows = ctx.store.list_campaigns(status).await?;
    if !problems_only {
        return Ok(rows
            .into_iter()
            .map(|s| CampaignRow {
                campaign: s.campaign,
                creative_count: s.creative_count,
                problems: None,
            })
            .collect());
    }
    let rules = crate::settings::rules(ctx).await?;
    let broken = ctx.store.broken_creatives().await?;
    let mut by_campaign: HashMap<String, Vec<Creative>> = HashMap::new();
    for k in ctx.store.list_all_creatives().await? {
        by_campaign
            .entry(k.campaign_id.clone())
            .or_default()
            .push(k);
    }
    heavy(move || {
        rows.into_iter()
            .filter_map(|s| {
                let creatives = by_campaign
                    .get(&s.campaign.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let p = Problems::of(&s.campaign, creatives, &rules, |id| broken.contains(id));
                p.any().then_some(CampaignRow {
                    campaign: s.campaign,
                    creative_count: s.creative_count,
                    problems: Some(p),
                })
            })
            .collect()
    })
    .await
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
    let rules = crate::settings::rules(ctx).await?;
    let creatives = ctx
        .store
        .list_creatives(id)
        .await?
        .into_iter()
        .map(|k| CreativeWithUrl::new(k, &campaign, &rules))
        .collect();
    Ok(CampaignPage {
        campaign,
        creatives,
        rules,
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
/// The URL `creative` carries in `campaign` under `rules` (None when it cannot be built).
pub(crate) fn live_url(
    creative: &Creative,
    campaign: &Campaign,
    rules: &TeamRules,
) -> Option<String> {
    creative.tagged_url(campaign, rules).ok().map(|t| t.url)
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
    let after = valid.saved_over(&current);
    let mut entry = NewEntry::new(Action::CampaignChanged, &current.name)
        .campaign(id)
        .subject_id(id)
        .changes(&campaign_fields(&current), &valid_campaign_fields(&valid));
    let mut changes = Vec::new();
    let mut links = Vec::new();
    for creative in ctx.store.list_creatives(id).await? {
        let (before, now) = (
            live_url(&creative, &current, &rules),
            live_url(&creative, &after, &rules),
        );
        entry = entry.url(&creative.variant, before.clone(), now.clone());
        links.push((creative.id, now.clone()));
        changes.push((creative.variant, before, now));
    }
    if let Some(refusal) = live_link_refusal(&current, &changes, confirm_live_change) {
        return Err(Error::conflict(refusal));
    }
    Ok(ctx
        .store
        .update_campaign(id, version, &valid, &author, entry, &links)
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
    let rules = crate::settings::rules(ctx).await?;
    let before = campaign_fields(&current);
    let mut entry = NewEntry::new(Action::CampaignDeleted, &current.name)
        .campaign(id)
        .subject_id(id)
        .changes(&before, &empty_like(&before));
    for creative in ctx.store.list_creatives(id).await? {
        entry = entry.url(
            &creative.variant,
            live_url(&creative, &current, &rules),
            None,
        );
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
