//! An import plan's preview table, rendered by the server (the import page shows it as HTML:
//! the browser compiles neither the plan's decoder nor this view).

#[cfg(feature = "ssr")]
use utmforge_core::import::ImportPlan;
#[cfg(feature = "ssr")]
use utmforge_core::import::RowAction;

#[cfg(feature = "ssr")]
use leptos::prelude::*;

/// A plan's preview table, as HTML (the server renders it; the card shows it as it is:
/// nothing in it reacts). The renderer escapes every value.
#[cfg(feature = "ssr")]
pub fn plan_html(plan: ImportPlan) -> String {
    import_preview(plan).to_html()
}

/// The preview table: totals, the columns not read or kept, and each row.
#[cfg(feature = "ssr")]
fn import_preview(plan: ImportPlan) -> impl IntoView {
    let summary = totals(&plan);
    view! {
        <p class="import-totals" data-testid="import-totals">{summary}</p>
        {(!plan.ignored_columns.is_empty()).then(|| view! {
            <p class="muted small" data-testid="ignored-columns">"Ignored columns: " {plan.ignored_columns.join(", ")}</p>
        })}
        {(plan.update > 0 && !plan.kept_columns.is_empty()).then(|| view! {
            <p class="muted small" data-testid="kept-columns">"Not in the sheet, so left as they are in updated creatives: " {plan.kept_columns.join(", ")}</p>
        })}
        <div class="table-scroll">
            <table class="data-table import-table" data-testid="import-preview">
                <thead><tr><th>"Line"</th><th>"Variant"</th><th>"Will"</th><th>"URL or problem"</th></tr></thead>
                <tbody>
                    {plan.rows.into_iter().map(|r| {
                        let (label, class) = match r.action {
                            RowAction::Create => ("create", "badge badge-active"),
                            RowAction::Update => ("update", "badge badge-paused"),
                            RowAction::Unchanged => ("unchanged", "badge"),
                            RowAction::Invalid => ("not imported", "badge badge-error"),
                        };
                        view! {
                            <tr data-action=label>
                                <td data-label="Line">{r.line}</td>
                                <td data-label="Variant">{r.variant}</td>
                                <td data-label="Will"><span class=class>{label}</span></td>
                                <td data-label="URL or problem">
                                    {r.url.map(|u| view! { <span class="url">{u}</span> })}
                                    {(!r.changes.is_empty()).then(|| view! {
                                        <ul class="changes" data-testid="row-changes">{r.changes.into_iter().map(|c| view! {
                                            <li><span class="change-field">{c.field}</span>": "
                                                <del>{if c.old.is_empty() { "(empty)".to_string() } else { c.old }}</del>" → "
                                                <ins>{if c.new.is_empty() { "(empty)".to_string() } else { c.new }}</ins></li>
                                        }).collect_view()}</ul>
                                    })}
                                    {r.previous_url.map(|u| view! {
                                        <p class="small warning-text" data-testid="url-change">"The URL changes. Ads that use the old one keep it until you edit them: " <span class="url">{u}</span></p>
                                    })}
                                    {(!r.errors.is_empty()).then(|| view! {
                                        <ul class="preview-errors">{r.errors.into_iter().map(|e| view! { <li>{format!("{}: {}", e.field, e.message)}</li> }).collect_view()}</ul>
                                    })}
                                    {(!r.warnings.is_empty()).then(|| view! {
                                        <ul class="warnings">{r.warnings.into_iter().map(|w| view! { <li>{w.message}</li> }).collect_view()}</ul>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(feature = "ssr")]
fn totals(plan: &ImportPlan) -> String {
    format!(
        "{} row{}: {} to create, {} to update, {} unchanged, {} not imported.",
        plan.rows.len(),
        if plan.rows.len() == 1 { "" } else { "s" },
        plan.create,
        plan.update,
        plan.unchanged,
        plan.invalid
    )
}
