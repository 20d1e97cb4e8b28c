//! `/campaigns/:id/bulk`: what a change of several creatives does — every URL that changes,
//! old → new — before anything is saved; then **Apply** saves it in one transaction.

use crate::api::{Key, Loaded};
use crate::components::NotFoundOr;
use crate::components::{ConfirmLiveChange, Form};
use crate::functions::campaigns::{get_campaign, preview_bulk, ApplyBulk};
use crate::pages::Page;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use utmforge_core::views::{BulkChange, BulkPlan};
use utmforge_core::{Campaign, CampaignStatus};

pub struct BulkRoute {
    head: Loaded<Campaign>,
    plan: Loaded<BulkPlan>,
}

/// The change the campaign page's form asks for: the chosen `ids` (or `all` that the search
/// `q` finds), `what` to do and the new `value`.
fn change_from_query() -> impl Fn() -> BulkChange + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        let value = q.get("value").unwrap_or_default();
        let all = q.get("all").is_some_and(|a| a == "1");
        let what = q.get("what").unwrap_or_default();
        BulkChange {
            ids: if all {
                Vec::new()
            } else {
                q.get_all("ids").unwrap_or_default()
            },
            search: if all { q.get("q") } else { None },
            topic: (what == "topic").then(|| value.clone()),
            landing_url: (what == "landing_url").then(|| value.clone()),
            delete: what == "delete",
        }
    }
}

impl Page for BulkRoute {
    fn data() -> Self {
        let params = use_params_map();
        let id = move || params.read().get("id").unwrap_or_default();
        let change = change_from_query();
        Self {
            head: Loaded::new(
                move || Key::id(id()),
                |k| Box::pin(get_campaign(k.id.unwrap_or_default())),
            ),
            plan: Loaded::new(
                move || Key::id(id()).with(serde_json::to_string(&change()).ok()),
                |k| {
                    let change: BulkChange =
                        serde_json::from_str(&k.other.unwrap_or_default()).unwrap_or_default();
                    Box::pin(preview_bulk(k.id.unwrap_or_default(), change))
                },
            ),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <BulkPage head=this.head plan=this.plan /> }.into_any()
    }
}

/// The hidden fields that carry `change` to the apply.
fn change_fields(change: &BulkChange) -> impl IntoView {
    let mut fields: Vec<(String, String)> = change
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (format!("change[ids][{i}]"), id.clone()))
        .collect();
    for (name, value) in [
        ("change[search]", &change.search),
        ("change[topic]", &change.topic),
        ("change[landing_url]", &change.landing_url),
    ] {
        if let Some(v) = value {
            fields.push((name.to_string(), v.clone()));
        }
    }
    if change.delete {
        fields.push(("change[delete]".into(), "true".into()));
    }
    fields
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
        .collect_view()
}

#[component]
fn BulkPage(head: Loaded<Campaign>, plan: Loaded<BulkPlan>) -> impl IntoView {
    let change = change_from_query()();
    view! {
        <Title text="Change creatives" />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                let change = change.clone();
                Suspend::new(async move {
                let c = match head.await {
                    Ok(c) => c,
                    Err(e) => return view! { <NotFoundOr error=e /> }.into_any(),
                };
                let back = format!("/campaigns/{}", c.id);
                let what = if change.delete {
                    "Delete (to the trash)".to_string()
                } else if let Some(t) = &change.topic {
                    if t.trim().is_empty() { "Topic: the campaign's".to_string() } else { format!("Topic: {t}") }
                } else {
                    let u = change.landing_url.clone().unwrap_or_default();
                    if u.trim().is_empty() { "Landing URL: the campaign's".to_string() } else { format!("Landing URL: {u}") }
                };
                let body = match plan.await {
                    Err(e) => view! {
                        <div class="banner banner-error" role="alert">{e.summary()}</div>
                        <p><a href=back.clone() class="button">"Back to the campaign"</a></p>
                    }.into_any(),
                    Ok(plan) => {
                        let cancel = back.clone();
                        let n = plan.rows.len();
                        let active = c.status == CampaignStatus::Active && plan.url_changes > 0;
                        view! {
                            <p class="lede" data-testid="bulk-summary">
                                {format!("{what}. {n} creative{} chosen; {} URL{} change{}.",
                                    if n == 1 { "" } else { "s" }, plan.url_changes,
                                    if plan.url_changes == 1 { "" } else { "s" }, if plan.url_changes == 1 { "s" } else { "" })}
                            </p>
                            <div class="card table-card">
                                <table class="data-table bulk-table" aria-label="What changes">
                                    <thead><tr><th scope="col">"Creative"</th><th scope="col">"URL now"</th><th scope="col">"URL after"</th></tr></thead>
                                    <tbody>
                                        {plan.rows.into_iter().map(|r| {
                                            let same = r.before == r.after;
                                            view! {
                                                <tr class:unchanged=same>
                                                    <td data-label="Creative">{r.variant}</td>
                                                    <td data-label="URL now" class="url">{r.before.unwrap_or_else(|| "(none)".into())}</td>
                                                    <td data-label="URL after" class="url">{match r.after {
                                                        Some(a) if same => format!("{a} (unchanged)"),
                                                        Some(a) => a,
                                                        None => "(deleted: to the trash)".into(),
                                                    }}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <div class="card">
                                <Form action=ApplyBulk::url() class="form" novalidate=true>
                                    <input type="hidden" name="campaign_id" value=c.id.clone() />
                                    <input type="hidden" name="version" value=plan.version />
                                    {change_fields(&change)}
                                    <ConfirmLiveChange active />
                                    <div class="form-actions">
                                        <button type="submit" class="button button-primary">{format!("Apply to {n} creative{}", if n == 1 { "" } else { "s" })}</button>
                                        <A href=cancel attr:class="button">"Cancel"</A>
                                    </div>
                                </Form>
                            </div>
                        }.into_any()
                    }
                };
                view! {
                    <p class="breadcrumb"><A href="/campaigns">"Campaigns"</A>" / "<A href=back.clone()>{c.name.clone()}</A></p>
                    <h1>"Change creatives"</h1>
                    {body}
                }.into_any()
            })}}
        </Transition>
    }
}
