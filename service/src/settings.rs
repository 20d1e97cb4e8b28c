//! Workspace settings: the team's rules (approved landing domains, the topic vocabulary and
//! what happens outside them). Everyone may read them (the forms suggest the topics); admins
//! change them, and every change is in the activity log.

use crate::{Ctx, Error};
use utmforge_core::account::Role;
use utmforge_core::activity::{Action, NewEntry};
use utmforge_core::campaign::workspace_link_refusal;
use utmforge_core::rules::{StoredRules, TeamRules};
use utmforge_core::views::SettingsForm;
use utmforge_core::CampaignStatus;

/// The rules as stored, with the version a change must name.
pub async fn get(ctx: &Ctx) -> Result<StoredRules, Error> {
    ctx.require(Role::Viewer)?;
    Ok(ctx.store.team_rules().await?)
}

/// The rules as the activity log shows them, field by field.
fn fields(r: &TeamRules) -> Vec<(&'static str, String)> {
    let topics: Vec<String> = r
        .topics
        .iter()
        .map(|t| {
            if t.aliases.is_empty() {
                t.topic.clone()
            } else {
                format!("{} ({})", t.topic, t.aliases.join(", "))
            }
        })
        .collect();
    vec![
        ("approved domains", r.approved_domains.join(", ")),
        (
            "outside the approved domains",
            r.domain_mode.as_str().to_string(),
        ),
        ("topics", topics.join("; ")),
        ("outside the topics", r.topic_mode.as_str().to_string()),
        (
            "links carry utm_id",
            if r.utm_id { "yes" } else { "no" }.to_string(),
        ),
    ]
}

/// Replaces the rules, if the stored ones are still at `version` (else 409 `stale`). Every
/// problem is reported (422) and nothing is saved. Switching `utm_id` on or off changes every
/// link: for active campaigns that needs `confirm_live_change` (else 409 `live-link-change`
/// listing them); the entry records old and new URLs, the link history every new URL.
pub async fn update(
    ctx: &Ctx,
    version: i64,
    rules: TeamRules,
    confirm_live_change: bool,
) -> Result<StoredRules, Error> {
    let author = ctx.require(Role::Admin)?;
    let valid = rules.validated().map_err(Error::invalid)?;
    let current = ctx.store.team_rules().await?;
    let mut entry = NewEntry::new(Action::SettingsChanged, "team rules")
        .changes(&fields(&current.rules), &fields(&valid));
    let mut links = Vec::new();
    if current.rules.utm_id != valid.utm_id {
        let mut live = Vec::new();
        for row in ctx.store.list_campaigns(None).await? {
            let campaign = row.campaign;
            for creative in ctx.store.list_creatives(&campaign.id).await? {
                let before = creative.live_url(&campaign, &current.rules);
                let after = creative.live_url(&campaign, &valid);
                let name = format!("{} / {}", campaign.slug, creative.variant);
                entry = entry.url(&name, before.clone(), after.clone());
                if campaign.status == CampaignStatus::Active {
                    live.push((name, before, after.clone()));
                }
                links.push((creative.id, after));
            }
        }
        if let Some(refusal) = workspace_link_refusal(&live, confirm_live_change) {
            return Err(Error::conflict(refusal));
        }
    }
    Ok(ctx
        .store
        .save_team_rules(&valid, version, &author, entry, &links)
        .await?)
}

/// The Settings page's form: the rules as text (see [`TeamRules::from_text`]), then
/// [`update`].
pub async fn update_from_form(
    ctx: &Ctx,
    version: i64,
    form: &SettingsForm,
) -> Result<StoredRules, Error> {
    ctx.require(Role::Admin)?;
    let rules = TeamRules::from_text(
        &form.domains,
        &form.domain_mode,
        &form.topics,
        &form.topic_mode,
        form.utm_id,
    )
    .map_err(Error::invalid)?;
    update(ctx, version, rules, form.confirm_live_change).await
}
