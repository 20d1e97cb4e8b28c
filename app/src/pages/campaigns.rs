//! The campaigns table: filter by status, open a campaign, start a new one.

use crate::api::{list_campaigns, Key, Loaded};
use crate::format::timestamp;
use crate::routes::Page;
use crate::Can;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use utmforge_core::account::Role;
use utmforge_core::views::CampaignRow;
use utmforge_core::{CampaignStatus, Field};

/// `/campaigns`: the list loads while the page's code does (see `crate::routes`).
pub struct CampaignsRoute {
    campaigns: Loaded<Vec<CampaignRow>>,
}

/// The status filter, passed as written: one that is not a status is refused by the server,
/// as the API does.
fn status_filter() -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get("status")
}

/// `?problems=true`: only campaigns whose links have problems.
fn problems_filter() -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get("problems").is_some_and(|v| v == "true")
}

/// The list's address for these filters.
fn list_href(status: Option<&str>, problems: bool) -> String {
    match (status, problems) {
        (None, false) => "/campaigns".to_string(),
        (Some(s), false) => format!("/campaigns?status={s}"),
        (None, true) => "/campaigns?problems=true".to_string(),
        (Some(s), true) => format!("/campaigns?status={s}&problems=true"),
    }
}

impl Page for CampaignsRoute {
    fn data() -> Self {
        Self {
            campaigns: {
                let status = status_filter();
                let problems = problems_filter();
                Loaded::new(
                    move || {
                        Key::none().with(Some(format!(
                            "{}\n{}",
                            status().unwrap_or_default(),
                            problems()
                        )))
                    },
                    |k| {
                        let key = k.other.unwrap_or_default();
                        let (status, problems) = key.split_once('\n').unwrap_or_default();
                        let status = Some(status.to_string()).filter(|s| !s.is_empty());
                        Box::pin(list_campaigns(status, problems == "true"))
                    },
                )
            },
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <CampaignsPage campaigns=this.campaigns /> }.into_any()
    }
}

#[component]
fn CampaignsPage(campaigns: Loaded<Vec<CampaignRow>>) -> impl IntoView {
    let status = status_filter();
    let problems = problems_filter();

    let filter_link = move |value: Option<CampaignStatus>, label: &'static str| {
        let href = move || list_href(value.map(CampaignStatus::as_str), problems());
        let current = move || status() == value.map(|s| s.to_string());
        view! {
            <a href=href class="chip" aria-current=move || current().then_some("true")>
                {label}
            </a>
        }
    };

    view! {
        <Title text="Campaigns" />
        <div class="page-head">
            <div>
                <h1>"Campaigns"</h1>
                <p class="lede">"Each campaign gives utm_campaign and utm_medium to every creative's link."</p>
            </div>
            <div class="actions">
                <a class="button" href="/api/v1/export.csv" download="" rel="external">"Export all (CSV)"</a>
                <Can role=Role::Editor>
                    <A href="/campaigns/new" attr:class="button button-primary">
                        "New campaign"
                    </A>
                </Can>
            </div>
        </div>
        <nav class="chips" aria-label="Filter by status">
            {filter_link(None, "All")}
            {CampaignStatus::ALL.map(|s| filter_link(Some(s), s.label())).collect_view()}
            <a href=move || list_href(status().as_deref(), !problems()) class="chip chip-problems"
                aria-current=move || problems().then_some("true")
                title="Creatives whose URL cannot be built, has warnings, or whose latest link check found the page broken">
                "With problems"
            </a>
        </nav>
        <Transition fallback=|| view! { <p class="muted">"Loading campaigns…"</p> }>
            {move || Suspend::new(async move {
                match campaigns.await {
                    Err(e) => {
                        let message = e.for_field(Field::Status).map_or_else(|| e.summary(), |m| format!("This filter cannot be used: {m}. Choose one above."));
                        view! { <div class="banner banner-error" role="alert">{message}</div> }.into_any()
                    }
                    Ok(rows) if rows.is_empty() && problems() => view! {
                        <div class="card empty-state"><p>"No campaign here has a problem: every link can be built, none has a warning, and no link check found a broken page."</p></div>
                    }.into_any(),
                    Ok(rows) if rows.is_empty() && status().is_none() => view! {
                        <div class="card empty-state">
                            <h2>"No campaigns yet"</h2>
                            <p>
                                "Start with the campaign you are about to run in ChatGPT: its name, whether you buy clicks (CPC) or impressions (CPM), and the landing page. Then add one creative per ad variant and copy each link into Ads Manager."
                            </p>
                            <Can role=Role::Editor fallback=|| view! { <p class="muted">"An editor can create one; you can see and copy everything."</p> }>
                                <p>
                                    <A href="/campaigns/new" attr:class="button button-primary">"Create your first campaign"</A>
                                </p>
                            </Can>
                        </div>
                    }.into_any(),
                    Ok(rows) if rows.is_empty() => view! {
                        <div class="card empty-state"><p>"No campaign has this status."</p></div>
                    }.into_any(),
                    Ok(rows) => view! {
                        <div class="card table-card">
                            <table class="data-table" aria-label="Campaigns">
                                <thead>
                                    <tr>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"utm_campaign"</th>
                                        <th scope="col">"Medium"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col" class="num">"Creatives"</th>
                                        <th scope="col">"Updated"</th>
                                        {problems().then(|| view! { <th scope="col">"Problems"</th> })}
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|row| {
                                        let c = row.campaign;
                                        view! {
                                            <tr>
                                                <td data-label="Name"><A href=format!("/campaigns/{}", c.id)>{c.name}</A></td>
                                                <td data-label="utm_campaign"><code>{c.slug}</code></td>
                                                <td data-label="Medium"><code>{c.buying_model.utm_medium()}</code></td>
                                                <td data-label="Status"><span class=format!("badge badge-{}", c.status)>{c.status.label()}</span></td>
                                                <td data-label="Creatives" class="num">{row.creative_count}</td>
                                                <td data-label="Updated" class="muted">{timestamp(c.updated_at)}</td>
                                                {row.problems.map(|p| view! { <td data-label="Problems" class="problems">{p.summary()}</td> })}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="live-on-h">
            <h2 id="live-on-h">"Which links were live on a day"</h2>
            <p class="muted">"Every URL each creative carried at some moment of that day (UTC), with when it started and stopped: to match the clicks the ads manager counted with GA4's sessions after a link changed."</p>
            <form class="form form-inline labeled" method="get" action="/api/v1/link-history.csv">
                <div class="field">
                    <label for="live-on-date">"Day (UTC)"</label>
                    <input id="live-on-date" name="date" type="date" required />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button">"Download CSV"</button>
                </div>
            </form>
        </section>
    }
}
