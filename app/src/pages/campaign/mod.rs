//! One campaign: its settings, its creatives with the URL each carries (copy one or all), and
//! the form that adds a creative with a live preview of its URL.

mod activity;
mod ads;
mod creative_form;
mod edit_creative;
mod results;

pub use activity::CampaignActivityRoute;
pub use ads::CampaignAdsRoute;
use creative_form::CreativeForm;
pub use edit_creative::EditCreativeRoute;
pub use results::CampaignResultsRoute;

use crate::api::{Key, Loaded};
use crate::components::links::{idle_line, CheckLinks, StoredLinkStatus};
use crate::components::CampaignTabs;
use crate::components::NotFoundOr;
use crate::components::{CopyButton, FieldMessage, Form, Pager, TopicList, Warnings};
use crate::components::{ImportDone, LazyCode};
use crate::format::{thousands, timestamp};
use crate::functions::campaigns::{
    get_campaign, get_campaign_row, search_campaign_page, CloneCampaign, DeleteCampaign,
};
use crate::functions::checks::get_link_statuses;
use crate::functions::creatives::DeleteCreative;
use crate::functions::settings::get_settings;
use crate::pages::Page;
use crate::Can;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use utmforge_core::account::Role;
use utmforge_core::linkcheck::LinkStatus;
use utmforge_core::rules::StoredRules;
use utmforge_core::views::{CampaignPage, CampaignRow};
use utmforge_core::{Campaign, Creative, Field};

/// The `:id` of the route.
pub(super) fn campaign_id() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").unwrap_or_default()
}

/// `/campaigns/:id`: the campaign, its creatives, and the forms that change them. The server
/// renders it; the forms, the preview, the import and the copy buttons are islands, and a
/// change reloads the page.
pub struct CampaignRoute {
    head: Loaded<Campaign>,
    /// The team's rules: the add form's preview applies them, the settings card shows utm_id.
    rules: Loaded<StoredRules>,
    page: Loaded<CampaignPage>,
    links: Loaded<Vec<LinkStatus>>,
    current: Loaded<CampaignRow>,
}

impl Page for CampaignRoute {
    fn data() -> Self {
        let id = campaign_id();
        let key = move || Key::id(id());
        Self {
            head: Loaded::new(key, |k| Box::pin(get_campaign(k.id.unwrap_or_default()))),
            rules: Loaded::new(Key::none, |_| Box::pin(get_settings())),
            // Each resource is read by one Transition only (one resource awaited under two
            // Suspense boundaries can stall an SSR stream).
            page: {
                let query = use_query_map();
                Loaded::new(
                    move || {
                        let query = query.read();
                        key().with(query.get("q")).page(query.get("page"))
                    },
                    |k| {
                        Box::pin(search_campaign_page(
                            k.id.unwrap_or_default(),
                            k.other.unwrap_or_default(),
                            k.page,
                        ))
                    },
                )
            },
            links: Loaded::new(key, |k| {
                Box::pin(get_link_statuses(k.id.unwrap_or_default()))
            }),
            // The delete form names the campaign's current version and creative count.
            current: Loaded::new(key, |k| {
                Box::pin(get_campaign_row(k.id.unwrap_or_default()))
            }),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <CampaignPageView data=this /> }.into_any()
    }
}

#[component]
fn CampaignPageView(data: CampaignRoute) -> impl IntoView {
    let CampaignRoute {
        head,
        rules,
        page,
        links,
        current,
    } = data;

    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let team = rules.await.map(|r| r.rules).unwrap_or_default();
                match head.await {
                    Err(e) => view! { <Title text="Campaign" /><NotFoundOr error=e /> }.into_any(),
                    Ok(c) => view! {
                        <CampaignHead c=c.clone() utm_id=team.utm_id />
                        <LazyCode split="import_done_loader" /><ImportDone campaign_id=c.id.clone() />
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                let statuses = links.await.unwrap_or_default();
                                page.await.ok().map(|p| view! {
                                    {(p.ads_drifted > 0).then(|| view! {
                                        <p class="banner banner-info" role="status" data-testid="ads-drifted">
                                            {format!("{} linked ChatGPT ad{} still carr{} an older URL than {} creative. ", p.ads_drifted,
                                                if p.ads_drifted == 1 { "" } else { "s" },
                                                if p.ads_drifted == 1 { "ies" } else { "y" },
                                                if p.ads_drifted == 1 { "its" } else { "their" })}
                                            <A href=format!("/campaigns/{}/ads", p.campaign.id)>"Update the ads on the ChatGPT Ads tab"</A>
                                        </p>
                                    })}
                                    <TopicList topics=p.rules.suggestions() />
                                    <CreativesCard page=p statuses />
                                })
                            })}
                        </Transition>
                        <Can role=Role::Editor>
                            <section class="card" aria-labelledby="add-h">
                                <h2 id="add-h">"Add a creative"</h2>
                                <CreativeForm campaign=c.clone() rules=team.clone() />
                            </section>
                            <CloneForm c=c.clone() />
                            <section class="card" aria-labelledby="import-h">
                                <h2 id="import-h">"Import from a spreadsheet"</h2>
                                <p class="muted">"Many creatives at once: paste cells from Excel or Google Sheets, or choose a CSV file, and see what each row will do before anything is saved."</p>
                                <p><A href=format!("/campaigns/{}/import", c.id) attr:class="button">"Import from a spreadsheet…"</A></p>
                            </section>
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    current.await.ok().map(|row| view! { <DangerZone row /> })
                                })}
                            </Transition>
                        </Can>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CampaignHead(c: Campaign, utm_id: bool) -> impl IntoView {
    let edit_href = format!("/campaigns/{}/edit", c.id);
    view! {
        <Title text=c.name.clone() />
        <p class="breadcrumb"><A href="/campaigns">"Campaigns"</A></p>
        <div class="page-head">
            <div>
                <h1>{c.name.clone()}</h1>
                <p class="muted">
                    <span class=format!("badge badge-{}", c.status)>{c.status.label()}</span>
                    " · updated " {timestamp(c.updated_at)}
                </p>
            </div>
            <Can role=Role::Editor>
                <A href=edit_href.clone() attr:class="button">"Edit campaign"</A>
            </Can>
        </div>
        <CampaignTabs id=c.id.clone() />

        <section class="card settings" aria-labelledby="settings-h">
            <h2 id="settings-h">"Settings"</h2>
            <dl class="settings-list">
                <div><dt>"utm_campaign"</dt><dd><code data-testid="campaign-slug">{c.slug.clone()}</code></dd></div>
                <div><dt>"utm_medium"</dt><dd><code>{c.buying_model.utm_medium()}</code></dd></div>
                <div><dt>"Topic (utm_term)"</dt><dd>{c.topic.clone().map(|t| view! { <code>{t}</code> }.into_any()).unwrap_or_else(|| view! { <span class="muted">"none"</span> }.into_any())}</dd></div>
                <div><dt>"Primary conversion"</dt><dd>{c.conversion.label()}</dd></div>
                <div>
                    <dt>"Campaign ID (utm_id)"</dt>
                    <dd>
                        <code data-testid="utm-id">{c.utm_id()}</code>
                        {(!utm_id).then(|| view! { <span class="muted">" · not in links (Settings)"</span> })}
                    </dd>
                </div>
                <div class="wide"><dt>"Default landing URL"</dt><dd class="url">{c.landing_url.clone()}</dd></div>
                {(!c.notes.is_empty()).then(|| view! { <div class="wide"><dt>"Notes"</dt><dd class="notes">{c.notes.clone()}</dd></div> })}
            </dl>
        </section>
    }
}

#[component]
fn CreativesCard(page: CampaignPage, statuses: Vec<LinkStatus>) -> impl IntoView {
    let can_edit = crate::use_me().is_some_and(|m| m.can(Role::Editor));
    let search = use_query_map()
        .read_untracked()
        .get("q")
        .filter(|q| !q.trim().is_empty());
    let (pages, number, start, shown) =
        (page.pages(), page.page(), page.start, page.creatives.len());
    let c = page.campaign;
    let (c_id, search_q) = (c.id.clone(), search.clone());
    let all_urls = page.urls;
    let all_text = all_urls.join("\n");
    let count = page.matching;
    let idle = idle_line(all_urls.len(), &statuses);
    let pager = move || {
        (pages > 1).then(|| {
            view! {
                <CreativePager base=format!("/campaigns/{}", c_id) search=search_q.clone()
                    number pages range=format!("Creatives {}–{} of {}", thousands(start + 1), thousands(start + shown), thousands(count)) />
            }
        })
    };
    let mut stored: std::collections::HashMap<String, LinkStatus> = statuses
        .into_iter()
        .map(|s| (s.creative_id.clone(), s))
        .collect();

    view! {
        <section class="card" aria-labelledby="creatives-h">
            <div class="section-head">
                <h2 id="creatives-h">"Creatives " <span class="count">{format!("({})", thousands(count))}</span></h2>
                <div class="actions">
                    {(!all_urls.is_empty()).then(|| view! {
                        <CopyButton text=all_text.clone() label="Copy all URLs" />
                    })}
                    <a class="button button-small" href=format!("/api/v1/campaigns/{}/export.csv", c.id) download="" rel="external">"Export CSV"</a>
                </div>
            </div>
            {can_edit.then(|| view! {
                <CheckLinks campaign_id=c.id.clone() count=all_urls.len() idle=idle.clone() />
            })}
            <form class="form-inline creative-search" method="get" action=format!("/campaigns/{}", c.id) role="search" aria-label="Search creatives">
                <div class="field">
                    <label for="creative-search" class="visually-hidden">"Search creatives"</label>
                    <input id="creative-search" name="q" type="search" autocomplete="off" maxlength="100"
                        placeholder="variant, topic or URL" value=search.clone().unwrap_or_default() />
                </div>
                <button type="submit" class="button button-small">"Search"</button>
                {search.is_some().then(|| view! {
                    <a class="button button-small button-quiet" href=format!("/campaigns/{}", c.id)>"Show all"</a>
                })}
            </form>
            {(can_edit && count > 0).then(|| view! {
                <form id="bulk-form" class="bulk-bar form-inline labeled" method="get" action=format!("/campaigns/{}/bulk", c.id) aria-label="Change the chosen creatives">
                    <p class="muted bulk-help">"Several at once: tick creatives below (or all a search finds), choose what to set, and preview every URL that changes before anything is saved."</p>
                    {search.clone().map(|q| view! {
                        <input type="hidden" name="q" value=q />
                        <label class="check">
                            <input type="checkbox" name="all" value="1" />
                            {format!(" All {} this search finds", thousands(count))}
                        </label>
                    })}
                    <div class="field">
                        <label for="bulk-what">"For the chosen creatives"</label>
                        <select id="bulk-what" name="what">
                            <option value="landing_url">"set the landing URL"</option>
                            <option value="topic">"set the topic"</option>
                            <option value="delete">"delete (to the trash)"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="bulk-value">"New value " <span class="optional">"(empty: the campaign's)"</span></label>
                        <input id="bulk-value" name="value" type="text" autocomplete="off" maxlength="2048" list="team-topics" />
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="button button-small">"Preview the change…"</button>
                    </div>
                </form>
            })}
            {if page.creatives.is_empty() && search.is_some() {
                view! {
                    <p class="empty-state">"No creative matches this search."</p>
                }.into_any()
            } else if page.creatives.is_empty() {
                view! {
                    <p class="empty-state">"No creatives yet. Add one below for each ad variant: each gets its own utm_content, so GA4 can tell them apart."</p>
                }.into_any()
            } else {
                view! {
                    {pager()}
                    <ul class="creative-list" aria-label="Creatives">
                        {page.creatives.into_iter().map(|row| {
                            let k = row.creative.clone();
                            let has_url = row.url.is_some();
                            view! {
                                <li class="creative" data-testid="creative" data-variant=k.content.clone()>
                                    <div class="creative-head">
                                        <div>
                                            {can_edit.then(|| view! {
                                                <input type="checkbox" class="choose" name="ids" value=k.id.clone() form="bulk-form"
                                                    aria-label=format!("Choose {}", k.variant) />
                                            })}
                                            <strong class="variant">{k.variant.clone()}</strong>
                                            {(!k.headline.is_empty()).then(|| view! { <span class="headline">{format!("“{}”", k.headline)}</span> })}
                                        </div>
                                        <div class="row-actions">
                                            {row.url.clone().map(|u| view! {
                                                <CopyButton text=u label="Copy" accessible_label=format!("Copy URL of {}", k.variant) />
                                            })}
                                            {can_edit.then(|| view! {
                                                <A href=format!("/campaigns/{}/creatives/{}", k.campaign_id, k.id) attr:class="button button-small">"Edit"</A>
                                                <DeleteCreativeButton creative=k.clone() />
                                            })}
                                        </div>
                                    </div>
                                    {match (row.url, row.error) {
                                        (Some(u), _) => view! { <p class="url" data-testid="creative-url">{u}</p> }.into_any(),
                                        (None, e) => view! { <p class="banner banner-error">{e.unwrap_or_default()}</p> }.into_any(),
                                    }}
                                    <Warnings warnings=row.warnings />
                                    {has_url.then(|| view! { <StoredLinkStatus creative_id=k.id.clone() stored=stored.remove(&k.id) /> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {pager()}
                }.into_any()
            }}
        </section>
    }
}

/// ← Previous / "Creatives 101–200 of 1000" / Next →, under and over a campaign's creatives when
/// they fill more than one page; the links keep the search.
#[component]
fn CreativePager(
    base: String,
    search: Option<String>,
    number: usize,
    pages: usize,
    range: String,
) -> impl IntoView {
    let href = |n: usize| {
        let mut parts = Vec::new();
        if let Some(q) = &search {
            parts.push(format!("q={}", crate::format::query_escape(q)));
        }
        if n > 1 {
            parts.push(format!("page={n}"));
        }
        if parts.is_empty() {
            base.clone()
        } else {
            format!("{base}?{}", parts.join("&"))
        }
    };
    view! {
        <Pager label="Pages of creatives" prev=(number > 1).then(|| href(number - 1))
            next=(number < pages).then(|| href(number + 1))>
            <span class="muted pager-range" data-testid="creative-range">{range}</span>
        </Pager>
    }
}

#[component]
fn DangerZone(row: CampaignRow) -> impl IntoView {
    let c = row.campaign;
    let count = row.creative_count;
    view! {
        <section class="card danger-zone" aria-labelledby="danger-h">
            <h2 id="danger-h">"Delete this campaign"</h2>
            <details>
                <summary class="button button-danger-outline">"Delete campaign…"</summary>
                <Form action=DeleteCampaign::url() class="confirm">
                    <input type="hidden" name="id" value=c.id.clone() />
                    <input type="hidden" name="version" value=c.version />
                    <p>
                        {if count == 0 {
                            "This moves the campaign to the trash, where it can be restored for 30 days. It has no creatives.".to_string()
                        } else {
                            format!("This moves the campaign and its {count} creative{} to the trash: their links stop being listed and exported here (ads that use them keep working). It can be restored from the trash for 30 days.", if count == 1 { "" } else { "s" })
                        }}
                    </p>
                    <button type="submit" class="button button-danger">"Delete campaign"</button>
                </Form>
            </details>
        </section>
    }
}

#[component]
fn DeleteCreativeButton(creative: Creative) -> impl IntoView {
    view! {
        <details class="inline-confirm">
            <summary class="button button-small" aria-label=format!("Delete {}", creative.variant)>"Delete"</summary>
            // A plain form (the server answers with the page again, or with the page and the
            // refusal): one island per creative fewer, which a campaign of 1,000 creatives feels.
            <form method="post" action=DeleteCreative::url() class="confirm-pop">
                <input type="hidden" name="id" value=creative.id.clone() />
                <input type="hidden" name="version" value=creative.version />
                <span>{format!("Delete “{}”? It goes to the trash.", creative.variant)}</span>
                <button type="submit" class="button button-small button-danger">"Yes, delete"</button>
            </form>
        </details>
    }
}

/// Copies the campaign under a new name (a draft, every creative copied).
#[component]
fn CloneForm(c: Campaign) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="clone-h">
            <h2 id="clone-h">"Copy this campaign"</h2>
            <p class="muted">"Start next month's campaign from this one: a new name, every creative copied with its link computed for the copy. The copy starts as a draft."</p>
            <Form action=CloneCampaign::url() class="form form-inline labeled" novalidate=true>
                <input type="hidden" name="id" value=c.id />
                <div class="field">
                    <label for="clone-name">"Name of the copy"</label>
                    <input id="clone-name" name="name" type="text" required maxlength="120" autocomplete="off"
                        value=format!("{} (copy)", c.name) data-field=Field::Name.as_str() aria-describedby="clone-name-msg" />
                    <FieldMessage id="clone-name-msg" />
                </div>
                <div class="field">
                    <label for="clone-slug">"utm_campaign " <span class="optional">"(optional)"</span></label>
                    <input id="clone-slug" name="slug" type="text" maxlength="120" autocomplete="off" placeholder="from the name"
                        data-field=Field::Campaign.as_str() aria-describedby="clone-slug-msg" />
                    <FieldMessage id="clone-slug-msg" />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button">"Copy campaign"</button>
                </div>
            </Form>
        </section>
    }
}
