//! `/campaigns/:id/results`: what each creative's ChatGPT ad cost and brought, as last pulled
//! from OpenAI — per creative over a date range, with totals, a daily chart of spend and clicks
//! (server-rendered SVG, with the same numbers as a table), and "Pull now". Unknown numbers
//! (OpenAI's `null`) read "—", never 0.

use super::campaign_id;
use crate::api::{Key, Loaded};
use crate::components::{CampaignTabs, Form, NotFoundOr, Pager};
use crate::functions::ads::{get_campaign_results, PullAdsResults};
use crate::pages::Page;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use utmforge_core::ads::insights::{money, percent, CreativeResults, Rates, ResultsPage, Totals};

/// `/campaigns/:id/results?from=YYYY-MM-DD&to=YYYY-MM-DD`.
pub struct CampaignResultsRoute {
    page: Loaded<ResultsPage>,
}

impl Page for CampaignResultsRoute {
    fn data() -> Self {
        let id = campaign_id();
        let query = use_query_map();
        Self {
            page: Loaded::new(
                move || {
                    let q = query.read();
                    let range = match (q.get("from"), q.get("to")) {
                        (None, None) => None,
                        (from, to) => Some(format!(
                            "{}~{}",
                            from.unwrap_or_default(),
                            to.unwrap_or_default()
                        )),
                    };
                    Key::id(id()).with(range).page(q.get("page"))
                },
                |k| {
                    Box::pin(get_campaign_results(
                        k.id.unwrap_or_default(),
                        k.other,
                        k.page,
                    ))
                },
            ),
        }
    }

    fn view(this: Self) -> AnyView {
        let page = this.page;
        view! {
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => view! { <Title text="Results" /><NotFoundOr error=e /> }.into_any(),
                        Ok(p) => view! { <ResultsView p /> }.into_any(),
                    }
                })}
            </Transition>
        }
        .into_any()
    }
}

fn count(x: Option<i64>) -> String {
    x.map_or_else(|| "—".into(), |v| v.to_string())
}

fn amount(x: Option<i64>) -> String {
    x.map_or_else(|| "—".into(), money)
}

/// The numbers of one row of the table (a creative, or the totals); money in the headings'
/// currency.
fn cells(t: &Totals, r: &Rates) -> [String; 9] {
    [
        count(t.impressions),
        count(t.clicks),
        r.ctr.map_or_else(|| "—".into(), percent),
        amount(t.spend_micros),
        amount(r.cpc_micros),
        t.conversions
            .map_or_else(|| "—".into(), |c| format!("{c:.0}")),
        amount(r.cpa_micros),
        amount(t.sales_micros),
        r.roas.map_or_else(|| "—".into(), |v| format!("{v:.2}")),
    ]
}

/// The table's headings, the money ones naming the account's currency.
fn heads(currency: &str) -> [String; 9] {
    let money = |h: &str| match currency {
        "" => h.to_string(),
        c => format!("{h} ({c})"),
    };
    [
        "Impressions".into(),
        "Clicks".into(),
        "CTR".into(),
        money("Spend"),
        money("CPC"),
        "Conversions".into(),
        money("CPA"),
        money("Sales"),
        "ROAS".into(),
    ]
}

#[component]
fn ResultsView(p: ResultsPage) -> impl IntoView {
    let c = p.campaign.clone();
    let r = p.results.clone();
    let heads = heads(p.currency.as_deref().unwrap_or_default());
    let today_ms =
        utmforge_core::time::parse_timestamp(&format!("{}T00:00:00Z", p.today)).unwrap_or(0);
    let back = |n: i64| utmforge_core::time::date(today_ms - (n - 1) * 86_400_000);
    let presets: Vec<(String, String)> = [7, 30, 90]
        .into_iter()
        .map(|n| {
            (
                format!("Last {n} days"),
                format!("?from={}&to={}", back(n), p.today),
            )
        })
        .collect();
    let pulled = r
        .pulled_at
        .map(|at| {
            format!(
                "Last pulled from OpenAI {} UTC.",
                utmforge_core::time::format_ms(at)
                    .replace('T', " ")
                    .get(..16)
                    .unwrap_or_default()
            )
        })
        .unwrap_or_else(|| "Not pulled from OpenAI yet.".into());
    let id = c.id.clone();
    view! {
        <Title text=format!("Results · {}", c.name) />
        <p class="breadcrumb"><A href="/campaigns">"Campaigns"</A></p>
        <div class="page-head">
            <div>
                <h1>{c.name.clone()}</h1>
                <p class="muted">"utm_campaign " <code>{c.slug.clone()}</code></p>
            </div>
        </div>
        <CampaignTabs id=c.id.clone() />
        <section class="card" aria-labelledby="range-h">
            <h2 id="range-h">{format!("Results from {} to {}", r.from, r.to)}</h2>
            <p class="muted">"Days of the ad account's calendar, as OpenAI reports them. Spend is finalized a day or so later; “—” is a number OpenAI has not reported yet."</p>
            <nav class="form-inline" aria-label="Date range">
                {presets.into_iter().map(|(label, href)| view! { <a class="button" href=href>{label}</a> }).collect_view()}
            </nav>
            <form method="get" class="form form-inline">
                <label for="results-from">"From"</label>
                <input id="results-from" name="from" type="date" value=r.from.clone() />
                <label for="results-to">"To"</label>
                <input id="results-to" name="to" type="date" value=r.to.clone() />
                <button type="submit" class="button">"Show"</button>
            </form>
            <Form action=PullAdsResults::url() class="form form-inline" done="Pulled from OpenAI just now.">
                <input type="hidden" name="campaign_id" value=id />
                <span data-testid="pulled-at">{pulled}</span>
                <button type="submit" class="button">"Pull now"</button>
            </Form>
        </section>
        <section class="card" aria-labelledby="per-creative-h">
            <h2 id="per-creative-h">"Per creative"</h2>
            {(p.pages() > 1).then(|| view! { <p class="muted">"The most spend first; the totals are the whole campaign's."</p> })}
            <p><a class="button button-small" href=format!("/api/v1/campaigns/{}/ads/results.csv?from={}&to={}", c.id, r.from, r.to) download="" rel="external">"Download CSV (per creative and day)"</a></p>
            // Keyboard users can scroll it too (it is wider than a phone).
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="per-creative-h">
                <table class="data-table results-table" data-testid="results-table">
                    <thead><tr><th scope="col">"Creative"</th>{heads.clone().map(|h| view! { <th scope="col" class="num">{h}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {r.creatives.iter().map(|k: &CreativeResults| {
                            let linked = k.ad_id.is_some();
                            view! {
                                <tr>
                                    <th scope="row" data-label="Creative">{k.variant.clone()}
                                        {(!linked).then(|| view! { <p class="muted small">"no linked ad: no results"</p> })}</th>
                                    {cells(&k.totals, &k.rates).into_iter().zip(heads.clone()).map(|(v, h)| view! { <td class="num" data-label=h>{v}</td> }).collect_view()}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr><th scope="row" data-label="Creative">"Total"</th>
                            {cells(&r.totals, &r.rates).into_iter().zip(heads.clone()).map(|(v, h)| view! { <td class="num" data-label=h>{v}</td> }).collect_view()}
                        </tr>
                    </tfoot>
                </table>
            </div>
            {(p.pages() > 1).then(|| {
                let href = |n: usize| format!("/campaigns/{}/results?from={}&to={}&page={n}", c.id, r.from, r.to);
                let number = p.page();
                let first = p.start + 1;
                let last = (p.start + r.creatives.len()).max(first);
                view! {
                    <Pager label="Pages of creatives" prev=(number > 1).then(|| href(number - 1))
                        next=(number < p.pages()).then(|| href(number + 1))>
                        <span class="muted pager-range" data-testid="results-range">{format!("Creatives {first}–{last} of {}", p.creatives)}</span>
                    </Pager>
                }
            })}
        </section>
        <DailyChart p=p.clone() />
    }
}

/// Spend (bars) and clicks (a line) per day of the range, summed over the creatives: an SVG
/// drawn here, and the same numbers as a table for screen readers and for reading exactly.
#[component]
fn DailyChart(p: ResultsPage) -> impl IntoView {
    let currency = p.currency.clone().unwrap_or_default();
    let per_day: Vec<(String, Totals)> = p
        .results
        .daily
        .iter()
        .map(|d| (d.day.clone(), d.totals.clone()))
        .collect();
    let max_spend = per_day
        .iter()
        .filter_map(|(_, t)| t.spend_micros)
        .max()
        .unwrap_or(0)
        .max(1);
    let max_clicks = per_day
        .iter()
        .filter_map(|(_, t)| t.clicks)
        .max()
        .unwrap_or(0)
        .max(1);
    let (w, h) = (640.0_f64, 180.0_f64);
    let step = w / per_day.len().max(1) as f64;
    let bars: Vec<(f64, f64, f64)> = per_day
        .iter()
        .enumerate()
        .map(|(i, (_, t))| {
            let bh = t.spend_micros.unwrap_or(0) as f64 / max_spend as f64 * (h - 10.0);
            (i as f64 * step + step * 0.15, h - bh, bh)
        })
        .collect();
    let line: String = per_day
        .iter()
        .enumerate()
        .map(|(i, (_, t))| {
            let y = h - t.clicks.unwrap_or(0) as f64 / max_clicks as f64 * (h - 10.0);
            format!("{:.1},{:.1}", i as f64 * step + step / 2.0, y)
        })
        .collect::<Vec<_>>()
        .join(" ");
    let total_spend: i64 = per_day.iter().filter_map(|(_, t)| t.spend_micros).sum();
    let total_clicks: i64 = per_day.iter().filter_map(|(_, t)| t.clicks).sum();
    let label = format!(
        "Daily spend and clicks from {} to {}: {} {currency} and {total_clicks} clicks in all; the table below gives each day.",
        p.results.from, p.results.to, money(total_spend)
    );
    let bar_width = (step * 0.7).max(1.0);
    view! {
        <section class="card" aria-labelledby="daily-h">
            <h2 id="daily-h">"Spend and clicks per day"</h2>
            <p class="legend muted small"><span class="swatch swatch-spend"></span>" spend (bars) "<span class="swatch swatch-clicks"></span>" clicks (line)"</p>
            <svg class="chart" viewBox=format!("0 0 {w} {}", h + 20.0) role="img" aria-label=label preserveAspectRatio="none" data-testid="results-chart">
                {bars.into_iter().map(|(x, y, bh)| view! {
                    <rect class="bar" x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar_width:.1}") height=format!("{bh:.1}") />
                }).collect_view()}
                <polyline class="line" points=line fill="none" />
                <text x="0" y=format!("{}", h + 16.0) class="axis">{p.results.from.clone()}</text>
                <text x=format!("{w}") y=format!("{}", h + 16.0) class="axis" text-anchor="end">{p.results.to.clone()}</text>
            </svg>
            <details>
                <summary>"The numbers by day"</summary>
                <div class="table-scroll">
                    <table class="data-table">
                        <thead><tr><th scope="col">"Day"</th><th scope="col" class="num">{heads(&currency)[3].clone()}</th><th scope="col" class="num">"Clicks"</th><th scope="col" class="num">"Impressions"</th></tr></thead>
                        <tbody>
                            {per_day.into_iter().map(|(d, t)| view! {
                                <tr><th scope="row">{d}</th><td class="num">{amount(t.spend_micros)}</td><td class="num">{count(t.clicks)}</td><td class="num">{count(t.impressions)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}
