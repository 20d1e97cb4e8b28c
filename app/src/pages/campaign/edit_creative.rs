//! `/campaigns/:id/creatives/:cid`: one creative's form and its link history.

use super::creative_form::CreativeFields;
use crate::api::{Key, Loaded};
use crate::components::NotFoundOr;
use crate::components::{ConfirmLiveChange, Form, TopicList};
use crate::format::timestamp_seconds;
use crate::functions::campaigns::get_campaign_head;
use crate::functions::creatives::{get_creative, get_creative_history, UpdateCreative};
use crate::pages::Page;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use utmforge_core::ads::insights::money;
use utmforge_core::views::{CampaignPage, CreativeWithUrl, LinkPeriod};
use utmforge_core::CampaignStatus;

/// `/campaigns/:id/creatives/:cid`: the campaign and the creative load while the page's code
/// does.
pub struct EditCreativeRoute {
    page: Loaded<CampaignPage>,
    creative: Loaded<CreativeWithUrl>,
    history: Loaded<Vec<LinkPeriod>>,
}

impl Page for EditCreativeRoute {
    fn data() -> Self {
        let params = use_params_map();
        let id = move || Key::id(params.read().get("id").unwrap_or_default());
        let cid = move || Key::id(params.read().get("cid").unwrap_or_default());
        Self {
            page: Loaded::new(id, |k| {
                Box::pin(get_campaign_head(k.id.unwrap_or_default()))
            }),
            creative: Loaded::new(cid, |k| Box::pin(get_creative(k.id.unwrap_or_default()))),
            history: Loaded::new(cid, |k| {
                Box::pin(get_creative_history(k.id.unwrap_or_default()))
            }),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <EditCreativePage page=this.page creative=this.creative history=this.history /> }
            .into_any()
    }
}

#[component]
fn EditCreativePage(
    page: Loaded<CampaignPage>,
    creative: Loaded<CreativeWithUrl>,
    history: Loaded<Vec<LinkPeriod>>,
) -> impl IntoView {
    view! {
        <Title text="Edit creative" />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let data = match page.await {
                    Ok(page) => creative.await.map(|k| (page, k.creative)),
                    Err(e) => Err(e),
                };
                let periods = history.await.unwrap_or_default();
                match data {
                    Err(e) => view! { <NotFoundOr error=e /> }.into_any(),
                    Ok((page, k)) => {
                        let back = format!("/campaigns/{}", page.campaign.id);
                        let name = page.campaign.name.clone();
                        let campaign = page.campaign;
                        let rules = page.rules;
                        view! {
                            <TopicList topics=rules.suggestions() />
                            <p class="breadcrumb">
                                <A href="/campaigns">"Campaigns"</A>" / "<A href=back.clone()>{name}</A>
                            </p>
                            <h1>{format!("Edit creative “{}”", k.variant)}</h1>
                            <div class="card">
                                <Form action=UpdateCreative::url() class="form" novalidate=true>
                                    <input type="hidden" name="id" value=k.id.clone() />
                                    <input type="hidden" name="version" value=k.version />
                                    <CreativeFields campaign=campaign.clone() rules=rules.clone() initial=Some(k.clone()) />
                                    <ConfirmLiveChange active={campaign.status == CampaignStatus::Active} />
                                    <div class="form-actions">
                                        <button type="submit" class="button button-primary">"Save creative"</button>
                                        <A href=back attr:class="button">"Cancel"</A>
                                    </div>
                                </Form>
                            </div>
                            <LinkHistory periods />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Every URL a creative has carried, the current one first: what to look for in the ads
/// manager's clicks and GA4's sessions of those days.
#[component]
fn LinkHistory(periods: Vec<LinkPeriod>) -> impl IntoView {
    let with_results = periods.iter().any(|p| p.results.is_some());
    view! {
        <section class="card" aria-labelledby="history-h">
            <h2 id="history-h">"Link history"</h2>
            <p class="muted">"Every URL this creative has carried, with when it started and stopped (UTC)"
                {with_results.then_some(", and the clicks and spend its ChatGPT ad received meanwhile (a day counts for the URL live at noon UTC; the Results tab has every day)")}
                ". Which links were live on a given day, for all campaigns: the export on the Campaigns page."</p>
            {if periods.is_empty() {
                view! { <p class="empty-state">"No URL recorded yet: this creative's URL cannot be built (see above)."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table history-table" data-testid="link-history">
                        <thead><tr>
                            <th scope="col">"URL"</th><th scope="col">"From"</th><th scope="col">"To"</th>
                            {with_results.then(|| view! { <th scope="col" class="num">"Clicks"</th><th scope="col" class="num">"Spend"</th> })}
                        </tr></thead>
                        <tbody>
                            {periods.into_iter().map(|p| view! {
                                <tr>
                                    <td class="url" data-label="URL">{p.url}</td>
                                    <td data-label="From">{timestamp_seconds(p.from)}</td>
                                    <td data-label="To">{match p.to {
                                        Some(to) => timestamp_seconds(to).into_any(),
                                        None => view! { <span class="badge badge-active">"live now"</span> }.into_any(),
                                    }}</td>
                                    {with_results.then(|| {
                                        let r = p.results.clone().unwrap_or_default();
                                        view! {
                                            <td data-label="Clicks" class="num">{r.clicks.map_or_else(|| "—".to_string(), |c| c.to_string())}</td>
                                            <td data-label="Spend" class="num">{r.spend_micros.map_or_else(|| "—".to_string(), money)}</td>
                                        }
                                    })}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
