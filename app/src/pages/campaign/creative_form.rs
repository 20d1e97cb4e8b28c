//! The creative form: its fields and the live preview of the final URL. The campaign page adds
//! creatives with it; the creative page edits one.

use crate::api::Call;
use crate::components::{debounced, FieldMessage, Form, LazyCode, Warnings};
use crate::functions::creatives::{CreateCreative, PreviewCreative};
use crate::tagging::{ask_until_ready, browser_preview, follow_input, tagging_ready, ComputedIn};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use utmforge_core::rules::TeamRules;
use utmforge_core::views::Preview;
use utmforge_core::{Campaign, Code, Creative, CreativeDraft, Field};

/// Adds a creative: the list above shows it once the page has reloaded.
#[component]
pub(super) fn CreativeForm(campaign: Campaign, rules: TeamRules) -> impl IntoView {
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
pub(super) fn CreativeFields(
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
                <FieldMessage id="headline-msg" help="A ChatGPT ad's title (3–50 characters there)." />
            </div>
            <div class="field">
                <label for="description">"Description " <span class="optional">"(optional)"</span></label>
                <input id="description" name="draft[description]" type="text" maxlength="100" autocomplete="off"
                    value=init.as_ref().map(|k| k.description.clone()).unwrap_or_default()
                    data-field=Field::Description.as_str() aria-describedby="description-msg" />
                <FieldMessage id="description-msg" help="The ad's body under the title (at most 100)." />
            </div>
        </div>
        <div class="field">
            <label for="creative-notes">"Notes " <span class="optional">"(optional)"</span></label>
            <input id="creative-notes" name="draft[notes]" type="text" maxlength="2000" autocomplete="off"
                value=init.as_ref().map(|k| k.notes.clone()).unwrap_or_default()
                data-field=Field::Notes.as_str() aria-describedby="cnotes-msg" />
            <FieldMessage id="cnotes-msg" />
        </div>
        <LazyCode split="creative_preview_loader" /><CreativePreview initial=first campaign rules variant topic landing />
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
