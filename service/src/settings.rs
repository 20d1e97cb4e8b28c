//! Workspace settings: the team's rules (approved landing domains, the topic vocabulary and
//! what happens outside them). Everyone may read them (the forms suggest the topics); admins
//! change them, and every change is in the activity log.

use crate::{Ctx, Error};
use utmforge_core::account::Role;
use utmforge_core::activity::{Action, NewEntry};
use utmforge_core::rules::{StoredRules, TeamRules};

/// The rules as stored, with the version a change must name.
pub async fn get(ctx: &Ctx) -> Result<StoredRules, Error> {
    ctx.require(Role::Viewer)?;
    Ok(ctx.store.team_rules().await?)
}

/// The rules every write applies (no role check: the use case calling it made its own).
pub(crate) async fn rules(ctx: &Ctx) -> Result<TeamRules, Error> {
    Ok(ctx.store.team_rules().await?.rules)
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
    ]
}

/// Replaces the rules, if the stored ones are still at `version` (else 409 `stale`). Every
/// problem is reported (422) and nothing is saved.
pub async fn update(ctx: &Ctx, version: i64, rules: TeamRules) -> Result<StoredRules, Error> {
    let author = ctx.require(Role::Admin)?;
    let valid = rules.validated().map_err(Error::invalid)?;
    let current = ctx.store.team_rules().await?;
    let entry = NewEntry::new(Action::SettingsChanged, "team rules")
        .changes(&fields(&current.rules), &fields(&valid));
    Ok(ctx
        .store
        .save_team_rules(&valid, version, &author, entry)
        .await?)
}

/// The Settings page's form: the rules as text (see [`TeamRules::from_text`]), then
/// [`update`].
pub async fn update_from_form(
    ctx: &Ctx,
    version: i64,
    domains: &str,
    domain_mode: &str,
    topics: &str,
    topic_mode: &str,
) -> Result<StoredRules, Error> {
    ctx.require(Role::Admin)?;
    let rules =
        TeamRules::from_text(domains, domain_mode, topics, topic_mode).map_err(Error::invalid)?;
    update(ctx, version, rules).await
}
