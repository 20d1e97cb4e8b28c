//! Creating and editing a campaign. Both are plain server-function forms: they post and work
//! before the page has hydrated; once it has, the slug preview follows every keystroke.

use crate::api::{Call, Key, Loaded};
use crate::components::NotFoundOr;
use crate::components::{debounced, ConfirmLiveChange, FieldMessage, Form, LazyCode, TopicList};
use crate::functions::campaigns::{get_campaign_head, CreateCampaign, PreviewSlug, UpdateCampaign};
use crate::pages::Page;
use crate::tagging::{ask_until_ready, browser_slug, follow_input, tagging_ready, ComputedIn};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use utmforge_core::rules::StoredRules;
use utmforge_core::views::CampaignPage;
use utmforge_core::{BuyingModel, Campaign, CampaignStatus, ConversionEvent, Field};

/// What the form starts with.
#[derive(Clone, Default)]
struct Initial {
    name: String,
    slug: String,
    buying_model: BuyingModel,
    topic: String,
    landing_url: String,
    conversion: ConversionEvent,
    status: CampaignStatus,
    notes: String,
}

impl From<&Campaign> for Initial {
    fn from(c: &Campaign) -> Self {
        Initial {
            name: c.name.clone(),
            slug: c.slug.clone(),
            buying_model: c.buying_model,
            topic: c.topic.clone().unwrap_or_default(),
            landing_url: c.landing_url.clone(),
            conversion: c.conversion,
            status: c.status,
            notes: c.notes.clone(),
        }
    }
}

/// `/campaigns/:id/edit`: the campaign loads while the page's code does.
pub struct EditCampaignRoute {
    page: Loaded<CampaignPage>,
}

impl Page for EditCampaignRoute {
    fn data() -> Self {
        let params = use_params_map();
        let id = move || params.read().get("id").unwrap_or_default();
        Self {
            page: Loaded::new(
                move || Key::id(id()),
                |k| Box::pin(get_campaign_head(k.id.unwrap_or_default())),
            ),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <EditCampaignPage page=this.page /> }.into_any()
    }
}

#[component]
fn NewCampaignPage(rules: Loaded<StoredRules>) -> impl IntoView {
    view! {
        <Title text="New campaign" />
        // The form is outside: only the suggestions wait for the rules.
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                rules.await.ok().map(|s| view! { <TopicList topics=s.rules.suggestions() /> })
            })}
        </Transition>
        <p class="breadcrumb"><A href="/campaigns">"Campaigns"</A></p>
        <h1>"New campaign"</h1>
        <div class="card">
            <Form action=CreateCampaign::url() class="form" novalidate=true>
                <CampaignFields initial=Initial::default() original=None />
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Create campaign"</button>
                    <A href="/campaigns" attr:class="button">"Cancel"</A>
                </div>
            </Form>
        </div>
    }
}

/// `/campaigns/new`: the form, and the team's topics as suggestions.
pub struct NewCampaignRoute {
    rules: Loaded<StoredRules>,
}

impl Page for NewCampaignRoute {
    fn data() -> Self {
        Self {
            rules: Loaded::new(Key::none, |_| {
                Box::pin(crate::functions::settings::get_settings())
            }),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <NewCampaignPage rules=this.rules /> }.into_any()
    }
}

#[component]
fn EditCampaignPage(page: Loaded<CampaignPage>) -> impl IntoView {
    view! {
        <Title text="Edit campaign" />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! { <NotFoundOr error=e /> }.into_any(),
                    Ok(p) => {
                        let c = p.campaign;
                        let back = format!("/campaigns/{}", c.id);
                        let count = p.matching;
                        let initial = Initial::from(&c);
                        let topics = p.rules.suggestions();
                        let original = Some((c.slug.clone(), count));
                        view! {
                            <p class="breadcrumb">
                                <A href="/campaigns">"Campaigns"</A>" / "<A href=back.clone()>{c.name}</A>
                            </p>
                            <h1>"Edit campaign"</h1>
                            <TopicList topics />
                            <div class="card">
                                <Form action=UpdateCampaign::url() class="form" novalidate=true>
                                    <input type="hidden" name="id" value=c.id />
                                    <input type="hidden" name="version" value=c.version />
                                    <CampaignFields initial original />
                                    <ConfirmLiveChange active={c.status == CampaignStatus::Active} />
                                    <div class="form-actions">
                                        <button type="submit" class="button button-primary">"Save changes"</button>
                                        <A href=back attr:class="button">"Cancel"</A>
                                    </div>
                                </Form>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The `utm_campaign` the form gives, or a hint while the name has nothing to make one from.
fn slug_view(slug: Option<String>, computed_in: ComputedIn) -> impl IntoView {
    match slug {
        Some(s) => view! {
            <code data-testid="slug-preview" data-computed-in=computed_in.as_str()>{format!("utm_campaign={s}")}</code>
        }
        .into_any(),
        None => view! {
            <span class="muted" data-testid="slug-preview" data-computed-in=computed_in.as_str()>
                "a utm_campaign value once the name has letters or digits"
            </span>
        }
        .into_any(),
    }
}

/// A campaign's inputs (the server's HTML; the form island shows what is wrong with them), with
/// the preview of the `utm_campaign` they give (an island).
#[component]
fn CampaignFields(
    initial: Initial,
    /// For an existing campaign: its slug and how many creatives carry it.
    original: Option<(String, usize)>,
) -> impl IntoView {
    // An existing campaign shows its slug; a new one derives it until the person types one.
    let slug = if original.is_some() {
        initial.slug.clone()
    } else {
        String::new()
    };
    // The first preview comes with the page (core's rule, as the browser's and the server's).
    let first = utmforge_core::campaign_slug(&initial.name, &slug).ok();

    view! {
        <div class="field">
            <label for="name">"Campaign name"</label>
            <input id="name" name="draft[name]" type="text" required maxlength="120" autocomplete="off"
                value=initial.name.clone()
                data-field=Field::Name.as_str() aria-describedby="name-msg" />
            <FieldMessage id="name-msg" help="How your team calls it, e.g. “Spring Sale 2025 — EU”." />
        </div>
        <div class="field">
            <label for="slug">"utm_campaign " <span class="optional">"(optional)"</span></label>
            <input id="slug" name="draft[slug]" type="text" autocomplete="off" class="mono"
                value=slug.clone()
                placeholder="derived from the name"
                data-field=Field::Campaign.as_str() aria-describedby="slug-msg slug-preview" />
            <LazyCode split="slug_preview_loader" /><SlugPreview name=initial.name.clone() slug initial=first original />
            <FieldMessage id="slug-msg" help="Leave empty to derive it from the name. Lowercase letters, digits and hyphens." />
        </div>
        <fieldset class="field" data-field=Field::Medium.as_str() aria-describedby="medium-msg">
            <legend>"Buying model"</legend>
            <div class="radio-row">
                {BuyingModel::ALL.map(|m| view! {
                    <label class="radio">
                        <input type="radio" name="draft[buying_model]" value=m.utm_medium() checked=initial.buying_model == m />
                        <span>{m.label()}</span>
                    </label>
                }).collect_view()}
            </div>
            <FieldMessage id="medium-msg" help="Gives utm_medium (cpc or cpm)." />
        </fieldset>
        <div class="field">
            <label for="landing_url">"Default landing URL"</label>
            <input id="landing_url" name="draft[landing_url]" type="url" required class="mono" autocomplete="off"
                value=initial.landing_url.clone() placeholder="https://example.com/pricing"
                data-field=Field::Url.as_str() aria-describedby="landing-msg" />
            <FieldMessage id="landing-msg" help="Creatives use it unless they set their own." />
        </div>
        <div class="field">
            <label for="topic">"Topic cluster " <span class="optional">"(optional)"</span></label>
            <input id="topic" name="draft[topic]" type="text" autocomplete="off" list="team-topics"
                value=initial.topic.clone() placeholder="project management tools"
                data-field=Field::Term.as_str() aria-describedby="topic-msg" />
            <FieldMessage id="topic-msg" help="The conversation topic you target: the default utm_term." />
        </div>
        <div class="field-row">
            <div class="field">
                <label for="conversion">"Primary conversion"</label>
                <select id="conversion" name="draft[conversion]" data-field=Field::Conversion.as_str() aria-describedby="conversion-msg">
                    {ConversionEvent::ALL.map(|c| view! {
                        <option value=c.as_str() selected=initial.conversion == c>{c.label()}</option>
                    }).collect_view()}
                </select>
                <FieldMessage id="conversion-msg" help="The OpenAI ads pixel event that counts as success." />
            </div>
            <div class="field">
                <label for="status">"Status"</label>
                <select id="status" name="draft[status]" data-field=Field::Status.as_str() aria-describedby="status-msg">
                    {CampaignStatus::ALL.map(|s| view! {
                        <option value=s.as_str() selected=initial.status == s>{s.label()}</option>
                    }).collect_view()}
                </select>
                <FieldMessage id="status-msg" />
            </div>
        </div>
        <div class="field">
            <label for="notes">"Notes " <span class="optional">"(optional)"</span></label>
            <textarea id="notes" name="draft[notes]" rows="3" maxlength="2000" data-field=Field::Notes.as_str() aria-describedby="notes-msg">{initial.notes.clone()}</textarea>
            <FieldMessage id="notes-msg" />
        </div>
    }
}

/// "Links will carry utm_campaign=…" under the slug input, following every keystroke in the
/// name and slug inputs (by their ids): computed in the page once core's tagging has arrived,
/// else by the server once typing pauses. The server renders the first value with the page
/// (`initial`). For an existing campaign with creatives, it warns while the slug differs from
/// the one their links carry.
#[island(lazy)]
fn SlugPreview(
    name: String,
    slug: String,
    initial: Option<String>,
    original: Option<(String, usize)>,
) -> impl IntoView {
    let name = RwSignal::new(name);
    let slug = RwSignal::new(slug);
    follow_input("name", name);
    follow_input("slug", slug);
    let ready = tagging_ready();
    let in_browser = browser_slug(ready, move || (name.get(), slug.get()));
    let server = Call::<Option<String>>::new(PreviewSlug::url());
    ask_until_ready(
        ready,
        debounced(Signal::derive(move || (name.get(), slug.get()))),
        move |(name, slug)| server.dispatch(vec![("name", name), ("slug", slug)]),
    );
    // The browser's value once it computes; until then the server's latest answer (none when
    // it failed), or the page's.
    let shown = Signal::derive(move || match in_browser.get() {
        Some(s) => (s, ComputedIn::Browser),
        None => match server.answer() {
            Some(answer) => (answer.ok().flatten(), ComputedIn::Server),
            None => (initial.clone(), ComputedIn::Server),
        },
    });

    view! {
        <p id="slug-preview" class="slug-preview" aria-live="polite">
            "Links will carry "
            {move || {
                let (s, computed_in) = shown.get();
                slug_view(s, computed_in)
            }}
        </p>
        {original.filter(|(_, count)| *count > 0).map(|(old, count)| {
            // Shown while the slug differs from the one the existing links carry.
            move || {
                let old = old.clone();
                (shown.get().0.is_some_and(|s| s != old)).then(|| view! {
                    <p class="banner banner-warning" role="status" data-testid="slug-change-warning">
                        {format!("{count} creative link{} already use utm_campaign={old}. Ads that are running keep the old value: GA4 will show both until you update those ads.", if count == 1 { "" } else { "s" })}
                    </p>
                })
            }
        })}
    }
}
