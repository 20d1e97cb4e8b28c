//! Importing creatives from a spreadsheet into a campaign: paste cells or choose a CSV file,
//! preview what each row will do, then import the valid rows in one go.

use crate::api::{PreviewImport, RunImport};
use crate::components::InputBanner;
use leptos::prelude::*;
use utmforge_core::import::{ImportPlan, RowAction};
use utmforge_core::views::ImportOutcome;
use utmforge_core::Field;

/// The import card: an island (the rest of the campaign page is the server's HTML). After an
/// import the page reloads to list the creatives; what the import did is shown again then.
/// A pasted sheet is kept in this tab (session storage) until it is imported, so reloading the
/// page (adding a creative does) does not lose it.
#[island(lazy)]
pub fn ImportCard(campaign_id: String) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let preview = ServerAction::<PreviewImport>::new();
    let run = ServerAction::<RunImport>::new();
    let done = RwSignal::new(None::<ImportOutcome>);
    let sheet_key = format!("utmforge-sheet:{campaign_id}");
    let done_key = format!("utmforge-import-done:{campaign_id}");
    let id = StoredValue::new(campaign_id);
    let preview_error = Signal::derive(move || preview.value().get().and_then(Result::err));
    let run_error = Signal::derive(move || run.value().get().and_then(Result::err));
    let plan = move || preview.value().get().and_then(Result::ok);

    let area = NodeRef::<leptos::html::Textarea>::new();
    // The sheet is written into the textarea only when it comes from elsewhere (a file, this
    // tab's storage): text typed before the page hydrated stays.
    Effect::watch(
        move || text.get(),
        move |value, _, _| {
            if let Some(el) = area.get_untracked() {
                if el.value() != *value {
                    el.set_value(value);
                }
            }
        },
        false,
    );
    #[cfg(feature = "hydrate")]
    {
        let (sheet, outcome_key) = (sheet_key.clone(), done_key.clone());
        // Once, on hydration: what was typed already, or what this tab had pasted, and what
        // the last import did.
        Effect::new(move |_| {
            let (sheet_key, done_key) = (&sheet, &outcome_key);
            let typed = area
                .get_untracked()
                .map(|el| el.value())
                .unwrap_or_default();
            if let Some(storage) = window().session_storage().ok().flatten() {
                if !typed.is_empty() {
                    text.set(typed);
                } else if let Ok(Some(saved)) = storage.get_item(sheet_key) {
                    text.set(saved);
                }
                if let Ok(Some(outcome)) = storage.get_item(done_key) {
                    let _ = storage.remove_item(done_key);
                    done.set(serde_json::from_str(&outcome).ok());
                }
            }
        });
        // After an import: forget the sheet, remember the outcome, and reload the page.
        let (sheet_key, done_key) = (sheet_key.clone(), done_key.clone());
        Effect::new(move |_| {
            if let Some(Ok(outcome)) = run.value().get() {
                if let Some(storage) = window().session_storage().ok().flatten() {
                    let _ = storage.remove_item(&sheet_key);
                    if let Ok(json) = serde_json::to_string(&outcome) {
                        let _ = storage.set_item(&done_key, &json);
                    }
                }
                let location = window().location();
                let _ = location.href().map(|here| location.replace(&here));
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (&done_key, &run, &sheet_key);
    let save_sheet = move |value: String| {
        #[cfg(feature = "hydrate")]
        if let Some(storage) = window().session_storage().ok().flatten() {
            let _ = storage.set_item(&sheet_key, &value);
        }
        text.set(value);
    };
    let on_file = move |ev: leptos::ev::Event| read_file(ev, text);
    view! {
        <section class="card import" aria-labelledby="import-h">
            <h2 id="import-h">"Import from a spreadsheet"</h2>
            <p class="muted small">
                "Paste cells copied from Excel or Google Sheets, or choose a CSV file. The first row names the columns: "
                <code>"content"</code>" (the variant name), "<code>"term"</code>", "<code>"url"</code>
                " and optionally "<code>"headline"</code>", "<code>"notes"</code>". Other columns are ignored. "
                "A variant the campaign already has is updated, never duplicated."
            </p>
            {move || done.get().map(|o| view! { <ImportDone outcome=o /> })}
            <InputBanner error=run_error field=Field::Sheet />
            <div class="field">
                <label for="import-text">"Sheet"</label>
                <textarea id="import-text" class="mono" rows="6" spellcheck="false"
                    placeholder="content\tterm\turl\nHeadline A\tCRM software\thttps://example.com/crm"
                    node_ref=area
                    on:input=move |ev| save_sheet(event_target_value(&ev))></textarea>
            </div>
            <div class="form-actions">
                <label class="button button-small file-button">
                    "Choose a CSV file…"
                    <input type="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" class="visually-hidden" on:change=on_file />
                </label>
                <button type="button" class="button"
                    disabled=move || text.get().trim().is_empty() || preview.pending().get()
                    on:click=move |_| { preview.dispatch(PreviewImport { campaign_id: id.get_value(), text: text.get_untracked() }); }>
                    {move || if preview.pending().get() { "Reading…" } else { "Preview" }}
                </button>
            </div>
            <InputBanner error=preview_error field=Field::Sheet />
            {move || plan().map(|p| {
                let importable = p.create + p.update;
                let token = StoredValue::new(p.token.clone());
                view! {
                    <ImportPreview plan=p />
                    <div class="form-actions">
                        <button type="button" class="button button-primary"
                            disabled=move || importable == 0 || run.pending().get()
                            on:click=move |_| { run.dispatch(RunImport { campaign_id: id.get_value(), text: text.get_untracked(), token: token.get_value() }); }>
                            {move || if run.pending().get() { "Importing…".to_string() } else if importable == 0 { "Nothing to import".to_string() } else { format!("Import {importable} row{}", if importable == 1 { "" } else { "s" }) }}
                        </button>
                    </div>
                }
            })}
        </section>
    }
}

#[component]
fn ImportPreview(plan: ImportPlan) -> impl IntoView {
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

#[component]
fn ImportDone(outcome: ImportOutcome) -> impl IntoView {
    let invalid: Vec<String> = outcome
        .plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::Invalid)
        .map(|r| format!("line {}", r.line))
        .collect();
    let text = format!(
        "Imported: {} created, {} updated, {} unchanged.{}",
        outcome.created,
        outcome.updated,
        outcome.plan.unchanged,
        if invalid.is_empty() {
            String::new()
        } else {
            format!(" Not imported ({}): {}.", invalid.len(), invalid.join(", "))
        }
    );
    view! { <p class="banner banner-success" role="status" data-testid="import-done">{text}</p> }
}

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

#[cfg(feature = "hydrate")]
fn read_file(ev: leptos::ev::Event, text: RwSignal<String>) {
    use leptos::wasm_bindgen::JsCast;
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    let promise = file.text();
    leptos::task::spawn_local(async move {
        if let Ok(value) = wasm_bindgen_futures::JsFuture::from(promise).await {
            text.set(value.as_string().unwrap_or_default());
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn read_file(_: leptos::ev::Event, _: RwSignal<String>) {}
