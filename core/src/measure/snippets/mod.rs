//! The snippets a site installs, as OpenAI's Pixel documentation describes them: the documented
//! loader at the top of `<head>` with `oaiq("init", {pixelId})`, `page_viewed` with
//! `{type: "contents"}`, one event snippet per conversion in use (the event's data `type`, an
//! integer `amount` in the currency's minor unit, `event_id` in the options, then the matching
//! GA4 call), the image-tag fallback, the consent calls, the CSP directives, a nonce'd variant
//! of each inline snippet, the survey and first-touch memory; for plain HTML, Shopify,
//! WordPress and Next.js.

mod conversions;
mod pixel;
mod platforms;

use super::*;
use crate::events::ConversionEvent;
use crate::events::{DataType, EVENTS};
use crate::ga4::{self, Artifact};
pub use conversions::*;
pub use pixel::*;
use platforms::*;

/// Placeholders the site's server replaces in the plain-HTML and WordPress event snippets.
pub const VALUE_PLACEHOLDER: &str = "{{VALUE}}";
pub const ORDER_ID_PLACEHOLDER: &str = "{{ORDER_ID}}";
pub const PLAN_ID_PLACEHOLDER: &str = "{{PLAN_ID}}";
pub const EVENT_ID_PLACEHOLDER: &str = "{{EVENT_ID}}";
/// The placeholder of a nonce'd variant: the nonce of the page's `Content-Security-Policy`.
pub const NONCE_PLACEHOLDER: &str = "{{CSP_NONCE}}";

/// The survey's question and its answers (value sent to GA4, label shown).
pub const SURVEY_QUESTION: &str = "How did you first hear about us?";
pub const SURVEY_OPTIONS: [(&str, &str); 7] = [
    ("google_search", "Google Search"),
    ("chatgpt", "ChatGPT / AI assistant"),
    ("social_media", "Social media (Instagram, TikTok, LinkedIn)"),
    ("friend_or_colleague", "Friend or colleague"),
    ("podcast_or_youtube", "Podcast or YouTube"),
    ("blog_or_article", "Blog or article"),
    ("other", "Other"),
];

/// One snippet: what it is, where it goes, and its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// Stable key (`html-base`, `shopify-order_created`, …): the page's anchors and tests.
    pub key: String,
    pub title: String,
    /// Where to paste it, in the words of the platform.
    pub place: String,
    pub code: String,
    /// The same code for a site whose Content-Security-Policy allows inline scripts only with
    /// a nonce: every `<script>` carries `nonce="{{CSP_NONCE}}"` (Next.js: the layout reads
    /// the nonce its middleware set). None for code that has no inline script.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_with_nonce: Option<String>,
}

/// The snippets for one platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformKit {
    /// `html`, `shopify`, `wordpress`, `nextjs`.
    pub key: String,
    pub name: String,
    pub intro: String,
    pub snippets: Vec<Snippet>,
}

/// A conversion some campaigns use, the data type the pixel sends it with, and the GA4 event
/// it maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionUse {
    pub event: String,
    pub data_type: String,
    pub ga4_event: String,
    /// Names of the campaigns whose primary conversion it is.
    pub campaigns: Vec<String>,
}

/// One Content-Security-Policy source a customer site needs for the Pixel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CspSource {
    pub directive: String,
    pub source: String,
    pub why: String,
}

/// Everything the Tracking page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingKit {
    pub settings: TrackingSettings,
    pub conversions: Vec<ConversionUse>,
    pub platforms: Vec<PlatformKit>,
    /// With the consent option: the call that grants consent (and sends the page view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_grant: Option<Snippet>,
    /// The sources to add to the site's Content-Security-Policy.
    pub csp: Vec<CspSource>,
    pub first_touch: Snippet,
    pub survey: Snippet,
    /// GA4 custom dimensions and the two reports.
    pub documents: Vec<Artifact>,
    pub checklist: Vec<String>,
    pub consent: String,
}

fn snippet(key: String, title: String, place: &str, code: String) -> Snippet {
    let code_with_nonce = code.contains("<script").then(|| with_nonce(&code));
    Snippet {
        key,
        title,
        place: place.to_string(),
        code,
        code_with_nonce,
    }
}

/// The Content-Security-Policy sources the Pixel needs (OpenAI's table).
pub fn csp_sources() -> Vec<CspSource> {
    [
        ("script-src", PIXEL_SCRIPT_ORIGIN, "loads the Pixel SDK"),
        (
            "connect-src",
            PIXEL_EVENTS_ORIGIN,
            "the SDK sends events (fetch, sendBeacon)",
        ),
        (
            "img-src",
            PIXEL_EVENTS_ORIGIN,
            "the image-request fallback and the <noscript> image tag",
        ),
    ]
    .into_iter()
    .map(|(directive, source, why)| CspSource {
        directive: directive.into(),
        source: source.into(),
        why: why.into(),
    })
    .collect()
}

/// Everything the Tracking page shows, for `settings` and the conversions campaigns use
/// (each event once, with the names of its campaigns, in the order of OpenAI's event table).
pub fn tracking_kit(
    settings: &TrackingSettings,
    campaigns: &[(String, ConversionEvent)],
) -> TrackingKit {
    let events: Vec<ConversionEvent> = EVENTS
        .iter()
        .filter_map(|spec| {
            ConversionEvent::ALL
                .into_iter()
                .find(|c| c.event() == spec.event)
        })
        .filter(|e| campaigns.iter().any(|(_, c)| c == e))
        .collect();
    let conversions = events
        .iter()
        .map(|&e| ConversionUse {
            event: e.as_str().into(),
            data_type: e.event().data_type().as_str().into(),
            ga4_event: ga4::ga4_event_for(e).into(),
            campaigns: campaigns
                .iter()
                .filter(|(_, c)| *c == e)
                .map(|(n, _)| n.clone())
                .collect(),
        })
        .collect();
    let consent_grant = settings.consent.then(|| Snippet {
        key: "consent-grant".into(),
        title: "Grant consent".into(),
        place: "In your consent banner's “accept” callback, and on every later page as soon as the banner knows the visitor agreed (before the event snippets): the Pixel sends nothing while consent is false, and what it blocked is not sent later.".into(),
        code: consent_grant_js(),
        code_with_nonce: None,
    });
    let mut checklist = vec![
        "Paste the base snippet at the top of <head> of every page: in <body> the pixel misses early events.".to_string(),
        "Put each event snippet only on the page where the conversion happens, once: not again when the page is reloaded.".into(),
        "Have your server make the event id (TYPE_USER_TIMESTAMPMS, e.g. order_created_user123_1715356800000), render it into the event snippet (it goes in the options, as event_id), and send the same id through the Conversions API: the same id from both counts once.".into(),
        "Add the three Content-Security-Policy sources below if your site has a policy (with a nonce: use each snippet's nonce variant, never 'unsafe-inline').".into(),
        "Send server-side conversions (subscriptions, phone and offline orders, CRM stages) with utmforge capi send within 24 hours; the API refuses events older than 7 days.".into(),
        "Add the first-touch snippet to every page, after the Google tag, and register its two user-scoped dimensions; have your server put the utmforge_oppref cookie's value into its Conversions API events as oppref.".into(),
        "Add the survey to the thank-you page and register heard_about as an event-scoped dimension.".into(),
        format!("Open a page with ?utm_source=chatgpt&utm_medium=cpc&utm_campaign=test{}: the browser's Network tab shows oaiq.min.js and requests to bzr.openai.com, and GA4's DebugView shows first_touch_source.", if settings.debug { " (with debug on, the console logs what the SDK does; switch it off before going live)" } else { "" }),
        "In GA4, mark the primary conversion as a key event and wait 14 days before judging a campaign.".into(),
    ];
    if settings.consent {
        checklist.insert(
            1,
            "Call the grant-consent snippet from your consent banner when the visitor agrees."
                .into(),
        );
    }
    TrackingKit {
        settings: settings.clone(),
        conversions,
        platforms: vec![
            html_kit(settings, &events),
            shopify_kit(settings, &events),
            wordpress_kit(settings, &events),
            nextjs_kit(settings, &events),
        ],
        consent_grant,
        csp: csp_sources(),
        first_touch: snippet(
            "first-touch".into(),
            "First-touch memory".into(),
            "On every page, after the Google tag and before the event snippets.",
            first_touch_html(),
        ),
        survey: snippet(
            "survey".into(),
            "Survey".into(),
            "On the thank-you page, below the confirmation.",
            survey_html(),
        ),
        documents: ga4::measurement_artifacts(),
        checklist,
        consent: format!("The Pixel sets OpenAI's first-party cookies (__oppref, __obref) and the first-touch snippet sets {FIRST_TOUCH_COOKIE} and {OPPREF_COOKIE} (30 days, first-party): the ad's source, campaign and creative names, a time and OpenAI's click reference. They are non-essential cookies used for advertising measurement: in the EU and the UK (ePrivacy, GDPR) set them, like GA4, only after the visitor agrees through your consent banner (tick “Ask for consent first” above); elsewhere, name them in your privacy policy."),
    }
}
