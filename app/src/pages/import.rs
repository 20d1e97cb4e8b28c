//! Importing creatives from a spreadsheet into a campaign (`/campaigns/:id/import`, a page of
//! its own): paste cells or choose a CSV file, preview what each row will do, then import the
//! valid rows in one go and go back to the campaign, which says what the import did.

use crate::api::{Call, Key, Loaded};
#[cfg(feature = "hydrate")]
use crate::components::import_done::done_key;
use crate::components::NotFoundOr;
use crate::components::{InputBanner, LazyCode};
use crate::functions::campaigns::get_campaign;
use crate::functions::import::{PreviewImport, RunImport};
use crate::pages::Page;
use crate::Can;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use utmforge_core::account::Role;
use utmforge_core::import::RowAction;
use utmforge_core::{Campaign, Field};

/// `/campaigns/:id/import`: the campaign (its name heads the page) loads while the page renders.
pub struct ImportRoute {
    head: Loaded<Campaign>,
}

impl Page for ImportRoute {
    fn data() -> Self {
        let params = use_params_map();
        Self {
            head: Loaded::new(
                move || Key::id(params.read().get("id").unwrap_or_default()),
                |k| Box::pin(get_campaign(k.id.unwrap_or_default())),
            ),
        }
    }

    fn view(this: Self) -> AnyView {
        let head = this.head;
        view! {
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match head.await {
                        Err(e) => view! { <Title text="Campaign" /><NotFoundOr error=e /> }.into_any(),
                        Ok(c) => {
                            let lede = format!("From a spreadsheet into “{}”: each row becomes a creative with its tagged URL.", c.name);
                            view! {
                            <Title text=format!("Import · {}", c.name) />
                            <p class="breadcrumb">
                                <A href="/campaigns">"Campaigns"</A> " › "
                                <A href=format!("/campaigns/{}", c.id)>{c.name.clone()}</A>
                            </p>
                            <h1>"Import creatives"</h1>
                            <p class="lede">{lede}</p>
                            <Can role=Role::Editor fallback=|| view! {
                                <p class="banner banner-error" role="alert">"Only editors can import creatives."</p>
                            }>
                                <LazyCode split="import_card_loader" /><ImportCard campaign_id=c.id.clone() />
                            </Can>
                        }.into_any()
                        }
                    }
                })}
            </Transition>
        }
        .into_any()
    }
}

/// The import form (an island): the sheet, its preview, and the import. After an import, the
/// campaign page lists the creatives and says what the import did.
#[island(lazy)]
fn ImportCard(campaign_id: String) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let preview = Call::<ShownPlan>::new(PreviewImport::url());
    let run = Call::<Imported>::new(RunImport::url());
    let id = StoredValue::new(campaign_id);
    let area = NodeRef::<leptos::html::Textarea>::new();
    #[cfg(feature = "hydrate")]
    {
        // Once, on hydration: what was typed already.
        Effect::new(move |_| {
            if let Some(typed) = area.get_untracked().map(|el| el.value()) {
                if !typed.is_empty() {
                    text.set(typed);
                }
            }
        });
        // After an import: back to the campaign, which says what it did.
        Effect::new(move |_| {
            if let Some(outcome) = run.value() {
                let id = id.get_value();
                if let Some(storage) = window().session_storage().ok().flatten() {
                    let _ = storage.set_item(&done_key(&id), &outcome.message());
                }
                let _ = window().location().assign(&format!("/campaigns/{id}"));
            }
        });
    }
    let on_file = move |ev: leptos::ev::Event| read_file(ev, area, text);
    view! {
        <section class="card import" aria-labelledby="import-h">
            <h2 id="import-h">"Your sheet"</h2>
            <p class="muted small">
                "Paste cells copied from Excel or Google Sheets, or choose a CSV file. The first row names the columns: "
                <code>"content"</code>" (the variant name), "<code>"term"</code>", "<code>"url"</code>
                " and optionally "<code>"headline"</code>", "<code>"description"</code>", "<code>"notes"</code>". Other columns are ignored. "
                "A variant the campaign already has is updated, never duplicated."
            </p>
            <InputBanner error=run.error() field=Field::Sheet />
            <div class="field">
                <label for="import-text">"Sheet"</label>
                <textarea id="import-text" class="mono" rows="6" spellcheck="false"
                    placeholder="content\tterm\turl\nHeadline A\tCRM software\thttps://example.com/crm"
                    node_ref=area
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <div class="form-actions">
                <label class="button button-small file-button">
                    "Choose a CSV file…"
                    <input type="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" class="visually-hidden" on:change=on_file />
                </label>
                <button type="button" class="button"
                    disabled=move || text.get().trim().is_empty() || preview.pending()
                    on:click=move |_| preview.dispatch(vec![("campaign_id", id.get_value()), ("text", text.get_untracked())])>
                    {move || if preview.pending() { "Reading…" } else { "Preview" }}
                </button>
            </div>
            <InputBanner error=preview.error() field=Field::Sheet />
            {move || preview.value().map(|ShownPlan { html, create, update, token, live_changes }| {
                let importable = create + update;
                let confirmed = RwSignal::new(false);
                view! {
                    <div inner_html=html></div>
                    {(live_changes > 0).then(|| view! {
                        <div class="field confirm-live">
                            <label class="check">
                                <input type="checkbox" aria-describedby="import-live-msg"
                                    on:change=move |ev| confirmed.set(event_target_checked(&ev)) />
                                " Ads carry the old link; I will update them"
                            </label>
                            <p id="import-live-msg" class="field-message">
                                {format!("This campaign is active: the import changes {live_changes} live link{} (marked above).", if live_changes == 1 { "" } else { "s" })}
                            </p>
                        </div>
                    })}
                    <div class="form-actions">
                        <button type="button" class="button button-primary"
                            disabled=move || importable == 0 || run.pending()
                            on:click=move |_| {
                                let mut args = vec![("campaign_id", id.get_value()), ("text", text.get_untracked()), ("token", token.clone())];
                                if confirmed.get_untracked() {
                                    args.push(("confirm_live_change", "true".to_string()));
                                }
                                run.dispatch(args)
                            }>
                            {move || if run.pending() { "Importing…".to_string() } else if importable == 0 { "Nothing to import".to_string() } else { format!("Import {importable} row{}", if importable == 1 { "" } else { "s" }) }}
                        </button>
                    </div>
                }
            })}
        </section>
    }
}

/// What the card reads of a preview's answer ([`crate::api::PlanPreview`]): the table the
/// server rendered, how many rows an import would save, and the plan's token the import brings
/// back. Neither the plan's decoder nor its table is compiled into this island.
#[derive(Clone, serde::Deserialize)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct ShownPlan {
    html: String,
    create: usize,
    update: usize,
    token: String,
    /// Live URLs the import changes (the campaign is active): the confirmation is needed.
    #[serde(default)]
    live_changes: usize,
}

/// What an import did, as the card tells it: the few fields of the import's answer (an
/// `ImportOutcome`, its plan flattened into it) that the message needs. Reading the whole
/// outcome would compile serde's buffering for flattened fields into this island.
#[derive(Clone, serde::Deserialize)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Imported {
    created: usize,
    updated: usize,
    unchanged: usize,
    rows: Vec<ImportedRow>,
}

#[derive(Clone, serde::Deserialize)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct ImportedRow {
    line: u64,
    action: RowAction,
}

impl Imported {
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn message(&self) -> String {
        let invalid: Vec<String> = self
            .rows
            .iter()
            .filter(|r| r.action == RowAction::Invalid)
            .map(|r| format!("line {}", r.line))
            .collect();
        format!(
            "Imported: {} created, {} updated, {} unchanged.{}",
            self.created,
            self.updated,
            self.unchanged,
            if invalid.is_empty() {
                String::new()
            } else {
                format!(" Not imported ({}): {}.", invalid.len(), invalid.join(", "))
            }
        )
    }
}

#[cfg(feature = "hydrate")]
/// Reads the chosen file into the sheet (the textarea shows it).
fn read_file(ev: leptos::ev::Event, area: NodeRef<leptos::html::Textarea>, text: RwSignal<String>) {
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
            let value = value.as_string().unwrap_or_default();
            if let Some(el) = area.get_untracked() {
                el.set_value(&value);
            }
            text.set(value);
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn read_file(_: leptos::ev::Event, _: NodeRef<leptos::html::Textarea>, _: RwSignal<String>) {}
