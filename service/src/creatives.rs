//! Creatives: read, create, change, delete, and the live preview of a creative's URL.

use crate::campaigns::live_url;
use crate::{Ctx, Error};
use utmforge_core::account::Role;
use utmforge_core::activity::{
    creative_fields, empty_like, valid_creative_fields, Action, NewEntry,
};
use utmforge_core::campaign::live_link_refusal;
use utmforge_core::rules::TeamRules;
use utmforge_core::views::{CreativePatch, CreativeWithUrl, LinkPeriod, Preview};
use utmforge_core::{Campaign, Creative, CreativeDraft, ValidCreative};
use utmforge_store::StoreError;

/// A campaign's creatives, each with its URL.
pub async fn list(ctx: &Ctx, campaign_id: &str) -> Result<Vec<CreativeWithUrl>, Error> {
    Ok(crate::campaigns::page(ctx, campaign_id).await?.creatives)
}

async fn with_campaign(ctx: &Ctx, id: &str) -> Result<(Creative, Campaign, TeamRules), Error> {
    ctx.require(Role::Viewer)?;
    let creative = ctx.store.get_creative(id).await?;
    let campaign = ctx.store.get_campaign(&creative.campaign_id).await?;
    let rules = crate::settings::rules(ctx).await?;
    Ok((creative, campaign, rules))
}

pub async fn get(ctx: &Ctx, id: &str) -> Result<CreativeWithUrl, Error> {
    let (creative, campaign, rules) = with_campaign(ctx, id).await?;
    Ok(CreativeWithUrl::new(creative, &campaign, &rules))
}

/// Every URL creative `id` has carried, the current one first.
pub async fn history(ctx: &Ctx, id: &str) -> Result<Vec<LinkPeriod>, Error> {
    ctx.require(Role::Viewer)?;
    ctx.store.get_creative(id).await?;
    Ok(ctx.store.link_history(id).await?)
}

pub async fn create(
    ctx: &Ctx,
    campaign_id: &str,
    draft: CreativeDraft,
) -> Result<CreativeWithUrl, Error> {
    let author = ctx.require(Role::Editor)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let rules = crate::settings::rules(ctx).await?;
    let valid = draft
        .validate_with(&campaign, &rules)
        .map_err(Error::invalid)?;
    let after = valid_creative_fields(&valid);
    let entry = NewEntry::new(Action::CreativeCreated, &valid.variant)
        .changes(&empty_like(&after), &after)
        .url(&valid.variant, None, Some(valid.tagged.url.clone()));
    let creative = ctx
        .store
        .create_creative(campaign_id, &valid, &author, entry)
        .await?;
    Ok(CreativeWithUrl::new(creative, &campaign, &rules))
}

/// Saves `valid` over `current` (at `version`), logging every changed field and the URL.
async fn save(
    ctx: &Ctx,
    current: &Creative,
    campaign: &Campaign,
    rules: &TeamRules,
    version: i64,
    valid: &ValidCreative,
    confirm_live_change: bool,
) -> Result<CreativeWithUrl, Error> {
    let author = ctx.require(Role::Editor)?;
    if current.version != version {
        return Err(StoreError::stale("creative").into());
    }
    let before = live_url(current, campaign, rules);
    let change = (
        current.variant.clone(),
        before.clone(),
        Some(valid.tagged.url.clone()),
    );
    if let Some(refusal) = live_link_refusal(campaign, &[change], confirm_live_change) {
        return Err(Error::conflict(refusal));
    }
    let entry = NewEntry::new(Action::CreativeChanged, &current.variant)
        .campaign(&campaign.id)
        .subject_id(&current.id)
        .changes(&creative_fields(current), &valid_creative_fields(valid))
        .url(&current.variant, before, Some(valid.tagged.url.clone()));
    let creative = ctx
        .store
        .update_creative(&current.id, version, valid, &author, entry)
        .await?;
    Ok(CreativeWithUrl::new(creative, campaign, rules))
}

/// Replaces every field of creative `id`, if it is still at `version`.
pub async fn update(
    ctx: &Ctx,
    id: &str,
    version: i64,
    draft: CreativeDraft,
    confirm_live_change: bool,
) -> Result<CreativeWithUrl, Error> {
    ctx.require(Role::Editor)?;
    let (current, campaign, rules) = with_campaign(ctx, id).await?;
    let valid = draft
        .validate_with(&campaign, &rules)
        .map_err(Error::invalid)?;
    save(
        ctx,
        &current,
        &campaign,
        &rules,
        version,
        &valid,
        confirm_live_change,
    )
    .await
}

/// Changes the fields `patch` gives, if the creative is still at `version`.
pub async fn patch(
    ctx: &Ctx,
    id: &str,
    version: i64,
    patch: CreativePatch,
    confirm_live_change: bool,
) -> Result<CreativeWithUrl, Error> {
    ctx.require(Role::Editor)?;
    let current = ctx.store.get_creative(id).await?;
    let draft = CreativeDraft {
        variant: patch.variant.unwrap_or_else(|| current.variant.clone()),
        topic: patch
            .topic
            .unwrap_or_else(|| current.topic.clone().unwrap_or_default()),
        landing_url: patch
            .landing_url
            .unwrap_or_else(|| current.landing_url.clone().unwrap_or_default()),
        headline: patch.headline.unwrap_or_else(|| current.headline.clone()),
        notes: patch.notes.unwrap_or_else(|| current.notes.clone()),
    };
    update(ctx, id, version, draft, confirm_live_change).await
}

pub async fn delete(ctx: &Ctx, id: &str, version: i64) -> Result<(), Error> {
    let author = ctx.require(Role::Editor)?;
    let (current, campaign, rules) = with_campaign(ctx, id).await?;
    if current.version != version {
        return Err(StoreError::stale("creative").into());
    }
    let before = creative_fields(&current);
    let entry = NewEntry::new(Action::CreativeDeleted, &current.variant)
        .campaign(&campaign.id)
        .subject_id(&current.id)
        .changes(&before, &empty_like(&before))
        .url(
            &current.variant,
            live_url(&current, &campaign, &rules),
            None,
        );
    Ok(ctx
        .store
        .delete_creative(id, version, &author, entry)
        .await?)
}

/// The URL a creative form would give, with its warnings or errors. Saves nothing.
pub async fn preview(ctx: &Ctx, campaign_id: &str, draft: CreativeDraft) -> Result<Preview, Error> {
    ctx.require(Role::Viewer)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let rules = crate::settings::rules(ctx).await?;
    Ok(Preview::of(&campaign, &draft, &rules))
}
