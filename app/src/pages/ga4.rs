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
use utmforge_core::ga4::Artifact;
use utmforge_core::views::CampaignGa4;

/// `/ga4`: the channel group loads while the page's code does.
pub struct Ga4SetupRoute {
    artifact: Loaded<Artifact>,
}

impl Page for Ga4SetupRoute {
    fn data() -> Self {
        Self {
            artifact: Loaded::new(Key::none, |_| Box::pin(get_ga4_setup())),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <Ga4SetupPage artifact=this.artifact /> }.into_any()
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
fn Ga4SetupPage(artifact: Loaded<Artifact>) -> impl IntoView {
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
                match artifact.await {
                    Ok(a) => view! { <ArtifactCard artifact=a download="/api/v1/ga4/channel-group?download=true".to_string() /> }.into_any(),
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
                " writes a script that creates the group and runs both reports with curl and gcloud."</p>
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
