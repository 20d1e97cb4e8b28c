//! Creatives: read, create, change, delete, and the live preview of a creative's URL.

use crate::{Ctx, Error};
use utmforge_core::account::Role;
use utmforge_core::activity::{
    creative_fields, empty_like, valid_creative_fields, Action, NewEntry,
};
use utmforge_core::campaign::live_link_refusal;
use utmforge_core::rules::TeamRules;
use utmforge_core::views::{
    BulkChange, BulkPlan, BulkRow, CreativePatch, CreativeWithUrl, LinkPeriod, Preview,
};
use utmforge_core::{Campaign, Code, Creative, CreativeDraft, Field, Notice, ValidCreative};
use utmforge_store::{Author, BulkWrite, StoreError};

/// A campaign's creatives, each with its URL; with `search`, those it finds (variant, topic,
/// URL).
pub async fn list(
    ctx: &Ctx,
    campaign_id: &str,
    search: Option<&str>,
) -> Result<Vec<CreativeWithUrl>, Error> {
    ctx.require(Role::Viewer)?;
    Ok(ctx.campaign_page(campaign_id, search).await?.creatives)
}

async fn with_campaign(ctx: &Ctx, id: &str) -> Result<(Creative, Campaign, TeamRules), Error> {
    ctx.require(Role::Viewer)?;
    let creative = ctx.store.get_creative(id).await?;
    let campaign = ctx.store.get_campaign(&creative.campaign_id).await?;
    let rules = ctx.rules().await?;
    Ok((creative, campaign, rules))
}

pub async fn get(ctx: &Ctx, id: &str) -> Result<CreativeWithUrl, Error> {
    let (creative, campaign, rules) = with_campaign(ctx, id).await?;
    Ok(CreativeWithUrl::new(creative, &campaign, &rules))
}

/// Every URL creative `id` has carried, the current one first, each with the results its
/// ChatGPT ad received while it was live.
pub async fn history(ctx: &Ctx, id: &str) -> Result<Vec<LinkPeriod>, Error> {
    ctx.require(Role::Viewer)?;
    ctx.store.get_creative(id).await?;
    let mut periods = ctx.store.link_history(id).await?;
    let days = ctx.store.creative_days(id).await?;
    utmforge_core::history::add_results(&mut periods, &days);
    Ok(periods)
}

pub async fn create(
    ctx: &Ctx,
    campaign_id: &str,
    draft: CreativeDraft,
) -> Result<CreativeWithUrl, Error> {
    let author = ctx.require(Role::Editor)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let rules = ctx.rules().await?;
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

/// Saves `valid` over `current` (at `version`) in `campaign` under `rules`, logging every
/// changed field and the URL.
async fn save(
    ctx: &Ctx,
    author: &Author,
    (current, campaign, rules): (&Creative, &Campaign, &TeamRules),
    version: i64,
    valid: &ValidCreative,
    confirm_live_change: bool,
) -> Result<CreativeWithUrl, Error> {
    if current.version != version {
        return Err(StoreError::stale("creative").into());
    }
    let before = current.live_url(campaign, rules);
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
        .update_creative(&current.id, version, valid, author, entry)
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
    let author = ctx.require(Role::Editor)?;
    let (current, campaign, rules) = with_campaign(ctx, id).await?;
    let valid = draft
        .validate_with(&campaign, &rules)
        .map_err(Error::invalid)?;
    save(
        ctx,
        &author,
        (&current, &campaign, &rules),
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
    let author = ctx.require(Role::Editor)?;
    let (current, campaign, rules) = with_campaign(ctx, id).await?;
    let valid = patch
        .onto(current.draft())
        .validate_with(&campaign, &rules)
        .map_err(Error::invalid)?;
    save(
        ctx,
        &author,
        (&current, &campaign, &rules),
        version,
        &valid,
        confirm_live_change,
    )
    .await
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
        .url(&current.variant, current.live_url(&campaign, &rules), None);
    Ok(ctx
        .store
        .trash_creative(id, version, &author, entry)
        .await?)
}

/// The URL a creative form would give, with its warnings or errors. Saves nothing.
pub async fn preview(ctx: &Ctx, campaign_id: &str, draft: CreativeDraft) -> Result<Preview, Error> {
    ctx.require(Role::Viewer)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let rules = ctx.rules().await?;
    Ok(Preview::of(&campaign, &draft, &rules))
}

/// Most creatives one bulk change touches.
pub const MAX_BULK: usize = 5_000;

/// A bulk change of campaign `campaign_id`'s creatives (see [`BulkChange`]): without `apply`,
/// the preview (every URL that changes, old → new; nothing saved); with `apply` = the
/// preview's `version`, the change itself in one transaction, one activity entry per
/// creative. Every refused value is named with its creative (422), and for an active campaign
/// a change of live URLs needs `confirm_live_change` (409 `live-link-change`).
pub async fn bulk(
    ctx: &Ctx,
    campaign_id: &str,
    change: &BulkChange,
    apply: Option<i64>,
    confirm_live_change: bool,
) -> Result<BulkPlan, Error> {
    let author = ctx.require(if apply.is_some() {
        Role::Editor
    } else {
        Role::Viewer
    })?;
    let nothing = |message: &str| {
        Error::invalid(vec![Notice::new(
            Code::Required,
            Field::Body,
            message.to_string(),
        )])
    };
    if !change.delete && change.topic.is_none() && change.landing_url.is_none() {
        return Err(nothing(
            "say what to change: a topic, a landing URL, or delete",
        ));
    }
    if change.delete && (change.topic.is_some() || change.landing_url.is_some()) {
        return Err(nothing(
            "delete, or change a topic or landing URL: not both at once",
        ));
    }
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let rules = ctx.rules().await?;
    let all = ctx.store.list_creatives(campaign_id).await?;
    let chosen: Vec<Creative> = match &change.search {
        Some(search) => all
            .into_iter()
            .filter(|k| CreativeWithUrl::new(k.clone(), &campaign, &rules).matches(search))
            .collect(),
        None => {
            let missing: Vec<&String> = change
                .ids
                .iter()
                .filter(|id| !all.iter().any(|k| &&k.id == id))
                .collect();
            if let Some(id) = missing.first() {
                return Err(Error::invalid(vec![Notice::new(
                    Code::NotFound,
                    Field::Id,
                    format!(
                        "{} of the chosen creatives are not in this campaign (such as “{}”): reload the page",
                        missing.len(),
                        id.chars().take(40).collect::<String>()
                    ),
                )]));
            }
            all.into_iter()
                .filter(|k| change.ids.contains(&k.id))
                .collect()
        }
    };
    if chosen.is_empty() {
        return Err(nothing("choose at least one creative"));
    }
    if chosen.len() > MAX_BULK {
        return Err(Error::too_many(
            Field::Id,
            format!("{} creatives: at most {MAX_BULK} at a time", chosen.len()),
        ));
    }
    let mut rows = Vec::new();
    let mut valids = Vec::new();
    let mut errors = Vec::new();
    for k in &chosen {
        let before = k.live_url(&campaign, &rules);
        if change.delete {
            rows.push(BulkRow {
                creative_id: k.id.clone(),
                variant: k.variant.clone(),
                before,
                after: None,
            });
            valids.push(None);
            continue;
        }
        let base = k.draft();
        let draft = CreativeDraft {
            topic: change.topic.clone().unwrap_or(base.topic.clone()),
            landing_url: change
                .landing_url
                .clone()
                .unwrap_or(base.landing_url.clone()),
            ..base
        };
        match draft.validate_with(&campaign, &rules) {
            Ok(v) => {
                rows.push(BulkRow {
                    creative_id: k.id.clone(),
                    variant: k.variant.clone(),
                    before,
                    after: Some(v.tagged.url.clone()),
                });
                valids.push(Some(v));
            }
            Err(e) => errors.extend(k.naming(e)),
        }
    }
    if !errors.is_empty() {
        return Err(Error::invalid(errors));
    }
    let url_changes = rows.iter().filter(|r| r.before != r.after).count();
    let Some(version) = apply else {
        return Ok(BulkPlan {
            rows,
            url_changes,
            version: campaign.version,
            applied: false,
        });
    };
    if version != campaign.version {
        return Err(StoreError::stale("campaign").into());
    }
    let changes: Vec<(String, Option<String>, Option<String>)> = rows
        .iter()
        .map(|r| (r.variant.clone(), r.before.clone(), r.after.clone()))
        .collect();
    if let Some(refusal) = live_link_refusal(&campaign, &changes, confirm_live_change) {
        return Err(Error::conflict(refusal));
    }
    let mut writes = Vec::new();
    for ((k, valid), row) in chosen.iter().zip(&valids).zip(&rows) {
        let entry = match valid {
            Some(v) => NewEntry::new(Action::CreativeChanged, &k.variant)
                .changes(&creative_fields(k), &valid_creative_fields(v)),
            None => {
                let before = creative_fields(k);
                NewEntry::new(Action::CreativeDeleted, &k.variant)
                    .changes(&before, &empty_like(&before))
            }
        }
        .campaign(campaign_id)
        .subject_id(&k.id)
        .url(&k.variant, row.before.clone(), row.after.clone());
        writes.push(BulkWrite {
            creative: k,
            valid: valid.as_ref(),
            entry,
        });
    }
    ctx.store
        .bulk_apply(campaign_id, version, writes, &author)
        .await?;
    Ok(BulkPlan {
        rows,
        url_changes,
        version: version + 1,
        applied: true,
    })
}
