//! Creatives: read, create, change, delete, and the live preview of a creative's URL.

use crate::{Ctx, Error};
use utmforge_core::views::{CreativePatch, CreativeWithUrl, Preview};
use utmforge_core::{Campaign, Creative, CreativeDraft};

/// A campaign's creatives, each with its URL.
pub async fn list(ctx: &Ctx, campaign_id: &str) -> Result<Vec<CreativeWithUrl>, Error> {
    Ok(crate::campaigns::page(ctx, campaign_id).await?.creatives)
}

async fn with_campaign(ctx: &Ctx, id: &str) -> Result<(Creative, Campaign), Error> {
    let creative = ctx.store.get_creative(id).await?;
    let campaign = ctx.store.get_campaign(&creative.campaign_id).await?;
    Ok((creative, campaign))
}

pub async fn get(ctx: &Ctx, id: &str) -> Result<CreativeWithUrl, Error> {
    let (creative, campaign) = with_campaign(ctx, id).await?;
    Ok(CreativeWithUrl::new(creative, &campaign))
}

pub async fn create(
    ctx: &Ctx,
    campaign_id: &str,
    draft: CreativeDraft,
) -> Result<CreativeWithUrl, Error> {
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let valid = draft.validate(&campaign).map_err(Error::invalid)?;
    let creative = ctx.store.create_creative(campaign_id, &valid).await?;
    Ok(CreativeWithUrl::new(creative, &campaign))
}

/// Replaces every field of creative `id`, if it is still at `version`.
pub async fn update(
    ctx: &Ctx,
    id: &str,
    version: i64,
    draft: CreativeDraft,
) -> Result<CreativeWithUrl, Error> {
    let (_, campaign) = with_campaign(ctx, id).await?;
    let valid = draft.validate(&campaign).map_err(Error::invalid)?;
    let creative = ctx.store.update_creative(id, version, &valid).await?;
    Ok(CreativeWithUrl::new(creative, &campaign))
}

/// Changes the fields `patch` gives, if the creative is still at `version`.
pub async fn patch(
    ctx: &Ctx,
    id: &str,
    version: i64,
    patch: CreativePatch,
) -> Result<CreativeWithUrl, Error> {
    let (current, campaign) = with_campaign(ctx, id).await?;
    let draft = CreativeDraft {
        variant: patch.variant.unwrap_or(current.variant),
        topic: patch.topic.unwrap_or(current.topic.unwrap_or_default()),
        landing_url: patch
            .landing_url
            .unwrap_or(current.landing_url.unwrap_or_default()),
        headline: patch.headline.unwrap_or(current.headline),
        notes: patch.notes.unwrap_or(current.notes),
    };
    let valid = draft.validate(&campaign).map_err(Error::invalid)?;
    let creative = ctx.store.update_creative(id, version, &valid).await?;
    Ok(CreativeWithUrl::new(creative, &campaign))
}

pub async fn delete(ctx: &Ctx, id: &str, version: i64) -> Result<(), Error> {
    Ok(ctx.store.delete_creative(id, version).await?)
}

/// The URL a creative form would give, with its warnings or errors. Saves nothing.
pub async fn preview(ctx: &Ctx, campaign_id: &str, draft: CreativeDraft) -> Result<Preview, Error> {
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    Ok(match draft.validate(&campaign) {
        Ok(valid) => Preview {
            url: Some(valid.tagged.url),
            warnings: valid.tagged.warnings,
            errors: Vec::new(),
        },
        Err(errors) => Preview {
            url: None,
            warnings: Vec::new(),
            errors,
        },
    })
}
