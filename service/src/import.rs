//! Importing creatives from a sheet: plan (the preview, with a token), then apply.

use crate::{heavy, Ctx, Error, ErrorKind, MAX_SHEET_BYTES};
use utmforge_core::account::Role;
use utmforge_core::activity::{empty_like, valid_creative_fields, Action, NewEntry};
use utmforge_core::import::{plan_import_with, plan_token, ImportPlan, RowAction};
use utmforge_core::views::ImportOutcome;
use utmforge_core::{Code, Field, Notice};

fn check_size(text: &str) -> Result<(), Error> {
    if text.len() > MAX_SHEET_BYTES {
        return Err(Error::notice(
            ErrorKind::TooLarge,
            Notice::new(
                Code::TooLong,
                Field::Sheet,
                format!("the sheet is over {} MiB: split it", MAX_SHEET_BYTES >> 20),
            ),
        ));
    }
    Ok(())
}

/// What importing `text` into campaign `campaign_id` would do, row by row. Saves nothing. The
/// plan's `token` identifies the data it was made against.
pub async fn plan(ctx: &Ctx, campaign_id: &str, text: String) -> Result<ImportOutcome, Error> {
    ctx.require(Role::Editor)?;
    check_size(&text)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let existing = ctx.store.list_creatives(campaign_id).await?;
    let rules = ctx.rules().await?;
    let plan = heavy(move || plan_import_with(&text, &campaign, &existing, &rules))
        .await?
        .map_err(sheet_error)?;
    Ok(ImportOutcome {
        dry_run: true,
        plan,
        created: 0,
        updated: 0,
    })
}

/// Imports `text`: plans it against the current data and saves every valid row in one
/// transaction (invalid rows never). With the `token` of a preview, refuses (409) when the
/// campaign or any of its creatives changed since that preview.
/// For an active campaign, an import that changes live URLs needs `confirm_live_change` (else
/// 409 `live-link-change`, as for a form).
pub async fn apply(
    ctx: &Ctx,
    campaign_id: &str,
    text: String,
    token: Option<&str>,
    confirm_live_change: bool,
) -> Result<ImportOutcome, Error> {
    let author = ctx.require(Role::Editor)?;
    check_size(&text)?;
    let campaign = ctx.store.get_campaign(campaign_id).await?;
    let existing = ctx.store.list_creatives(campaign_id).await?;
    if let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) {
        if token != plan_token(&campaign, &existing) {
            return Err(Error::notice(
                ErrorKind::Conflict,
                Notice::new(
                    Code::Stale,
                    Field::Version,
                    "the campaign or one of its creatives changed since the preview: nothing was imported. Preview again to see the current data",
                ),
            ));
        }
    }
    let version = campaign.version;
    let name = campaign.name.clone();
    let rules = ctx.rules().await?;
    let planned_for = campaign.clone();
    let plan: ImportPlan = heavy(move || plan_import_with(&text, &campaign, &existing, &rules))
        .await?
        .map_err(sheet_error)?;
    if let Some(refusal) = utmforge_core::campaign::live_link_refusal(
        &planned_for,
        &plan.link_changes(),
        confirm_live_change,
    ) {
        return Err(Error::conflict(refusal));
    }
    let entries = plan
        .rows
        .iter()
        .map(|row| row_entry(campaign_id, row))
        .collect();
    let (will_create, will_update) =
        plan.rows
            .iter()
            .filter(|r| r.valid.is_some())
            .fold((0, 0), |(c, u), r| match r.action {
                RowAction::Create => (c + 1, u),
                RowAction::Update => (c, u + 1),
                _ => (c, u),
            });
    let summary = NewEntry::new(Action::Imported, name)
        .campaign(campaign_id)
        .subject_id(campaign_id)
        .change("created", "", &will_create.to_string())
        .change("updated", "", &will_update.to_string());
    let (created, updated) = ctx
        .store
        .apply_import(campaign_id, version, &plan, &author, summary, entries)
        .await?;
    Ok(ImportOutcome {
        dry_run: false,
        plan,
        created,
        updated,
    })
}

/// The activity entry of one planned row that will be saved (None for the others).
fn row_entry(campaign_id: &str, row: &utmforge_core::import::PlannedRow) -> Option<NewEntry> {
    let valid = row.valid.as_ref()?;
    let after = valid_creative_fields(valid);
    match (row.action, &row.existing) {
        (RowAction::Create, _) => Some(
            NewEntry::new(Action::CreativeCreated, &valid.variant)
                .changes(&empty_like(&after), &after)
                .url(&valid.variant, None, row.url.clone()),
        ),
        (RowAction::Update, Some((id, _))) => {
            let mut entry = NewEntry::new(Action::CreativeChanged, &valid.variant)
                .campaign(campaign_id)
                .subject_id(id);
            for c in &row.changes {
                entry = entry.change(&c.field.replace('_', " "), &c.old, &c.new);
            }
            let before = row.previous_url.clone().or_else(|| row.url.clone());
            Some(entry.url(&valid.variant, before, row.url.clone()))
        }
        _ => None,
    }
}

/// A sheet that cannot be planned at all (too many rows or columns, unreadable): 422.
fn sheet_error(n: Notice) -> Error {
    Error::invalid(vec![n])
}
