//! The campaigns table: filter by status, open a campaign, start a new one.

use crate::api::{Key, Loaded};
use crate::components::Pager;
use crate::format::timestamp;
use crate::functions::campaigns::list_campaigns;
use crate::pages::Page;
use crate::Can;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use utmforge_core::account::Role;
use utmforge_core::listing::{CampaignFilter, CampaignSort};
use utmforge_core::views::CampaignList;
use utmforge_core::{BuyingModel, CampaignStatus, ConversionEvent};

/// `/campaigns`: the list loads while the page's code does (see `crate::routes`).
pub struct CampaignsRoute {
    campaigns: Loaded<CampaignList>,
}

/// The list's filters as the address gives them (passed as written: a value that is not one
/// is refused by the server, as the API does), and whether only campaigns with problems.
fn list_params() -> impl Fn() -> (CampaignFilter, bool) + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        (
            CampaignFilter {
                q: q.get("q"),
                status: q.get("status"),
                medium: q.get("medium"),
                conversion: q.get("conversion"),
                updated_since: q.get("updated_since"),
                sort: q.get("sort"),
                limit: q.get("limit"),
                cursor: q.get("cursor"),
            },
            q.get("problems").is_some_and(|v| v == "true"),
        )
    }
}

/// The list's address for `filter` (empty values left out).
fn list_href(filter: &CampaignFilter, problems: bool) -> String {
    let pairs = [
        ("q", &filter.q),
        ("status", &filter.status),
        ("medium", &filter.medium),
        ("conversion", &filter.conversion),
        ("updated_since", &filter.updated_since),
        ("sort", &filter.sort),
        ("limit", &filter.limit),
        ("cursor", &filter.cursor),
    ];
    let mut query: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", crate::format::query_escape(v)))
        })
        .collect();
    if problems {
        query.push("problems=true".into());
    }
    if query.is_empty() {
        "/campaigns".into()
    } else {
        format!("/campaigns?{}", query.join("&"))
    }
}

impl Page for CampaignsRoute {
    fn data() -> Self {
        let params = list_params();
        Self {
            campaigns: Loaded::new(
                move || Key::none().with(serde_json::to_string(&params()).ok()),
                |k| {
                    let (filter, problems): (CampaignFilter, bool) =
                        serde_json::from_str(&k.other.unwrap_or_default()).unwrap_or_default();
                    Box::pin(list_campaigns(filter, problems))
                },
            ),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <CampaignsPage campaigns=this.campaigns /> }.into_any()
    }
}

/// A `<select>` of the filter form: "any" first, then `choices` (value, label).
fn filter_select(
    id: &'static str,
    label: &'static str,
    any: &'static str,
    current: Option<String>,
    choices: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=format!("filter-{id}")>{label}</label>
            <select id=format!("filter-{id}") name=id>
                <option value="">{any}</option>
                {choices.into_iter().map(|(value, text)| view! {
                    <option value=value selected=current.as_deref() == Some(value)>{text}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn CampaignsPage(campaigns: Loaded<CampaignList>) -> impl IntoView {
    let params = list_params();
    let (filter, problems) = params();
    let filtered = filter.q.is_some()
        || filter.status.is_some()
        || filter.medium.is_some()
        || filter.conversion.is_some()
        || filter.updated_since.is_some()
        || problems;
    let page_href = move |cursor: Option<String>| {
        let (filter, problems) = params();
        list_href(&CampaignFilter { cursor, ..filter }, problems)
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
                <a class="button" href="/trash">"Trash"</a>
                <Can role=Role::Editor>
                    <A href="/campaigns/new" attr:class="button button-primary">
                        "New campaign"
                    </A>
                </Can>
            </div>
        </div>
        <form class="card filters" method="get" action="/campaigns" role="search" aria-label="Search and filter campaigns">
            <div class="field search-field">
                <label for="campaign-search">"Search"</label>
                <input id="campaign-search" name="q" type="search" autocomplete="off" maxlength="100"
                    value=filter.q.clone().unwrap_or_default() placeholder="name or utm_campaign"
                    aria-describedby="campaign-search-msg" />
                <p id="campaign-search-msg" class="field-message">"Finds campaigns as you type."</p>
            </div>
            <div class="filter-row">
                {filter_select("status", "Status", "Any status", filter.status.clone(),
                    CampaignStatus::ALL.iter().map(|s| (s.as_str(), s.label())).collect())}
                {filter_select("medium", "Buying model", "CPC or CPM", filter.medium.clone(),
                    BuyingModel::ALL.iter().map(|m| (m.utm_medium(), m.label())).collect())}
                {filter_select("conversion", "Conversion", "Any conversion", filter.conversion.clone(),
                    ConversionEvent::ALL.iter().map(|c| (c.as_str(), c.label())).collect())}
                <div class="field">
                    <label for="filter-updated_since">"Updated since"</label>
                    <input id="filter-updated_since" name="updated_since" type="date" value=filter.updated_since.clone().unwrap_or_default() />
                </div>
                {filter_select("sort", "Order", "Recently updated", filter.sort.clone(),
                    CampaignSort::ALL[1..].iter().map(|o| (o.as_str(), o.label())).collect())}
            </div>
            <div class="form-actions">
                <label class="check">
                    <input type="checkbox" name="problems" value="true" checked=problems
                        title="Creatives whose URL cannot be built, has warnings, or whose latest link check found the page broken" />
                    " Only campaigns with problems"
                </label>
                <button type="submit" class="button">"Apply"</button>
                {filtered.then(|| view! { <a class="button button-quiet" href="/campaigns">"Clear"</a> })}
            </div>
            <SearchAsYouType />
        </form>
        <Transition fallback=|| view! { <p class="muted">"Loading campaigns…"</p> }>
            {move || Suspend::new(async move {
                match campaigns.await {
                    Err(e) => {
                        let message = e.reason();
                        view! { <div class="banner banner-error" role="alert">{format!("This search cannot be used. {message}. Change it above, or clear it.")}</div> }.into_any()
                    }
                    Ok(list) if list.items.is_empty() && problems => view! {
                        <div class="card empty-state"><p>"No campaign here has a problem: every link can be built, none has a warning, and no link check found a broken page."</p></div>
                    }.into_any(),
                    Ok(list) if list.items.is_empty() && !filtered && list.prev_cursor.is_none() => view! {
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
                    Ok(list) if list.items.is_empty() => view! {
                        <div class="card empty-state"><p>"No campaign matches this search. "<a href="/campaigns">"Show all campaigns"</a></p></div>
                    }.into_any(),
                    Ok(list) => {
                        let (prev, next) = (list.prev_cursor.clone(), list.next_cursor.clone());
                        let rows = list.items;
                        view! {
                        <div class="card table-card">
                            <table class="data-table" aria-label="Campaigns">
                                <thead>
                                    <tr>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"utm_campaign"</th>
                                        <th scope="col">"Medium"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col" class="num">"Creatives"</th>
                                        <th scope="col" class="num"><abbr title="What its ChatGPT ads cost over the last 30 days, in the ad account's currency (the Results tab has more)">"Ad spend, 30 days"</abbr></th>
                                        <th scope="col">"Updated"</th>
                                        {problems.then(|| view! { <th scope="col">"Problems"</th> })}
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
                                                <td data-label="Ad spend, 30 days" class="num">{row.spend_30_days_micros.map_or_else(|| "—".to_string(), utmforge_core::ads::insights::money)}</td>
                                                <td data-label="Updated" class="muted">{timestamp(c.updated_at)}</td>
                                                {row.problems.map(|p| view! { <td data-label="Problems" class="problems">{p.summary()}</td> })}
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {(prev.is_some() || next.is_some()).then(|| view! {
                            <Pager label="Pages" prev=prev.map(|c| page_href(Some(c))) next=next.map(|c| page_href(Some(c))) />
                        })}
                        }.into_any()
                    }
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

/// Submits the search form a moment after typing pauses (the list is the server's page), and
/// puts the caret back at the end of the search after the page has reloaded.
#[island]
fn SearchAsYouType() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let input = document()
            .get_element_by_id("campaign-search")
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            let typed = input.value();
            if !typed.is_empty() {
                let _ = input.focus();
                let end = typed.encode_utf16().count() as u32;
                let _ = input.set_selection_range(end, end);
            }
            let pending: std::rc::Rc<std::cell::Cell<Option<i32>>> = Default::default();
            let submit = leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new({
                let input = input.clone();
                move || {
                    if let Some(form) = input.form() {
                        let _ = form.request_submit();
                    }
                }
            });
            let on_input = leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new({
                let pending = pending.clone();
                move || {
                    if let Some(id) = pending.take() {
                        window().clear_timeout_with_handle(id);
                    }
                    let id = window()
                        .set_timeout_with_callback_and_timeout_and_arguments_0(
                            submit.as_ref().unchecked_ref(),
                            350,
                        )
                        .ok();
                    pending.set(id);
                }
            });
            let _ =
                input.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
            // One listener for the page's lifetime (islands are not unmounted).
            on_input.forget();
        }
    }
}
