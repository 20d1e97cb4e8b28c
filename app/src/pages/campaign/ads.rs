//! `/campaigns/:id/ads`: the campaign's ChatGPT Ads side — the connection, which ChatGPT Ads
//! campaign and ad group it publishes to, which ad each creative is (utmforge proposes; the
//! person confirms), whether each ad carries the creative's URL, its review and serving issues,
//! and publishing the URLs. Server-rendered; every action is a `Form`.

use super::campaign_id;
use crate::api::{Key, Loaded};
use crate::components::{CampaignTabs, ConnectionCard, FieldMessage, Form, NotFoundOr};
use crate::functions::ads::{
    get_campaign_ads, CreateCreativeAd, LinkAdsCampaign, LinkCreativeAds, PublishAds, SyncAds,
};
use crate::pages::Page;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use utmforge_core::account::Role;

/// Whether the person may link and publish (the server refuses the rest anyway).
fn editor() -> bool {
    crate::use_me().is_some_and(|m| m.can(Role::Editor))
}
use utmforge_core::ads::{is_rejected, AdRow, AdSync, AdsPage};

/// `/campaigns/:id/ads?ads_campaign=…` (the ChatGPT Ads campaign whose ad groups to offer).
pub struct CampaignAdsRoute {
    page: Loaded<AdsPage>,
}

impl Page for CampaignAdsRoute {
    fn data() -> Self {
        let id = campaign_id();
        let query = use_query_map();
        Self {
            page: Loaded::new(
                move || Key::id(id()).with(query.read().get("ads_campaign")),
                |k| Box::pin(get_campaign_ads(k.id.unwrap_or_default(), k.other)),
            ),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <CampaignAdsPage page=this.page /> }.into_any()
    }
}

#[component]
fn CampaignAdsPage(page: Loaded<AdsPage>) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <Title text="ChatGPT Ads" /><NotFoundOr error=e /> }.into_any(),
                    Ok(p) => view! { <AdsView p /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AdsView(p: AdsPage) -> impl IntoView {
    let c = p.campaign.clone();
    let connected = p.connection.state == "connected";
    view! {
        <Title text=format!("ChatGPT Ads · {}", c.name) />
        <p class="breadcrumb"><A href="/campaigns">"Campaigns"</A></p>
        <div class="page-head">
            <div>
                <h1>{c.name.clone()}</h1>
                <p class="muted">"utm_campaign " <code>{c.slug.clone()}</code></p>
            </div>
        </div>
        <CampaignTabs id=c.id.clone() />
        <ConnectionCard connection=p.connection.clone() />
        {connected.then(|| view! {
            <LinkCard p=p.clone() />
            {p.ads.link.is_some().then(|| view! {
                <AdsTable p=p.clone() />
                <NewAdCard p=p.clone() />
                <PublishCard p=p.clone() />
            })}
        })}
    }
}

/// Which ChatGPT Ads campaign and ad group this campaign publishes to.
#[component]
fn LinkCard(p: AdsPage) -> impl IntoView {
    let id = p.campaign.id.clone();
    let linked = p.ads.link.clone();
    let chosen = p.chosen.clone().unwrap_or_default();
    let groups = p.groups.clone();
    let campaigns = p.campaigns.clone();
    view! {
        <section class="card" aria-labelledby="link-h">
            <h2 id="link-h">"Where this campaign runs"</h2>
            {match &linked {
                Some(l) => view! {
                    <p data-testid="ads-link">"ChatGPT Ads campaign " <strong>{l.ads_campaign_name.clone()}</strong>
                        " › ad group " <strong>{l.ad_group_name.clone()}</strong></p>
                }.into_any(),
                None => view! {
                    <p class="muted">"Not linked yet: pick the ChatGPT Ads campaign and the ad group whose ads show this campaign's creatives."</p>
                }.into_any(),
            }}
            {editor().then(|| view! {
                <form method="get" class="form form-inline labeled">
                    <label for="ads-campaign">"ChatGPT Ads campaign"</label>
                    <select id="ads-campaign" name="ads_campaign">
                        {campaigns.clone().into_iter().map(|x| {
                            let selected = x.id == chosen;
                            view! { <option value=x.id.clone() selected=selected>{x.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button">"Show its ad groups"</button>
                </form>
                {(!chosen.is_empty()).then(|| view! {
                    <Form action=LinkAdsCampaign::url() class="form form-inline labeled" done="Linked.">
                        <input type="hidden" name="campaign_id" value=id.clone() />
                        <input type="hidden" name="ads_campaign_id" value=chosen.clone() />
                        <label for="ad-group">"Ad group"</label>
                        <select id="ad-group" name="ad_group_id" data-field="ad-group">
                            {groups.clone().into_iter().map(|g| {
                                let selected = linked.as_ref().is_some_and(|l| l.ad_group_id == g.id);
                                view! { <option value=g.id.clone() selected=selected>{g.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <button type="submit" class="button button-primary">"Link"</button>
                    </Form>
                })}
            })}
        </section>
    }
}

fn sync_badge(sync: AdSync) -> impl IntoView {
    let class = match sync {
        AdSync::InSync => "badge badge-active",
        AdSync::Drifted => "badge badge-error",
        AdSync::NotLinked | AdSync::Unknown | AdSync::NoUrl => "badge",
    };
    view! { <span class=class>{sync.label()}</span> }
}

/// Each creative, its ad (proposed when unlinked), and what the ad carries.
#[component]
fn AdsTable(p: AdsPage) -> impl IntoView {
    let id = p.campaign.id.clone();
    let ads = p.ads.ads.clone();
    let proposals = p.ads.proposals.clone();
    let rows = p.ads.rows.clone();
    let problem = p.ads.problem.clone();
    let count = rows.len();
    view! {
        <section class="card" aria-labelledby="ads-h">
            <h2 id="ads-h">"Creatives and their ads"</h2>
            <p class="muted">"utmforge proposes an ad for each unlinked creative — one whose URL is the creative's, one carrying its utm_content and utm_campaign, or one with the same name. Check them, correct them, and save."</p>
            {problem.map(|m| view! { <p class="banner banner-error" role="status">"The ad group's ads could not be read: " {m}</p> })}
            <Form action=LinkCreativeAds::url() class="form" done="Links saved.">
                <input type="hidden" name="campaign_id" value=id.clone() />
                <div class="table-scroll">
                    <table class="data-table ads-table" data-testid="ads-table">
                        <thead><tr><th>"Creative"</th><th>"Ad"</th><th>"Link"</th><th>"Review"</th><th>"Status"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row: AdRow| {
                                let proposal = proposals.iter().find(|pr| pr.creative_id == row.creative_id).cloned();
                                let current = row.ad.as_ref().map(|a| a.ad_id.clone())
                                    .or_else(|| proposal.as_ref().map(|pr| pr.ad_id.clone()))
                                    .unwrap_or_default();
                                let select_id = format!("ad-{}", row.creative_id);
                                let name = format!("ad[creative-{}]", row.creative_id);
                                let rejected = row.ad.as_ref().is_some_and(|a| is_rejected(a.review_status.as_deref()));
                                let issues = row.ad.as_ref().map(|a| a.serving_issues.clone()).unwrap_or_default();
                                let error = row.ad.as_ref().and_then(|a| a.sync_error.clone());
                                let drift = (row.sync == AdSync::Drifted).then(|| row.ad.as_ref().and_then(|a| a.target_url.clone())).flatten();
                                view! {
                                    <tr>
                                        <td data-label="Creative"><strong>{row.variant.clone()}</strong>
                                            <br /><code class="url small">{row.url.clone().unwrap_or_else(|| "no URL".into())}</code></td>
                                        <td data-label="Ad">
                                            <label class="visually-hidden" for=select_id.clone()>{format!("Ad of {}", row.variant)}</label>
                                            <select id=select_id name=name class="ad-select">
                                                <option value="" selected=current.is_empty()>"— no ad —"</option>
                                                {ads.clone().into_iter().map(|a| {
                                                    let selected = a.id == current;
                                                    view! { <option value=a.id.clone() selected=selected title=a.id.clone()>{a.name.clone()}</option> }
                                                }).collect_view()}
                                            </select>
                                            {(row.ad.is_none()).then(|| proposal.map(|pr| view! {
                                                <p class="muted small">{format!("proposed: {}", match pr.reason {
                                                    utmforge_core::ads::MatchReason::SameUrl => "same URL",
                                                    utmforge_core::ads::MatchReason::SameUtm => "same utm_content and utm_campaign",
                                                    utmforge_core::ads::MatchReason::SameName => "same name",
                                                })}</p>
                                            })).flatten()}
                                            {(row.ad.is_none() && row.url.is_some() && editor()).then(|| view! {
                                                <a class="small" href=format!("?new_ad={}#new-ad-h", row.creative_id)>{format!("New ad for {}…", row.variant)}</a>
                                            })}
                                        </td>
                                        <td data-label="Link">{sync_badge(row.sync)}
                                            {drift.map(|u| view! { <p class="muted small">"the ad carries " <code class="url">{u}</code></p> })}
                                            {error.map(|e| view! { <p class="field-error small">{e}</p> })}</td>
                                        <td data-label="Review">
                                            <span class=if rejected { "badge badge-error" } else { "badge" }>
                                                {row.ad.as_ref().and_then(|a| a.review_status.clone()).unwrap_or_else(|| "—".into())}
                                            </span>
                                            {issues.into_iter().map(|i| view! { <p class="field-error small">{i}</p> }).collect_view()}
                                        </td>
                                        <td data-label="Status">{row.ad.as_ref().and_then(|a| a.status.clone()).unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {editor().then(|| view! {
                    <button type="submit" class="button button-primary">{format!("Save links ({count} creatives)")}</button>
                })}
            </Form>
        </section>
    }
}

/// The New ad form's word on the title it was filled with: the creative's headline, and
/// whether it fits (core's rule, `TITLE_LEN`).
fn title_help(headline: &str) -> String {
    let (least, most) = utmforge_core::ads::TITLE_LEN;
    match headline.trim().chars().count() {
        0 => "Shown in bold on the card in ChatGPT. The creative has no headline to fill it from.".into(),
        n if n > most || n < least => format!("Filled from the creative's headline, which has {n} characters: a title has {least}–{most}. Shorten it here (or in the creative)."),
        _ => "Shown in bold on the card in ChatGPT. Filled from the creative's headline.".into(),
    }
}

/// What the New ad form says once the ad is made.
const AD_CREATED: &str = "Ad created (paused, in review) and linked.";

/// A new ad for a creative without one: paused, in the linked ad group, with its URL; its
/// title and body filled from the creative's headline and description (`?new_ad=` picks the
/// creative), its image a file or an address.
#[component]
fn NewAdCard(p: AdsPage) -> impl IntoView {
    let id = p.campaign.id.clone();
    let unlinked: Vec<AdRow> = p
        .ads
        .rows
        .iter()
        .filter(|r| r.ad.is_none() && r.url.is_some())
        .cloned()
        .collect();
    let asked = use_query_map().read_untracked().get("new_ad");
    let chosen = unlinked
        .iter()
        .find(|r| Some(&r.creative_id) == asked.as_ref())
        .or(unlinked.first())
        .cloned();
    let many = unlinked.len() > 1;
    // The form stays when every creative has an ad (after the last create), to say what it did.
    editor().then(|| view! {
        <section class="card" aria-labelledby="new-ad-h">
            <h2 id="new-ad-h">"New ad"</h2>
            {match chosen {
                None => view! {
                    <Form action=CreateCreativeAd::url() class="form" done=AD_CREATED>
                        <p class="muted">"Every creative with a URL has an ad. Add a creative to make another."</p>
                    </Form>
                }.into_any(),
                Some(k) => view! {
                    <p class="muted">"Creates the ad in the linked ad group, paused, with the creative's URL; it goes to OpenAI's review, and you activate it in Ads Manager."</p>
                    {many.then(|| view! {
                        <form method="get" class="form form-inline labeled">
                            <label for="new-ad-creative">"Creative"</label>
                            <select id="new-ad-creative" name="new_ad">
                                {unlinked.iter().map(|r| view! {
                                    <option value=r.creative_id.clone() selected=r.creative_id == k.creative_id>{r.variant.clone()}</option>
                                }).collect_view()}
                            </select>
                            <button type="submit" class="button">"Fill from this creative"</button>
                        </form>
                    })}
                        <Form action=CreateCreativeAd::url() class="form labeled multipart" done=AD_CREATED>
                            <input type="hidden" name="campaign_id" value=id />
                            <input type="hidden" name="creative_id" value=k.creative_id.clone() />
                            <p>"For " <strong data-testid="new-ad-creative">{k.variant.clone()}</strong>" → "<code class="url">{k.url.clone().unwrap_or_default()}</code></p>
                            <div class="field">
                                <label for="new-ad-title">"Title (3–50 characters)"</label>
                                <input id="new-ad-title" name="title" value=k.headline.clone() data-field="ad-title" aria-describedby="new-ad-title-msg" />
                                <FieldMessage id="new-ad-title-msg" help=title_help(&k.headline) />
                            </div>
                            <div class="field">
                                <label for="new-ad-body">"Body (at most 100 characters)"</label>
                                <input id="new-ad-body" name="body" value=k.description.clone() data-field="ad-body" aria-describedby="new-ad-body-msg" />
                                <FieldMessage id="new-ad-body-msg" help="Filled from the creative's description." />
                            </div>
                            <div class="field">
                                <label for="new-ad-image">"Image file"</label>
                                <input id="new-ad-image" name="image" type="file" accept="image/jpeg,image/png,image/webp" data-field="ad" aria-describedby="new-ad-image-msg" />
                                <FieldMessage id="new-ad-image-msg" help="JPEG, PNG or WebP, at least 640×640 pixels, at most 10 MB." />
                            </div>
                            <div class="field">
                                <label for="new-ad-image-url">"…or the image's public address"</label>
                                <input id="new-ad-image-url" name="image_url" type="url" placeholder="https://…/card.png" aria-describedby="new-ad-image-url-msg" />
                                <FieldMessage id="new-ad-image-url-msg" help="OpenAI fetches it from there." />
                            </div>
                            <button type="submit" class="button button-primary" formenctype="multipart/form-data">"Create the ad"</button>
                        </Form>
                }.into_any(),
            }}
        </section>
    })
}

/// The ads whose URL is not utmforge's, old → new, and the button that fixes them.
#[component]
fn PublishCard(p: AdsPage) -> impl IntoView {
    let id = p.campaign.id.clone();
    let drifted: Vec<AdRow> = p
        .ads
        .rows
        .iter()
        .filter(|r| r.sync == AdSync::Drifted)
        .cloned()
        .collect();
    let n = drifted.len();
    let linked = p.ads.rows.iter().filter(|r| r.ad.is_some()).count();
    let sync_id = id.clone();
    view! {
        <section class="card" aria-labelledby="publish-h" data-testid="publish">
            <h2 id="publish-h">"Publish links"</h2>
            {if linked == 0 {
                view! { <p class="muted">"No creative is linked to an ad yet: link them above, then publish their URLs here."</p> }.into_any()
            } else if n == 0 {
                view! { <p>"Every linked ad carries its creative's URL (as last read)."</p> }.into_any()
            } else {
                view! {
                    <p>{format!("{n} linked ad{} carr{} another URL than utmforge's:", if n == 1 { "" } else { "s" }, if n == 1 { "ies" } else { "y" })}</p>
                    <ul class="changes">
                        {drifted.into_iter().map(|r| view! {
                            <li><strong>{r.variant.clone()}</strong>": "
                                <code class="url">{r.ad.and_then(|a| a.target_url).unwrap_or_default()}</code>" → "
                                <code class="url">{r.url.unwrap_or_default()}</code></li>
                        }).collect_view()}
                    </ul>
                    <p class="muted">"Publishing sends each of these ads its creative's URL. OpenAI reviews an ad again after every change to its creative: it does not serve until approved (usually a few minutes)."</p>
                }.into_any()
            }}
            // The form stays after a publish (with nothing left to publish) to say what it did.
            {editor().then(|| view! {
                <Form action=PublishAds::url() class="form form-inline" done="Published: the changed ads are back in OpenAI's review.">
                    <input type="hidden" name="campaign_id" value=id.clone() />
                    {(n > 0).then(|| view! {
                        <button type="submit" class="button button-primary">{format!("Publish {n} link{}", if n == 1 { "" } else { "s" })}</button>
                    })}
                </Form>
            })}
            <Form action=SyncAds::url() class="form form-inline" done="Read from ChatGPT Ads just now.">
                <input type="hidden" name="campaign_id" value=sync_id />
                <button type="submit" class="button">"Read the ads now"</button>
                <span class="muted small">" (utmforge also reads them every 15 minutes)"</span>
            </Form>
        </section>
    }
}
