//! `/campaigns/:id/activity`: a campaign's activity log.

use super::campaign_id;
use crate::api::{Key, Loaded};
use crate::components::ActivityLog;
use crate::components::CampaignTabs;
use crate::components::NotFoundOr;
use crate::functions::campaigns::get_campaign;
use crate::pages::Page;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use utmforge_core::Campaign;

/// `/campaigns/:id/activity`: every change to the campaign and its creatives, newest first
/// (the list itself loads with the page's code: it pages on its own).
pub struct CampaignActivityRoute {
    head: Loaded<Campaign>,
}

impl Page for CampaignActivityRoute {
    fn data() -> Self {
        Self {
            head: {
                let id = campaign_id();
                Loaded::new(
                    move || Key::id(id()),
                    |k| Box::pin(get_campaign(k.id.unwrap_or_default())),
                )
            },
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <CampaignActivityPage head=this.head /> }.into_any()
    }
}

#[component]
fn CampaignActivityPage(head: Loaded<Campaign>) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match head.await {
                    Err(e) => view! { <Title text="Campaign" /><NotFoundOr error=e /> }.into_any(),
                    Ok(c) => view! {
                        <Title text=format!("Activity · {}", c.name) />
                        <p class="breadcrumb"><A href="/campaigns">"Campaigns"</A></p>
                        <div class="page-head"><div><h1>{c.name.clone()}</h1></div></div>
                        <CampaignTabs id=c.id.clone() />
                        <section class="card" aria-labelledby="activity-h">
                            <h2 id="activity-h">"Activity"</h2>
                            <p class="muted">"Every change to this campaign and its creatives: who, when, before → after. A changed link that is live in an ad is listed with its old and new URL."</p>
                            <ActivityLog campaign_id=Some(c.id.clone()) />
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
