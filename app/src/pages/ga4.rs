//! GA4 setup: the workspace's channel group (`/ga4`) and each campaign's funnel and report
//! (`/campaigns/:id/ga4`). Every document is shown pretty-printed, with copy and download, and
//! the same setup as a checklist for people who click through GA4. The JSON comes from core
//! through a server function; nothing GA4-specific is computed in the browser.

use crate::api::{Key, Loaded};
use crate::components::NotFoundOr;
use crate::components::{ArtifactCard, CampaignTabs};
use crate::functions::documents::{get_campaign_ga4, get_ga4_setup};
use crate::pages::Page;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use utmforge_core::views::{CampaignGa4, Ga4Setup};

/// `/ga4`: the channel group and the cost data download load while the page's code does.
pub struct Ga4SetupRoute {
    setup: Loaded<Ga4Setup>,
}

impl Page for Ga4SetupRoute {
    fn data() -> Self {
        Self {
            setup: Loaded::new(Key::none, |_| Box::pin(get_ga4_setup())),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <Ga4SetupPage setup=this.setup /> }.into_any()
    }
}

/// `/campaigns/:id/ga4`.
pub struct CampaignGa4Route {
    kit: Loaded<CampaignGa4>,
}

impl Page for CampaignGa4Route {
    fn data() -> Self {
        let params = use_params_map();
        let id = move || params.read().get("id").unwrap_or_default();
        Self {
            kit: Loaded::new(
                move || Key::id(id()),
                |k| Box::pin(get_campaign_ga4(k.id.unwrap_or_default())),
            ),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <CampaignGa4Page kit=this.kit /> }.into_any()
    }
}

#[component]
fn Ga4SetupPage(setup: Loaded<Ga4Setup>) -> impl IntoView {
    view! {
        <Title text="GA4 setup" />
        <h1>"GA4 setup"</h1>
        <p class="lede">
            "GA4 files ChatGPT ad clicks under “Paid Other” (cpc) or “Display” (cpm), mixed with other traffic. "
            "This channel group gives them a channel of their own. Set it up once per GA4 property; "
            "each campaign's funnel and report are on its "<strong>"GA4"</strong>" tab."
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match setup.await {
                    Ok(s) => view! {
                        <ArtifactCard artifact=s.channel_group.clone() download="/api/v1/ga4/channel-group?download=true".to_string() />
                        <CostData setup=s />
                    }.into_any(),
                    Err(e) => view! { <div class="banner banner-error" role="alert">{e.summary()}</div> }.into_any(),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="cli-h">
            <h2 id="cli-h">"From the command line"</h2>
            <p>"The same documents, for scripts: " <code>"utmforge ga4 channel-group"</code>", "
                <code>"utmforge ga4 funnel --conversion order_created --campaign SLUG"</code>", "
                <code>"utmforge ga4 report --campaign SLUG"</code>" (add " <code>"--instructions"</code>
                " for the steps). " <code>"utmforge ga4 apply-script --property ID"</code>
                " writes a script that creates the group and runs both reports with curl and gcloud. "
                <code>"utmforge ga4 cost-data --from 2026-11-01 --to 2026-11-30 > cost.csv"</code>
                " writes the cost data file."</p>
        </section>
    }
}

/// The cost data download and the two ways to import it (Google's "Import cost data" and
/// "About Data Import" help pages): by hand, or fetched by GA4 over SFTP on a schedule.
#[component]
fn CostData(setup: Ga4Setup) -> impl IntoView {
    let currency = setup
        .currency
        .clone()
        .unwrap_or_else(|| "the ad account's currency".into());
    let mapping = [
        ("Campaign ID", "campaign_id", "the campaign's utm_id"),
        ("Campaign name", "campaign_name", "utm_campaign"),
        ("Campaign source", "source", "always chatgpt"),
        ("Campaign medium", "medium", "cpc or cpm"),
        ("Date", "date", "the ad account's day, YYYY-MM-DD"),
        (
            "Impressions",
            "impressions",
            "that day's, all the campaign's ads",
        ),
        ("Clicks", "clicks", "that day's, all the campaign's ads"),
        (
            "Cost",
            "cost",
            "that day's spend, in the ad account's currency",
        ),
    ];
    view! {
        <section class="card" id="cost-data" aria-labelledby="cost-h">
            <h2 id="cost-h">"Cost data: what ChatGPT ads cost, inside GA4"</h2>
            <p>"GA4 knows the sessions and key events of ChatGPT ad clicks, not what the ads cost. "
                "This file gives it each campaign's impressions, clicks and cost per day — from the results utmforge pulls from ChatGPT Ads (a campaign's "
                <strong>"Results"</strong>" tab) — matched on the links' utm_id, source and medium. GA4 then shows cost, cost per click and return on ad spend in "
                <strong>"Acquisition › Non-Google cost"</strong>"."</p>
            {if setup.utm_id {
                view! {
                    <form method="get" action="/api/v1/ga4/cost-data.csv" class="form form-inline">
                        <label for="cost-from">"From"</label>
                        <input id="cost-from" name="from" type="date" required value=setup.month_ago.clone() max=setup.today.clone() />
                        <label for="cost-to">"To"</label>
                        <input id="cost-to" name="to" type="date" required value=setup.today.clone() max=setup.today.clone() />
                        <button type="submit" class="button">"Download cost data (CSV)"</button>
                    </form>
                    <p class="muted">"A row per campaign and day, every campaign with ChatGPT ad results; at most 400 days. A day whose spend OpenAI has not reported yet is left out (GA4 would read it as no cost): import the last days again later — GA4 keeps the most recent values. "
                        "Cost is in " {currency} ": GA4 reads it in the property's currency, so they must be the same. "
                        "GA4 matches only sessions whose link carried utm_id: after switching it on, publish the links on each campaign's "<strong>"ChatGPT Ads"</strong>" tab."</p>
                }.into_any()
            } else {
                view! {
                    <div class="banner banner-warning" role="status">
                        {utmforge_core::ga4::NO_UTM_ID} ". "
                        <A href="/settings">"Open Settings"</A>
                    </div>
                }.into_any()
            }}
            <h3>"Import it by hand"</h3>
            <ol>
                <li>"In GA4: " <strong>"Admin › Data collection and modification › Data import"</strong>", then " <strong>"Create data source"</strong>"."</li>
                <li>"Name it (e.g. “ChatGPT Ads cost”), choose the data type " <strong>"Cost data"</strong>" and " <strong>"Manual CSV upload"</strong>", and upload the file."</li>
                <li>"Map each Analytics field to the file's column (below), then " <strong>"Import"</strong>"."</li>
                <li>"Next time: open the data source and " <strong>"Import now"</strong>" with a new file; a day imported again replaces what GA4 had."</li>
            </ol>
            <h3>"Or let GA4 fetch it every day (SFTP)"</h3>
            <ol>
                <li>"Have a server GA4 can reach over SFTP, with a user for it, and write the file there every day, e.g. with cron (the last 7 days: spend is finalized a day or so later): "
                    <code>"utmforge ga4 cost-data --from $(date -d '-6 days' +%F) --to $(date +%F) > /srv/ga4/chatgpt-ads-cost.csv"</code></li>
                <li>"In GA4, create the data source as above, but choose " <strong>"SFTP"</strong>": the user name, the file's address ("
                    <code>"sftp://files.example.com/srv/ga4/chatgpt-ads-cost.csv"</code>"), how often and at what time (after your cron)."</li>
                <li>"GA4 shows a public key: add it to that user's " <code>"~/.ssh/authorized_keys"</code>" on the server."</li>
                <li>"Map the fields as below. The file keeps the same columns every day, so the mapping holds."</li>
            </ol>
            <table class="data-table">
                <caption>"Field mapping"</caption>
                <thead><tr><th scope="col">"GA4 field"</th><th scope="col">"Column"</th><th scope="col">"Holds"</th></tr></thead>
                <tbody>
                    {mapping.into_iter().map(|(field, column, holds)| view! {
                        <tr>
                            <th scope="row" data-label="GA4 field">{field}</th>
                            <td data-label="Column"><code>{column}</code></td>
                            <td data-label="Holds">{holds}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn CampaignGa4Page(kit: Loaded<CampaignGa4>) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match kit.await {
                    Err(e) => view! { <Title text="GA4" /><NotFoundOr error=e /> }.into_any(),
                    Ok(kit) => {
                        let c = kit.campaign;
                        let base = format!("/campaigns/{}", c.id);
                        view! {
                            <Title text=format!("GA4 · {}", c.name) />
                            <p class="breadcrumb"><A href="/campaigns">"Campaigns"</A></p>
                            <div class="page-head">
                                <div>
                                    <h1>{c.name.clone()}</h1>
                                    <p class="muted">"utm_campaign " <code>{c.slug.clone()}</code>
                                        " · primary conversion: " {c.conversion.label()}</p>
                                </div>
                            </div>
                            <CampaignTabs id=c.id.clone() />
                            <p class="lede">
                                "Its funnel and report, restricted to this campaign's ChatGPT ad sessions. "
                                "The channel group is set up once for the whole property on "
                                <A href="/ga4">"GA4 setup"</A>"."
                            </p>
                            {kit.artifacts.into_iter().map(|a| {
                                let download = format!("/api/v1{base}/ga4/{}?download=true", a.kind);
                                view! { <ArtifactCard artifact=a download /> }
                            }).collect_view()}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
