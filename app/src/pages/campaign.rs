//! One campaign: its settings, its creatives with the URL each carries (copy one or all), and
//! the form that adds a creative with a live preview of its URL.

use crate::api::{Call, Key, Loaded};
use crate::components::links::{idle_line, CheckLinks, StoredLinkStatus};
use crate::components::ActivityLog;
use crate::components::CampaignTabs;
use crate::components::ImportDone;
use crate::components::NotFoundOr;
use crate::components::{
    debounced, ConfirmLiveChange, CopyButton, FieldMessage, Form, Pager, TopicList, Warnings,
};
use crate::format::{thousands, timestamp, timestamp_seconds};
use crate::functions::campaigns::{
    get_campaign, get_campaign_head, get_campaign_row, search_campaign_page, CloneCampaign,
    DeleteCampaign,
};
use crate::functions::checks::get_link_statuses;
use crate::functions::creatives::{
    get_creative, get_creative_history, CreateCreative, DeleteCreative, PreviewCreative,
    UpdateCreative,
};
use crate::functions::settings::get_settings;
use crate::routes::Page;
use crate::tagging::{ask_until_ready, browser_preview, follow_input, tagging_ready, ComputedIn};
use crate::Can;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use utmforge_core::account::Role;
use utmforge_core::linkcheck::LinkStatus;
use utmforge_core::rules::{StoredRules, TeamRules};
use utmforge_core::views::Preview;
use utmforge_core::views::{CampaignPage, CampaignRow, CreativeWithUrl, LinkPeriod};
use utmforge_core::{Campaign, CampaignStatus, Code, Creative, CreativeDraft, Field};

/// The `:id` of the route.
fn campaign_id() -> impl Fn() -> String + Copy + Send + Sync + 'static {
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
                        <ImportDone campaign_id=c.id.clone() />
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                let statuses = links.await.unwrap_or_default();
                                page.await.ok().map(|p| view! {
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

/// Adds a creative: the list above shows it once the page has reloaded.
#[component]
fn CreativeForm(campaign: Campaign, rules: TeamRules) -> impl IntoView {
    view! {
        <Form action=CreateCreative::url() class="form" novalidate=true
            done="Creative added. Its URL is at the end of the list above.">
            <input type="hidden" name="campaign_id" value=campaign.id.clone() />
            <CreativeFields campaign rules initial=None />
            <div class="form-actions">
                <button type="submit" class="button button-primary">"Add creative"</button>
            </div>
        </Form>
    }
}

/// A creative's inputs (the server's HTML; the form island shows what is wrong with them) and
/// the preview of its URL (an island).
#[component]
fn CreativeFields(
    campaign: Campaign,
    rules: TeamRules,
    initial: Option<Creative>,
) -> impl IntoView {
    let init = initial.clone();
    let variant = init.as_ref().map(|k| k.variant.clone()).unwrap_or_default();
    let topic = init
        .as_ref()
        .and_then(|k| k.topic.clone())
        .unwrap_or_default();
    let landing = init
        .as_ref()
        .and_then(|k| k.landing_url.clone())
        .unwrap_or_default();
    // The first preview comes with the page (core's rule, as the browser's and the server's).
    let first = Preview::of(
        &campaign,
        &CreativeDraft {
            variant: variant.clone(),
            topic: topic.clone(),
            landing_url: landing.clone(),
            ..Default::default()
        },
        &rules,
    );
    view! {
        <div class="field-row">
            <div class="field">
                <label for="variant">"Variant name"</label>
                <input id="variant" name="draft[variant]" type="text" required autocomplete="off"
                    value=variant.clone()
                    placeholder="headline v2 long description"
                    data-field=Field::Content.as_str() aria-describedby="variant-msg" />
                <FieldMessage id="variant-msg" help="Gives utm_content; unique within the campaign." />
            </div>
            <div class="field">
                <label for="creative-topic">"Topic " <span class="optional">"(optional)"</span></label>
                <input id="creative-topic" name="draft[topic]" type="text" autocomplete="off" list="team-topics"
                    value=topic.clone()
                    placeholder="the campaign's topic"
                    data-field=Field::Term.as_str() aria-describedby="ctopic-msg" />
                <FieldMessage id="ctopic-msg" help="Gives utm_term; empty uses the campaign's topic." />
            </div>
        </div>
        <div class="field">
            <label for="creative-landing">"Landing URL " <span class="optional">"(optional)"</span></label>
            <input id="creative-landing" name="draft[landing_url]" type="url" class="mono" autocomplete="off"
                value=landing.clone()
                placeholder="the campaign's default landing URL"
                data-field=Field::Url.as_str() aria-describedby="clanding-msg" />
            <FieldMessage id="clanding-msg" help="Only when this creative points somewhere else." />
        </div>
        <div class="field-row">
            <div class="field">
                <label for="headline">"Headline " <span class="optional">"(optional)"</span></label>
                <input id="headline" name="draft[headline]" type="text" maxlength="200" autocomplete="off"
                    value=init.as_ref().map(|k| k.headline.clone()).unwrap_or_default()
                    data-field=Field::Headline.as_str() aria-describedby="headline-msg" />
                <FieldMessage id="headline-msg" help="For your reference: the ad's headline." />
            </div>
            <div class="field">
                <label for="creative-notes">"Notes " <span class="optional">"(optional)"</span></label>
                <input id="creative-notes" name="draft[notes]" type="text" maxlength="2000" autocomplete="off"
                    value=init.as_ref().map(|k| k.notes.clone()).unwrap_or_default()
                    data-field=Field::Notes.as_str() aria-describedby="cnotes-msg" />
                <FieldMessage id="cnotes-msg" />
            </div>
        </div>
        <CreativePreview initial=first campaign rules variant topic landing />
    }
}

/// The URL the creative form gives, following every keystroke in the inputs above it (by
/// their ids). Computed in the page once core's tagging has arrived; until then by the server,
/// once typing pauses (an answer to an older question is dropped). The server renders the
/// first preview with the page (`initial`).
#[island(lazy)]
fn CreativePreview(
    campaign: Campaign,
    rules: TeamRules,
    variant: String,
    topic: String,
    landing: String,
    initial: Preview,
) -> impl IntoView {
    let variant = RwSignal::new(variant);
    let topic = RwSignal::new(topic);
    let landing = RwSignal::new(landing);
    follow_input("variant", variant);
    follow_input("creative-topic", topic);
    follow_input("creative-landing", landing);
    let draft = move || CreativeDraft {
        variant: variant.get(),
        topic: topic.get(),
        landing_url: landing.get(),
        ..Default::default()
    };
    let ready = tagging_ready();
    let campaign_id = campaign.id.clone();
    let in_browser = browser_preview(ready, move || {
        Some((campaign.clone(), draft(), rules.clone()))
    });
    let server = Call::<Preview>::new(PreviewCreative::url());
    ask_until_ready(ready, debounced(Signal::derive(draft)), move |draft| {
        server.dispatch(vec![
            ("campaign_id", campaign_id.clone()),
            ("draft[variant]", draft.variant),
            ("draft[topic]", draft.topic),
            ("draft[landing_url]", draft.landing_url),
        ])
    });
    view! {
        <div class="preview" aria-live="polite">
            <p class="preview-label">"Final URL"</p>
            {move || match (in_browser.get(), server.answer()) {
                (Some(p), _) => preview_view(p, ComputedIn::Browser, variant).into_any(),
                (None, Some(Ok(p))) => preview_view(p, ComputedIn::Server, variant).into_any(),
                (None, Some(Err(e))) => view! { <p class="url muted">{e.summary()}</p> }.into_any(),
                (None, None) => preview_view(initial.clone(), ComputedIn::Server, variant).into_any(),
            }}
        </div>
    }
}

/// A creative's preview: its URL and warnings, or why it has none (a missing variant name is
/// not called an error before anything is typed).
fn preview_view(p: Preview, computed_in: ComputedIn, variant: RwSignal<String>) -> impl IntoView {
    let body = match p.url {
        Some(url) => view! {
            <p class="url" data-testid="preview-url">{url}</p>
            <Warnings warnings=p.warnings />
        }
        .into_any(),
        None => {
            let messages: Vec<String> = p
                .errors
                .iter()
                .filter(|e| !(e.code == Code::Required && variant.get_untracked().is_empty()))
                .map(|e| e.message.clone())
                .collect();
            view! {
                <p class="url muted" data-testid="preview-url">
                    {if messages.is_empty() { "Type a variant name to see the URL." } else { "No URL yet:" }}
                </p>
                <ul class="preview-errors">{messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
            }
            .into_any()
        }
    };
    view! { <div data-computed-in=computed_in.as_str()>{body}</div> }
}

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
    view! {
        <section class="card" aria-labelledby="history-h">
            <h2 id="history-h">"Link history"</h2>
            <p class="muted">"Every URL this creative has carried, with when it started and stopped (UTC). Which links were live on a given day, for all campaigns: the export on the Campaigns page."</p>
            {if periods.is_empty() {
                view! { <p class="empty-state">"No URL recorded yet: this creative's URL cannot be built (see above)."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table history-table" data-testid="link-history">
                        <thead><tr><th scope="col">"URL"</th><th scope="col">"From"</th><th scope="col">"To"</th></tr></thead>
                        <tbody>
                            {periods.into_iter().map(|p| view! {
                                <tr>
                                    <td class="url" data-label="URL">{p.url}</td>
                                    <td data-label="From">{timestamp_seconds(p.from)}</td>
                                    <td data-label="To">{match p.to {
                                        Some(to) => timestamp_seconds(to).into_any(),
                                        None => view! { <span class="badge badge-active">"live now"</span> }.into_any(),
                                    }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

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
