//! The snippets a site installs: the pixel's base snippet, one event snippet per conversion
//! (pixel + the matching GA4 call, sharing an event id with CAPI), the survey and first-touch
//! memory; for plain HTML, Shopify, WordPress and Next.js.

use super::capi::PixelEvent;
use super::*;
use crate::campaign::ConversionEvent;
use crate::ga4::{self, Artifact};

/// Placeholders the site's server replaces in the plain-HTML event snippets.
pub const VALUE_PLACEHOLDER: &str = "{{VALUE}}";
pub const ORDER_ID_PLACEHOLDER: &str = "{{ORDER_ID}}";
pub const LEAD_TYPE_PLACEHOLDER: &str = "{{LEAD_TYPE}}";
pub const EVENT_ID_PLACEHOLDER: &str = "{{EVENT_ID}}";

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

/// A conversion some campaigns use, and the GA4 event it maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionUse {
    pub event: String,
    pub ga4_event: String,
    /// Names of the campaigns whose primary conversion it is.
    pub campaigns: Vec<String>,
}

/// Everything the Tracking page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingKit {
    pub settings: TrackingSettings,
    pub conversions: Vec<ConversionUse>,
    pub platforms: Vec<PlatformKit>,
    pub first_touch: Snippet,
    pub survey: Snippet,
    /// GA4 custom dimensions and the two reports.
    pub documents: Vec<Artifact>,
    pub checklist: Vec<String>,
    pub consent: String,
}

/// The pixel's base snippet as JavaScript (no `<script>` tags): the `oaiq` queue, the
/// library loaded asynchronously, `init` and `page_viewed`.
pub fn base_js(settings: &TrackingSettings) -> String {
    format!(
        r#"!function (w, d, u) {{
  if (w.oaiq) return;
  var q = w.oaiq = function () {{ q.q.push(arguments); }};
  q.q = [];
  var s = d.createElement("script");
  s.async = true;
  s.src = u;
  (d.head || d.documentElement).appendChild(s);
}}(window, document, {url});
oaiq("init", {pixel});
oaiq("measure", "page_viewed");"#,
        url = js_string(PIXEL_SCRIPT_URL),
        pixel = js_string(&settings.pixel_id),
    )
}

/// GA4's own tag (gtag.js) for the measurement id, when one is set.
pub fn ga4_tag_html(settings: &TrackingSettings) -> Option<String> {
    let id = settings.measurement_id.as_deref()?;
    Some(format!(
        r#"<script async src="https://www.googletagmanager.com/gtag/js?id={id}"></script>
<script>
window.dataLayer = window.dataLayer || [];
function gtag() {{ dataLayer.push(arguments); }}
gtag("js", new Date());
gtag("config", {id_js});
</script>"#,
        id = id,
        id_js = js_string(id),
    ))
}

/// The pixel's base snippet for `<head>`.
pub fn base_html(settings: &TrackingSettings) -> String {
    let pixel = format!(
        "<!-- OpenAI ads pixel (utmforge): in <head> of every page -->\n<script>\n{}\n</script>",
        base_js(settings)
    );
    match ga4_tag_html(settings) {
        Some(ga4) => format!("{pixel}\n<!-- Google tag (GA4) -->\n{ga4}"),
        None => pixel,
    }
}

/// The JavaScript expressions an event snippet uses for its values (placeholders in HTML,
/// Liquid in Shopify, props in Next.js).
struct Values<'a> {
    value: &'a str,
    order_id: &'a str,
    lead_type: &'a str,
    event_id: &'a str,
}

const HTML_VALUES: Values<'static> = Values {
    value: VALUE_PLACEHOLDER,
    order_id: "\"{{ORDER_ID}}\"",
    lead_type: "\"{{LEAD_TYPE}}\"",
    event_id: "\"{{EVENT_ID}}\"",
};

/// The pixel props and the GA4 params of `event`.
fn props(event: PixelEvent, currency: &str, v: &Values) -> (String, String) {
    let id = format!("{}: {}", js_string(PIXEL_EVENT_ID_PROP), v.event_id);
    let currency = js_string(currency);
    match event {
        PixelEvent::OrderCreated => (
            format!(
                r#"{{"value": {}, "currency": {currency}, "order_id": {}, {id}}}"#,
                v.value, v.order_id
            ),
            format!(
                r#"{{"value": {}, "currency": {currency}, "transaction_id": {}}}"#,
                v.value, v.order_id
            ),
        ),
        PixelEvent::LeadCreated => (
            format!(r#"{{"lead_type": {}, {id}}}"#, v.lead_type),
            format!(r#"{{"lead_type": {}}}"#, v.lead_type),
        ),
        _ => (format!("{{{id}}}"), "{}".to_string()),
    }
}

/// The event snippet's JavaScript: the pixel event with the first touch added, then the GA4
/// event (when GA4 is on the page).
fn event_js(event: ConversionEvent, currency: &str, v: &Values) -> String {
    let pixel = PixelEvent::from(event);
    let (pixel_props, ga4_params) = props(pixel, currency, v);
    format!(
        r#"(function (firstTouch) {{
  window.oaiq && window.oaiq("measure", {name}, Object.assign({pixel_props}, firstTouch));
  window.gtag && window.gtag("event", {ga4}, {ga4_params});
}})(window.utmforgeFirstTouch || {{}});"#,
        name = js_string(pixel.as_str()),
        ga4 = js_string(ga4::ga4_event_for(event)),
    )
}

fn placeholders_note(event: ConversionEvent) -> String {
    let mut names = vec![EVENT_ID_PLACEHOLDER];
    match event {
        ConversionEvent::OrderCreated => names.extend([VALUE_PLACEHOLDER, ORDER_ID_PLACEHOLDER]),
        ConversionEvent::LeadCreated => names.push(LEAD_TYPE_PLACEHOLDER),
        _ => {}
    }
    format!(
        "Your server replaces {} before sending the page; {EVENT_ID_PLACEHOLDER} is {}_USER_TIMESTAMPMS, the same id your server sends through the Conversions API.",
        names.join(", "),
        event.as_str()
    )
}

/// The plain-HTML event snippet of `event`.
pub fn event_html(event: ConversionEvent, settings: &TrackingSettings) -> String {
    format!(
        "<!-- {}: on the page where it happens, once -->\n<script>\n{}\n</script>",
        event.as_str(),
        event_js(event, &settings.currency, &HTML_VALUES)
    )
}

/// First-touch memory: on a landing with `utm_source=chatgpt`, remember source, campaign,
/// content and time in a first-party cookie for 30 days (never overwritten while it lives);
/// on every page, expose it for the event snippets and set GA4 user properties.
pub fn first_touch_js() -> String {
    format!(
        r#"(function () {{
  var NAME = {cookie}, DAYS = {days}, SOURCE = {source};
  function clean(v) {{ return String(v || "").replace(/[^A-Za-z0-9._-]/g, "").slice(0, 100); }}
  function read() {{
    var m = document.cookie.match(/(?:^|;\s*){cookie_raw}=([^;]*)/);
    if (!m) return null;
    var p = decodeURIComponent(m[1]).split("|");
    return p.length === 4 ? {{ s: clean(p[0]), c: clean(p[1]), ct: clean(p[2]), t: Number(p[3]) || 0 }} : null;
  }}
  var query = new URLSearchParams(location.search), ft = read();
  if (!ft && query.get("utm_source") === SOURCE) {{
    ft = {{ s: SOURCE, c: clean(query.get("utm_campaign")), ct: clean(query.get("utm_content")), t: Date.now() }};
    document.cookie = NAME + "=" + encodeURIComponent([ft.s, ft.c, ft.ct, ft.t].join("|")) +
      "; Max-Age=" + DAYS * 86400 + "; Path=/; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
  }}
  if (!ft) return;
  window.utmforgeFirstTouch = {{ {src}: ft.s, {cmp}: ft.c }};
  window.dataLayer = window.dataLayer || [];
  var g = window.gtag || function () {{ window.dataLayer.push(arguments); }};
  g("set", "user_properties", window.utmforgeFirstTouch);
}})();"#,
        cookie = js_string(FIRST_TOUCH_COOKIE),
        cookie_raw = FIRST_TOUCH_COOKIE,
        days = FIRST_TOUCH_DAYS,
        source = js_string(crate::UTM_SOURCE),
        src = js_string(ga4::FIRST_TOUCH_SOURCE),
        cmp = js_string(ga4::FIRST_TOUCH_CAMPAIGN),
    )
}

/// The first-touch snippet for every page, after GA4's tag and before event snippets.
pub fn first_touch_html() -> String {
    format!(
        "<!-- utmforge first-touch memory: on every page, after the Google tag -->\n<script>\n{}\n</script>",
        first_touch_js()
    )
}

/// The survey: a small accessible form that sends `survey_response` with `heard_about` to GA4
/// (and to the pixel when `SEND_TO_PIXEL` is switched on in it). No dependencies.
pub fn survey_html() -> String {
    let mut options = String::new();
    for (value, label) in SURVEY_OPTIONS {
        options.push_str(&format!(
            "    <label><input type=\"radio\" name=\"heard_about\" value=\"{value}\" required> {}</label>\n",
            label.replace('&', "&amp;").replace('<', "&lt;")
        ));
    }
    format!(
        r#"<!-- utmforge survey: on the thank-you page -->
<form id="utmforge-survey" class="utmforge-survey">
  <fieldset style="border:0;padding:0;margin:0 0 .75em;display:grid;gap:.4em">
    <legend style="font-weight:600;margin-bottom:.4em">{question}</legend>
{options}  </fieldset>
  <button type="submit">Send</button>
  <p role="status" aria-live="polite"></p>
</form>
<script>
(function () {{
  var SEND_TO_PIXEL = false; // true: also oaiq("measure", {pixel_event}, …)
  var form = document.getElementById("utmforge-survey");
  form.addEventListener("submit", function (e) {{
    e.preventDefault();
    var choice = form.querySelector("input[name=heard_about]:checked");
    if (!choice) return;
    var props = {{ {param}: choice.value }};
    window.dataLayer = window.dataLayer || [];
    (window.gtag || function () {{ window.dataLayer.push(arguments); }})("event", {event}, props);
    if (SEND_TO_PIXEL && window.oaiq) oaiq("measure", {pixel_event}, props);
    form.querySelector("fieldset").disabled = true;
    form.querySelector("button").disabled = true;
    form.querySelector("[role=status]").textContent = "Thank you!";
  }});
}})();
</script>"#,
        question = SURVEY_QUESTION,
        param = js_string(ga4::SURVEY_PARAMETER),
        event = js_string(ga4::SURVEY_EVENT),
        pixel_event = js_string(SURVEY_PIXEL_EVENT),
    )
}

fn snippet(key: String, title: String, place: &str, code: String) -> Snippet {
    Snippet {
        key,
        title,
        place: place.to_string(),
        code,
    }
}

fn html_kit(settings: &TrackingSettings, events: &[ConversionEvent]) -> PlatformKit {
    let mut snippets = vec![snippet(
        "html-base".into(),
        "Base snippet".into(),
        "In <head> of every page, as high as possible (in <body> it misses early events).",
        base_html(settings),
    )];
    for &e in events {
        snippets.push(snippet(
            format!("html-{}", e.as_str()),
            format!("{} event", e.as_str()),
            &format!("On the page where {} happens (e.g. the confirmation page), once per conversion. {}", e.label().to_lowercase(), placeholders_note(e)),
            event_html(e, settings),
        ));
    }
    PlatformKit {
        key: "html".into(),
        name: "Plain HTML".into(),
        intro: "Any site whose templates you edit.".into(),
        snippets,
    }
}

fn shopify_kit(settings: &TrackingSettings, events: &[ConversionEvent]) -> PlatformKit {
    let mut snippets = vec![snippet(
        "shopify-base".into(),
        "theme.liquid".into(),
        "Online Store › Themes › Edit code › layout/theme.liquid: just after <head>.",
        base_html(settings),
    )];
    for &e in events {
        if e == ConversionEvent::OrderCreated {
            let v = Values {
                value: "{{ checkout.total_price | money_without_currency | remove: ',' }}",
                order_id: "{{ checkout.order_id | json }}",
                lead_type: "\"\"",
                event_id: "\"order_created_{{ checkout.order_id }}_{{ checkout.created_at | date: '%s' }}000\"",
            };
            snippets.push(snippet(
                "shopify-order_created".into(),
                "order_created event (order status page)".into(),
                "Settings › Checkout › Order status page › Additional scripts (checkout pages do not load theme.liquid, so the base snippet comes along). The event id uses the order number as USER: your Conversions API sender must build it the same way (order_created_ORDERID_CREATEDATMS).",
                format!(
                    "{{% if first_time_accessed %}}\n<script>\n{}\n{}\n</script>\n{{% endif %}}",
                    base_js(settings),
                    event_js(e, &settings.currency, &v)
                ),
            ));
        } else {
            snippets.push(snippet(
                format!("shopify-{}", e.as_str()),
                format!("{} event", e.as_str()),
                &format!(
                    "In the template of the page where {} happens (Edit code). {}",
                    e.label().to_lowercase(),
                    placeholders_note(e)
                ),
                event_html(e, settings),
            ));
        }
    }
    PlatformKit {
        key: "shopify".into(),
        name: "Shopify".into(),
        intro: "The base snippet in theme.liquid; the order on the order status page, filled by Liquid.".into(),
        snippets,
    }
}

fn wordpress_kit(settings: &TrackingSettings, events: &[ConversionEvent]) -> PlatformKit {
    let mut snippets = vec![snippet(
        "wordpress-base".into(),
        "Header".into(),
        "With a header plugin (e.g. WPCode “Insert Headers and Footers”): Code Snippets › Header & Footer › Header.",
        base_html(settings),
    )];
    for &e in events {
        snippets.push(snippet(
            format!("wordpress-{}", e.as_str()),
            format!("{} event", e.as_str()),
            &format!("On the thank-you page only (a page-specific snippet, or a Custom HTML block). {} In WooCommerce, fill them in the woocommerce_thankyou hook.", placeholders_note(e)),
            event_html(e, settings),
        ));
    }
    PlatformKit {
        key: "wordpress".into(),
        name: "WordPress".into(),
        intro: "Through a header plugin: no theme edits.".into(),
        snippets,
    }
}

fn nextjs_kit(settings: &TrackingSettings, events: &[ConversionEvent]) -> PlatformKit {
    let ga4 = settings.measurement_id.as_deref().map(|id| {
        format!(
            "\n        <Script src={{{src}}} strategy=\"afterInteractive\" />\n        <Script id=\"google-tag\" strategy=\"afterInteractive\">\n          {{{body}}}\n        </Script>",
            src = js_string(&format!("https://www.googletagmanager.com/gtag/js?id={id}")),
            body = template_literal(&format!(
                "window.dataLayer = window.dataLayer || [];\nfunction gtag() {{ dataLayer.push(arguments); }}\ngtag(\"js\", new Date());\ngtag(\"config\", {});",
                js_string(id)
            )),
        )
    }).unwrap_or_default();
    let mut snippets = vec![snippet(
        "nextjs-base".into(),
        "app/layout.tsx".into(),
        "The App Router's root layout: every page gets it.",
        format!(
            r#"import Script from "next/script";

export default function RootLayout({{ children }}: {{ children: React.ReactNode }}) {{
  return (
    <html lang="en">
      <body>
        {{children}}
        <Script id="openai-ads-pixel" strategy="afterInteractive">
          {{{pixel}}}
        </Script>{ga4}
      </body>
    </html>
  );
}}"#,
            pixel = template_literal(&base_js(settings)),
        ),
    )];
    for &e in events {
        let v = Values {
            value: "value",
            order_id: "orderId",
            lead_type: "leadType",
            event_id: "eventId",
        };
        let (args, types) = match e {
            ConversionEvent::OrderCreated => (
                "{ value, orderId, eventId }",
                "{ value: number; orderId: string; eventId: string }",
            ),
            ConversionEvent::LeadCreated => (
                "{ leadType, eventId }",
                "{ leadType: string; eventId: string }",
            ),
            _ => ("{ eventId }", "{ eventId: string }"),
        };
        let name: String = e
            .as_str()
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect();
        let body = event_js(e, &settings.currency, &v).replace('\n', "\n      ");
        snippets.push(snippet(
            format!("nextjs-{}", e.as_str()),
            format!("{name}.tsx"),
            &format!("A client component rendered on the page where {} happens; the server component passes the values, and eventId = \"{}_\" + userId + \"_\" + timestampMs, the id it also sends through the Conversions API.", e.label().to_lowercase(), e.as_str()),
            format!(
                r#""use client";
import {{ useEffect }} from "react";

declare global {{
  interface Window {{ oaiq?: (...args: unknown[]) => void; gtag?: (...args: unknown[]) => void; utmforgeFirstTouch?: Record<string, string> }}
}}

export function {name}({args}: {types}) {{
  useEffect(() => {{
    // The base snippet runs after hydration (afterInteractive): wait for oaiq, at most 5 s.
    let tries = 0;
    let timer: ReturnType<typeof setTimeout>;
    const send = () => {{
      if (!window.oaiq && tries++ < 50) {{
        timer = setTimeout(send, 100);
        return;
      }}
      {body}
    }};
    timer = setTimeout(send, 0);
    return () => clearTimeout(timer);
  }}, [eventId]);
  return null;
}}"#
            ),
        ));
    }
    PlatformKit {
        key: "nextjs".into(),
        name: "Next.js".into(),
        intro: "next/script with strategy afterInteractive, in the App Router's root layout."
            .into(),
        snippets,
    }
}

/// Everything the Tracking page shows, for `settings` and the conversions campaigns use
/// (each event once, with the names of its campaigns, in the order of [`ConversionEvent::ALL`]).
pub fn tracking_kit(
    settings: &TrackingSettings,
    campaigns: &[(String, ConversionEvent)],
) -> TrackingKit {
    let events: Vec<ConversionEvent> = ConversionEvent::ALL
        .into_iter()
        .filter(|e| campaigns.iter().any(|(_, c)| c == e))
        .collect();
    let conversions = events
        .iter()
        .map(|&e| ConversionUse {
            event: e.as_str().into(),
            ga4_event: ga4::ga4_event_for(e).into(),
            campaigns: campaigns
                .iter()
                .filter(|(_, c)| *c == e)
                .map(|(n, _)| n.clone())
                .collect(),
        })
        .collect();
    TrackingKit {
        settings: settings.clone(),
        conversions,
        platforms: vec![
            html_kit(settings, &events),
            shopify_kit(settings, &events),
            wordpress_kit(settings, &events),
            nextjs_kit(settings, &events),
        ],
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
        checklist: vec![
            "Paste the base snippet into <head> of every page: in <body> the pixel misses early events.".into(),
            "Put each event snippet only on the page where the conversion happens, once: not again when the page is reloaded.".into(),
            format!("Have your server make the event id (TYPE_USER_TIMESTAMPMS, e.g. order_created_user123_1715356800000), render it into the pixel call as “{PIXEL_EVENT_ID_PROP}”, and send the same id through the Conversions API: the same id from both counts once."),
            "Send server-side conversions (subscriptions, phone and offline orders, CRM stages) with utmforge capi send within 24 hours; the API refuses events older than 7 days.".into(),
            "Add the first-touch snippet to every page, after the Google tag, and register its two user-scoped dimensions.".into(),
            "Add the survey to the thank-you page and register heard_about as an event-scoped dimension.".into(),
            "Open a page with ?utm_source=chatgpt&utm_medium=cpc&utm_campaign=test: the browser's Network tab shows pixel.js, and GA4's DebugView shows first_touch_source.".into(),
            "In GA4, mark the primary conversion as a key event and wait 14 days before judging a campaign.".into(),
        ],
        consent: format!("The first-touch cookie ({FIRST_TOUCH_COOKIE}, 30 days, first-party) holds the ad's source, campaign and creative names and a time: no personal data and no identifier. It is still a non-essential cookie used for advertising measurement: in the EU and the UK (ePrivacy, GDPR) set it, like the pixel and GA4, only after the visitor agrees through your consent banner; elsewhere, name it in your privacy policy."),
    }
}
