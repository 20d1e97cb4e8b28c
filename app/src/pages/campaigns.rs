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

impl Page for CampaignsRoute {
    fn data() -> Self {
        Self {
            campaigns: {
                let status = status_filter();
                Loaded::new(
                    move || Key::none().with(status()),
                    |k| Box::pin(list_campaigns(k.other)),
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

    let filter_link = move |value: Option<CampaignStatus>, label: &'static str| {
        let href = match value {
            Some(s) => format!("/campaigns?status={s}"),
            None => "/campaigns".to_string(),
        };
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
        </nav>
        <Transition fallback=|| view! { <p class="muted">"Loading campaigns…"</p> }>
            {move || Suspend::new(async move {
                match campaigns.await {
                    Err(e) => {
                        let message = e.for_field(Field::Status).map_or_else(|| e.summary(), |m| format!("This filter cannot be used: {m}. Choose one above."));
                        view! { <div class="banner banner-error" role="alert">{message}</div> }.into_any()
                    }
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
    }
}
