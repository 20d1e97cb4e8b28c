//! `/tracking`: the measurement layers beyond UTMs. A plain GET form takes the Pixel ID, the
//! GA4 measurement id, the currency and two options (debug, consent first); the server answers
//! the page with every snippet as OpenAI's documentation describes it (the pixel's base and
//! event snippets for plain HTML, Shopify, WordPress and Next.js, each with a nonce'd variant,
//! the consent call, the CSP sources, first-touch memory, the survey), the GA4 custom
//! dimensions and reports, and a checklist. All of it is core's (`utmforge_core::measure`);
//! the page only shows it, with copy buttons.

use crate::api::{AppError, Key, Loaded};
use crate::components::ArtifactCard;
use crate::components::CopyButton;
use crate::functions::documents::get_tracking;
use crate::pages::Page;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use utmforge_core::measure::{Snippet, TrackingKit};
use utmforge_core::Field;

/// The form's values, as the query holds them.
#[derive(Clone, Default)]
struct Asked {
    pixel_id: String,
    measurement_id: String,
    currency: String,
    debug: bool,
    consent: bool,
}

fn asked() -> impl Fn() -> Asked + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        let q = query.read();
        Asked {
            pixel_id: q.get("pixel_id").unwrap_or_default(),
            measurement_id: q.get("measurement_id").unwrap_or_default(),
            currency: q.get("currency").unwrap_or_default(),
            debug: q.get("debug").as_deref() == Some("true"),
            consent: q.get("consent").as_deref() == Some("true"),
        }
    }
}

/// Separates the values in the data's key.
const SEP: char = '\u{1f}';

pub struct TrackingRoute {
    kit: Loaded<Option<TrackingKit>>,
}

impl Page for TrackingRoute {
    fn data() -> Self {
        let asked = asked();
        Self {
            kit: Loaded::new(
                move || {
                    let a = asked();
                    Key::none().with(Some(format!(
                        "{}{SEP}{}{SEP}{}{SEP}{}{SEP}{}",
                        a.pixel_id, a.measurement_id, a.currency, a.debug, a.consent
                    )))
                },
                |k| {
                    let other = k.other.unwrap_or_default();
                    let mut parts = other.split(SEP).map(str::to_string);
                    let mut next = || parts.next().unwrap_or_default();
                    let (pixel, ga4, currency) = (next(), next(), next());
                    let (debug, consent) = (next() == "true", next() == "true");
                    Box::pin(get_tracking(
                        pixel,
                        ga4,
                        currency,
                        Some(debug),
                        Some(consent),
                    ))
                },
            ),
        }
    }

    fn view(this: Self) -> AnyView {
        view! { <TrackingPage kit=this.kit /> }.into_any()
    }
}

#[component]
fn TrackingPage(kit: Loaded<Option<TrackingKit>>) -> impl IntoView {
    let a = asked()();
    view! {
        <Title text="Tracking" />
        <h1>"Tracking"</h1>
        <p class="lede">
            "UTMs and GA4 are one of four layers of ChatGPT ads measurement. This page sets up the other three "
            "from the conversions your campaigns already name: the ads pixel in the browser, the Conversions API "
            "on your server (sharing one event id, so nothing counts twice), and a survey for the conversions no click path shows. "
            "Every snippet follows OpenAI's developer documentation for ads (developers.openai.com/ads); where older guides differ, they are wrong."
        </p>
        <Layers />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                let a = a.clone();
                Suspend::new(async move {
                    match kit.await {
                        Ok(kit) => view! {
                            <SettingsForm asked=a error=None />
                            {kit.map(|k| view! { <Kit kit=k /> })}
                        }.into_any(),
                        Err(e) => view! { <SettingsForm asked=a error=Some(e) /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// The four layers and where each is covered.
#[component]
fn Layers() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="layers-h">
            <h2 id="layers-h">"The four layers"</h2>
            <ol class="layers">
                <li><strong>"UTMs + GA4"</strong>" — every link tagged on the "<A href="/campaigns">"Campaigns"</A>
                    " pages; the channel group, funnel and report on "<A href="/ga4">"GA4 setup"</A>" and each campaign's GA4 tab."</li>
                <li><strong>"Ads pixel"</strong>" — the base and event snippets below, for your site's platform."</li>
                <li><strong>"Conversions API"</strong>" — server-side and offline conversions: "
                    <code>"OPENAI_CONVERSIONS_API_KEY=… utmforge capi send --pixel-id ID --csv conversions.csv"</code>" — match keys (email, phone, names) are hashed on your server before they are sent (validate a batch with "
                    <code>"POST /api/v1/capi/validate"</code>")."</li>
                <li><strong>"Survey and first touch"</strong>" — the snippets at the end of this page, with their GA4 dimensions and reports."</li>
            </ol>
        </section>
    }
}

/// The settings: a plain GET form, so the page's address holds them (share it with whoever
/// installs the snippets).
#[component]
fn SettingsForm(asked: Asked, error: Option<AppError>) -> impl IntoView {
    let message = |field: Field| error.as_ref().and_then(|e| e.for_field(field));
    let pixel_error = message(Field::PixelId);
    let ga4_error = message(Field::MeasurementId);
    let currency_error = message(Field::Currency);
    let banner = error
        .as_ref()
        .filter(|e| !matches!(e, AppError::Invalid(_)))
        .map(AppError::summary);
    let described = |id: &'static str, bad: bool| {
        if bad {
            format!("{id} {id}-error")
        } else {
            id.to_string()
        }
    };
    view! {
        <section class="card" aria-labelledby="settings-h">
            <h2 id="settings-h">"Your site's settings"</h2>
            {banner.map(|b| view! { <div class="banner banner-error" role="alert">{b}</div> })}
            <form method="get" action="/tracking" class="form tracking-form">
                <div class="field">
                    <label for="pixel_id">"Pixel id"</label>
                    <input id="pixel_id" name="pixel_id" class="mono" required value=asked.pixel_id.clone()
                        autocomplete="off" spellcheck="false"
                        aria-invalid=pixel_error.is_some().then_some("true")
                        aria-describedby=described("pixel_id-help", pixel_error.is_some()) />
                    {pixel_error.clone().map(|e| view! { <p id="pixel_id-help-error" class="field-message field-error">{e}</p> })}
                    <p id="pixel_id-help" class="field-message">"In OpenAI's Ads Manager, on the conversions tab: a string of letters and digits, copied as it is."</p>
                </div>
                <div class="field">
                    <label for="measurement_id">"GA4 measurement id " <span class="muted">"(optional)"</span></label>
                    <input id="measurement_id" name="measurement_id" class="mono" value=asked.measurement_id.clone()
                        placeholder="G-…" autocomplete="off" spellcheck="false"
                        aria-invalid=ga4_error.is_some().then_some("true")
                        aria-describedby=described("measurement_id-help", ga4_error.is_some()) />
                    {ga4_error.clone().map(|e| view! { <p id="measurement_id-help-error" class="field-message field-error">{e}</p> })}
                    <p id="measurement_id-help" class="field-message">"GA4 › Admin › Data streams › your web stream. Leave it empty when GA4 comes through Google Tag Manager: the snippets then call gtag only where it exists."</p>
                </div>
                <div class="field">
                    <label for="currency">"Currency"</label>
                    <input id="currency" name="currency" class="mono" value=asked.currency.clone()
                        placeholder="USD" maxlength="3" autocomplete="off" spellcheck="false"
                        aria-invalid=currency_error.is_some().then_some("true")
                        aria-describedby=described("currency-help", currency_error.is_some()) />
                    {currency_error.clone().map(|e| view! { <p id="currency-help-error" class="field-message field-error">{e}</p> })}
                    <p id="currency-help" class="field-message">"ISO 4217, of your order values (USD when empty). The pixel gets amounts as integers in its minor unit (12999 for 129.99 USD, 1500 for 1500 JPY); GA4 keeps the plain value."</p>
                </div>
                <fieldset class="field options">
                    <legend>"Options"</legend>
                    <label class="check">
                        <input type="checkbox" name="consent" value="true" checked=asked.consent aria-describedby="consent-help" />
                        " Ask for consent first"
                    </label>
                    <p id="consent-help" class="field-message">"For visitors in the EU and the UK: the pixel starts with consent denied and measures nothing until your consent banner grants it (you get the call to make)."</p>
                    <label class="check">
                        <input type="checkbox" name="debug" value="true" checked=asked.debug aria-describedby="debug-help" />
                        " Debug mode"
                    </label>
                    <p id="debug-help" class="field-message">"The SDK logs what it does to the browser console. For testing the installation; switch it off before going live."</p>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="button button-primary">"Show the snippets"</button>
                </div>
            </form>
        </section>
    }
}

/// One snippet: where it goes, a copy button, the code.
#[component]
fn SnippetCard(
    snippet: Snippet,
    /// The platform, when several show a snippet of the same title.
    #[prop(optional, into)]
    platform: Option<String>,
) -> impl IntoView {
    let Snippet {
        key,
        title,
        place,
        code,
        code_with_nonce,
    } = snippet;
    let heading = format!("{key}-h");
    // The accessible name starts with the visible text (WCAG 2.5.3).
    let copy_label = match platform {
        Some(p) => format!("Copy {title} ({p})"),
        None => format!("Copy {title}"),
    };
    let region = format!("{title} code");
    let nonce = code_with_nonce.map(|nonced| {
        let nonce_label = format!("{copy_label} with a CSP nonce");
        let nonce_region = format!("{title} code with a CSP nonce");
        view! {
            <details class="nonce-variant">
                <summary>"With a CSP nonce"</summary>
                <p class="muted small">"For a site whose Content-Security-Policy allows inline scripts only with a nonce: your server puts the response's nonce where "<code>"{{CSP_NONCE}}"</code>" stands (Next.js: the layout reads the nonce your middleware set)."</p>
                <div class="section-head">
                    <span></span>
                    <CopyButton text=nonced.clone() label="Copy" accessible_label=nonce_label />
                </div>
                <pre tabindex="0" role="region" aria-label=nonce_region><code>{nonced}</code></pre>
            </details>
        }
    });
    view! {
        <div class="snippet" data-snippet=key.clone()>
            <div class="section-head">
                <h4 id=heading.clone()>{title}</h4>
                <CopyButton text=code.clone() label="Copy" accessible_label=copy_label />
            </div>
            <p class="muted small">{place}</p>
            <pre tabindex="0" role="region" aria-label=region><code>{code}</code></pre>
            {nonce}
        </div>
    }
}

#[component]
fn Kit(kit: TrackingKit) -> impl IntoView {
    let TrackingKit {
        settings,
        conversions,
        platforms,
        consent_grant,
        csp,
        first_touch,
        survey,
        documents,
        checklist,
        consent,
    } = kit;
    view! {
        <section class="card" aria-labelledby="conversions-h">
            <h2 id="conversions-h">"Conversions in use"</h2>
            {if conversions.is_empty() {
                view! { <p class="muted">"No campaign yet: the event snippets appear once a campaign names its primary conversion. The base snippet below is needed anyway."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Conversions in use">
                        <table class="data-table">
                            <thead><tr><th scope="col">"Pixel event"</th><th scope="col">"Data type"</th><th scope="col">"GA4 event"</th><th scope="col">"Campaigns"</th></tr></thead>
                            <tbody>
                                {conversions.into_iter().map(|c| view! {
                                    <tr>
                                        <td data-label="Pixel event"><code>{c.event}</code></td>
                                        <td data-label="Data type"><code>{c.data_type}</code></td>
                                        <td data-label="GA4 event"><code>{c.ga4_event}</code></td>
                                        <td data-label="Campaigns">{c.campaigns.join(", ")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <p class="muted small">
                "Pixel " <code>{settings.pixel_id}</code> " · GA4 "
                {settings.measurement_id.map_or_else(|| view! { <span>"through your own tag"</span> }.into_any(), |id| view! { <code>{id}</code> }.into_any())}
                " · " <code>{settings.currency}</code>
            </p>
        </section>
        <section class="card" aria-labelledby="pixel-h">
            <h2 id="pixel-h">"Pixel and event snippets"</h2>
            <p>"Pick your platform. The base snippet is OpenAI's loader with " <code>"oaiq(\"init\", { pixelId })"</code>
               " and the page view. Each event snippet sends " <code>"oaiq(\"measure\", event, data, { event_id })"</code>
               ": the data's " <code>"type"</code> " matches the event, money is an integer " <code>"amount"</code>
               " in the currency's minor unit, and the " <code>"event_id"</code> " your server makes (" <code>"TYPE_USER_TIMESTAMPMS"</code>
               ") goes in the options; then the matching GA4 event. Send the same id through the Conversions API and the conversion counts once."</p>
            {platforms.into_iter().enumerate().map(|(i, p)| {
                let name = p.name.clone();
                view! {
                    <details class="platform" open={i == 0} data-platform=p.key.clone()>
                        <summary><strong>{p.name}</strong> " — " <span class="muted">{p.intro}</span></summary>
                        {p.snippets.into_iter().map(|s| view! { <SnippetCard snippet=s platform=name.clone() /> }).collect_view()}
                    </details>
                }
            }).collect_view()}
        </section>
        {consent_grant.map(|grant| view! {
            <section class="card" aria-labelledby="consent-h">
                <h2 id="consent-h">"Consent"</h2>
                <p>"The base snippet calls " <code>"oaiq(\"consent\", false)"</code> " before " <code>"init"</code>
                   ": the pixel measures nothing until your consent banner grants it with the call below. What it blocked before is not sent later, so the page view is sent when consent is granted."</p>
                <SnippetCard snippet=grant />
            </section>
        })}
        <section class="card" aria-labelledby="csp-h">
            <h2 id="csp-h">"Content-Security-Policy"</h2>
            <p>"If your site sends a Content-Security-Policy, add these sources (OpenAI's list). Allow the inline snippets with a nonce — each snippet's "
               <em>"With a CSP nonce"</em>" variant — or a hash; do not add " <code>"'unsafe-inline'"</code> " for the pixel."</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Content-Security-Policy sources">
                <table class="data-table">
                    <thead><tr><th scope="col">"Directive"</th><th scope="col">"Source"</th><th scope="col">"Why"</th></tr></thead>
                    <tbody>
                        {csp.into_iter().map(|c| view! {
                            <tr>
                                <td data-label="Directive"><code>{c.directive}</code></td>
                                <td data-label="Source"><code>{c.source}</code></td>
                                <td data-label="Why">{c.why}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="muted small">"GA4's tag needs Google's own sources besides (see Google's “Use Content Security Policy” guide for Tag Manager and GA4)."</p>
        </section>
        <section class="card" aria-labelledby="first-touch-h">
            <h2 id="first-touch-h">"First-touch memory"</h2>
            <p>"GA4's reports credit the last click: a visitor who comes from a ChatGPT ad and buys a week later through branded search counts as search. "
               "This snippet remembers the first ChatGPT ad click for 30 days and adds it to later conversions: as GA4 user properties "
               <code>"first_touch_source"</code>" and "<code>"first_touch_campaign"</code>" (the cookie "<code>"utmforge_ft"</code>" = source|campaign|content|time). "
               "It also keeps the "<code>"oppref"</code>" OpenAI appends to each ad click (cookie "<code>"utmforge_oppref"</code>", and "<code>"window.utmforgeOppref"</code>
               "): a conversion your server sends through the Conversions API is attributed to the ad only with it, so put that value, unmodified, in the event's "<code>"oppref"</code>"."</p>
            <SnippetCard snippet=first_touch />
            <div class="banner banner-info" role="note"><strong>"Consent. "</strong>{consent}</div>
        </section>
        <section class="card" aria-labelledby="survey-h">
            <h2 id="survey-h">"Survey: “How did you first hear about us?”"</h2>
            <p>"About 60% of ChatGPT-influenced conversions happen outside the click session. One question on the thank-you page recovers them: "
               "the answer goes to GA4 as " <code>"survey_response"</code> " with " <code>"heard_about"</code>
               ". Set " <code>"SEND_TO_PIXEL = true"</code> " in it to also send the pixel a " <code>"custom"</code> " event named " <code>"survey_response"</code>
               " (the pixel takes no answer text: the answer itself stays in GA4)."</p>
            <SnippetCard snippet=survey />
        </section>
        <h2 class="section-title">"GA4: dimensions and reports for the survey and first touch"</h2>
        <p class="muted">"Register the three dimensions once per property (or run " <code>"utmforge ga4 apply-script --property ID"</code>
            ", which now does it too), then read the two reports."</p>
        {documents.into_iter().map(|a| {
            let download: Option<String> = None;
            view! { <ArtifactCard artifact=a download /> }
        }).collect_view()}
        <section class="card" aria-labelledby="tracking-checklist-h">
            <h2 id="tracking-checklist-h">"Checklist"</h2>
            <ol class="checklist">
                {checklist.into_iter().enumerate().map(|(i, step)| {
                    let id = format!("tracking-step-{}", i + 1);
                    view! { <li><input type="checkbox" id=id.clone() /><label for=id>{step}</label></li> }
                }).collect_view()}
            </ol>
        </section>
    }
}
