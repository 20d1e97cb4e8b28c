//! The snippets a site installs, as OpenAI's Pixel documentation describes them: the documented
//! loader at the top of `<head>` with `oaiq("init", {pixelId})`, `page_viewed` with
//! `{type: "contents"}`, one event snippet per conversion in use (the event's data `type`, an
//! integer `amount` in the currency's minor unit, `event_id` in the options, then the matching
//! GA4 call), the image-tag fallback, the consent calls, the CSP directives, a nonce'd variant
//! of each inline snippet, the survey and first-touch memory; for plain HTML, Shopify,
//! WordPress and Next.js.

use super::events::{DataType, EVENTS};
use super::*;
use crate::campaign::ConversionEvent;
use crate::ga4::{self, Artifact};

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

/// `oaiq("init", {pixelId: …})`, with `debug: true` when asked.
fn init_js(settings: &TrackingSettings) -> String {
    let debug = if settings.debug { ", debug: true" } else { "" };
    format!(
        "oaiq(\"init\", {{ pixelId: {}{debug} }});",
        js_string(&settings.pixel_id)
    )
}

const PAGE_VIEWED_JS: &str = r#"oaiq("measure", "page_viewed", { type: "contents" });"#;

/// The pixel's base snippet as JavaScript (no `<script>` tags): OpenAI's documented loader
/// (the `oaiq` queue, the SDK inserted asynchronously before the first script), then — with
/// the consent option — `oaiq("consent", false)`, then `init` and, unless consent is still to
/// be asked, `page_viewed`.
pub fn base_js(settings: &TrackingSettings) -> String {
    let mut js = format!(
        r#"(function (w, d, s, u) {{
  if (w.oaiq) return;
  var q = function () {{
    q.q.push(arguments);
  }};
  q.q = [];
  w.oaiq = q;
  var js = d.createElement(s);
  js.async = true;
  js.src = u;
  var f = d.getElementsByTagName(s)[0];
  f.parentNode.insertBefore(js, f);
}})(window, document, "script", {url});
"#,
        url = js_string(PIXEL_SCRIPT_URL),
    );
    if settings.consent {
        js.push_str("oaiq(\"consent\", false);\n");
        js.push_str(&init_js(settings));
        js.push_str("\n// page_viewed is sent when consent is granted: see the consent snippet.");
    } else {
        js.push_str(&init_js(settings));
        js.push('\n');
        js.push_str(PAGE_VIEWED_JS);
    }
    js
}

/// The call that grants consent, for the site's consent banner: the SDK sends nothing while
/// consent is false and does not replay what it blocked, so the page view is sent here.
pub fn consent_grant_js() -> String {
    format!(
        "// When the visitor agrees to advertising measurement (your consent banner's callback),\n// on every page, before the event snippets run:\noaiq(\"consent\", true);\n{PAGE_VIEWED_JS}\n// If the visitor withdraws it later: oaiq(\"consent\", false);"
    )
}

/// The image tag: `page_viewed` for browsers without JavaScript (OpenAI's no-JavaScript pixel).
pub fn image_tag_html(settings: &TrackingSettings) -> String {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("pid", &settings.pixel_id)
        .append_pair("event", "page_viewed")
        .append_pair("data[type]", DataType::Contents.as_str())
        .finish();
    format!(
        "<noscript><img src=\"{IMAGE_TAG_URL}?{}\" width=\"1\" height=\"1\" alt=\"\"></noscript>",
        query.replace('&', "&amp;")
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

/// The pixel's base snippet for the top of `<head>` (with the image-tag fallback where asked).
fn base_html(settings: &TrackingSettings, image_tag: bool) -> String {
    let mut html = format!(
        "<!-- OpenAI ads pixel (utmforge): at the top of <head> on every page -->\n<script>\n{}\n</script>",
        base_js(settings)
    );
    if image_tag && !settings.consent {
        html.push('\n');
        html.push_str(&image_tag_html(settings));
    }
    if let Some(ga4) = ga4_tag_html(settings) {
        html.push_str("\n<!-- Google tag (GA4) -->\n");
        html.push_str(&ga4);
    }
    html
}

/// `code` with `nonce="{{CSP_NONCE}}"` on every `<script` tag (the code is ours: every
/// `<script` in it is a tag).
pub fn with_nonce(code: &str) -> String {
    code.replace("<script", &format!("<script nonce=\"{NONCE_PLACEHOLDER}\""))
}

/// How an event snippet learns the money: a human value the page has (`49.90`, converted to
/// the minor unit in the browser), or the minor-unit amount itself (Shopify's Liquid has cents).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Money {
    Value,
    Amount,
}

/// The event's JavaScript as a function of one object `v` (`value` or `amount`, `orderId`,
/// `planId`, `contents`, `eventId`, as the event needs): the pixel's `measure` with the event's
/// data `type`, then the GA4 event (when gtag is on the page).
fn event_function_js(
    event: ConversionEvent,
    currency: &str,
    money: Money,
    contents: bool,
) -> String {
    let spec = event.event().spec();
    let factor = 10_i64.pow(currency_exponent(currency));
    let (amount, value) = match (money, factor) {
        (Money::Value, 1) => ("Math.round(v.value)".to_string(), "v.value".to_string()),
        (Money::Value, f) => (format!("Math.round(v.value * {f})"), "v.value".to_string()),
        (Money::Amount, 1) => ("v.amount".to_string(), "v.amount".to_string()),
        (Money::Amount, f) => ("v.amount".to_string(), format!("v.amount / {f}")),
    };
    let currency = js_string(currency);
    let mut data = vec![format!("type: {}", js_string(spec.data_type.as_str()))];
    let mut ga4 = Vec::new();
    if spec.data_type != DataType::CustomerAction {
        if spec.data_type == DataType::PlanEnrollment {
            data.push("plan_id: v.planId".into());
        }
        data.push(format!("amount: {amount}"));
        data.push(format!("currency: {currency}"));
        if contents {
            data.push("contents: v.contents".into());
        }
        ga4.push(format!("value: {value}"));
        ga4.push(format!("currency: {currency}"));
        if event == ConversionEvent::OrderCreated {
            ga4.push("transaction_id: v.orderId".into());
        }
    }
    let ga4 = if ga4.is_empty() {
        "{}".to_string()
    } else {
        format!("{{ {} }}", ga4.join(", "))
    };
    format!(
        r#"function (v) {{
  window.oaiq("measure", {name}, {{ {data} }}, {{ event_id: v.eventId }});
  window.gtag && window.gtag("event", {ga4_event}, {ga4});
}}"#,
        name = js_string(spec.name),
        data = data.join(", "),
        ga4_event = js_string(ga4::ga4_event_for(event)),
    )
}

/// One value an event snippet takes from the page: its key in the call's object, the
/// placeholder the site's server fills in plain HTML, whether that is a string, and its
/// TypeScript type (Next.js).
struct Input {
    key: &'static str,
    placeholder: &'static str,
    quoted: bool,
    ts: &'static str,
}

/// The values an event's snippet takes, in the order of the call's object: the value (unless
/// the data type has no money), the plan, the order id (purchases, for GA4), the event id.
fn inputs(event: ConversionEvent) -> Vec<Input> {
    let input = |key, placeholder, quoted, ts| Input {
        key,
        placeholder,
        quoted,
        ts,
    };
    let mut inputs = Vec::new();
    if event.event().data_type() != DataType::CustomerAction {
        inputs.push(input("value", VALUE_PLACEHOLDER, false, "number"));
    }
    if event.event().data_type() == DataType::PlanEnrollment {
        inputs.push(input("planId", PLAN_ID_PLACEHOLDER, true, "string"));
    }
    if event == ConversionEvent::OrderCreated {
        inputs.push(input("orderId", ORDER_ID_PLACEHOLDER, true, "string"));
    }
    inputs.push(input("eventId", EVENT_ID_PLACEHOLDER, true, "string"));
    inputs
}

/// The values a plain-HTML (or WordPress) event snippet takes from the site's server.
fn placeholder_args(event: ConversionEvent) -> String {
    let args: Vec<String> = inputs(event)
        .iter()
        .map(|i| {
            if i.quoted {
                format!("{}: \"{}\"", i.key, i.placeholder)
            } else {
                format!("{}: {}", i.key, i.placeholder)
            }
        })
        .collect();
    format!("{{ {} }}", args.join(", "))
}

fn placeholders_note(event: ConversionEvent, currency: &str) -> String {
    // The event id first: every event snippet has it.
    let mut names: Vec<&str> = inputs(event).iter().map(|i| i.placeholder).collect();
    names.rotate_right(1);
    let value = if names.contains(&VALUE_PLACEHOLDER) {
        format!(" {VALUE_PLACEHOLDER} is the value in {currency} as a plain number (49.90): the snippet sends the pixel the integer amount in the currency's minor unit and GA4 the value.")
    } else {
        String::new()
    };
    format!(
        "Your server replaces {} before sending the page;{value} {EVENT_ID_PLACEHOLDER} is {}_USER_TIMESTAMPMS, the id your server also sends through the Conversions API.",
        names.join(", "),
        event.as_str()
    )
}

/// An event snippet with placeholders, for `<body>` of the page where it happens.
fn event_html(event: ConversionEvent, settings: &TrackingSettings) -> String {
    format!(
        "<script>\n({})({});\n</script>",
        event_function_js(event, &settings.currency, Money::Value, false),
        placeholder_args(event)
    )
}

/// Remembers the first ChatGPT ad click in a first-party cookie for 30 days (never overwritten
/// while it lives) and the latest ad click's `oppref` beside it; on every page, exposes both
/// (`window.utmforgeFirstTouch`, `window.utmforgeOppref`) and sets GA4 user properties.
pub fn first_touch_js() -> String {
    format!(
        r#"(function () {{
  var NAME = {cookie}, OPPREF = {oppref_cookie}, DAYS = {days}, SOURCE = {source};
  function clean(v) {{ return String(v || "").replace(/[^A-Za-z0-9._-]/g, "").slice(0, 100); }}
  function cookie(name) {{
    var m = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : null;
  }}
  function keep(name, value) {{
    document.cookie = name + "=" + encodeURIComponent(value) + "; Max-Age=" + DAYS * 86400 +
      "; Path=/; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
  }}
  function read() {{
    var p = (cookie(NAME) || "").split("|");
    return p.length === 4 ? {{ s: clean(p[0]), c: clean(p[1]), ct: clean(p[2]), t: Number(p[3]) || 0 }} : null;
  }}
  var query = new URLSearchParams(location.search), ft = read();
  if (!ft && query.get("utm_source") === SOURCE) {{
    ft = {{ s: SOURCE, c: clean(query.get("utm_campaign")), ct: clean(query.get("utm_content")), t: Date.now() }};
    keep(NAME, [ft.s, ft.c, ft.ct, ft.t].join("|"));
  }}
  // OpenAI appends oppref to ad clicks; a server-side conversion needs it, unmodified.
  var oppref = query.get({oppref_param});
  if (oppref && oppref.length <= 1024) keep(OPPREF, oppref);
  else oppref = cookie(OPPREF);
  window.utmforgeOppref = oppref || null;
  if (!ft) return;
  window.utmforgeFirstTouch = {{ {src}: ft.s, {cmp}: ft.c }};
  window.dataLayer = window.dataLayer || [];
  var g = window.gtag || function () {{ window.dataLayer.push(arguments); }};
  g("set", "user_properties", window.utmforgeFirstTouch);
}})();"#,
        cookie = js_string(FIRST_TOUCH_COOKIE),
        oppref_cookie = js_string(OPPREF_COOKIE),
        oppref_param = js_string(OPPREF_PARAM),
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
/// (and, when `SEND_TO_PIXEL` is switched on in it, a `custom` pixel event named
/// [`SURVEY_PIXEL_EVENT`]). No dependencies.
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
  var SEND_TO_PIXEL = false; // true: also a custom pixel event named {pixel_event}
  var form = document.getElementById("utmforge-survey");
  form.addEventListener("submit", function (e) {{
    e.preventDefault();
    var choice = form.querySelector("input[name=heard_about]:checked");
    if (!choice) return;
    var props = {{ {param}: choice.value }};
    window.dataLayer = window.dataLayer || [];
    (window.gtag || function () {{ window.dataLayer.push(arguments); }})("event", {event}, props);
    if (SEND_TO_PIXEL && window.oaiq) {{
      window.oaiq("measure", "custom", {{ type: "custom" }}, {{ custom_event_name: {pixel_event} }});
    }}
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
    let code_with_nonce = code.contains("<script").then(|| with_nonce(&code));
    Snippet {
        key,
        title,
        place: place.to_string(),
        code,
        code_with_nonce,
    }
}

fn html_kit(settings: &TrackingSettings, events: &[ConversionEvent]) -> PlatformKit {
    let mut snippets = vec![snippet(
        "html-base".into(),
        "Base snippet".into(),
        if settings.consent {
            "At the top of <head> on every page, before any other script: in <body> the pixel misses early events."
        } else {
            "At the top of <head> on every page, before any other script: in <body> the pixel misses early events. The <noscript> image tag counts the page view of browsers without JavaScript."
        },
        base_html(settings, true),
    )];
    for &e in events {
        snippets.push(snippet(
            format!("html-{}", e.as_str()),
            format!("{} event", e.as_str()),
            &format!(
                "On the page where {} happens (e.g. the confirmation page), once per conversion. {} No image-tag fallback here: its URL would carry the event id, and OpenAI's image-tag page forbids customer ids in the query; the Conversions API covers browsers without JavaScript.",
                e.label().to_lowercase(),
                placeholders_note(e, &settings.currency)
            ),
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

/// Liquid for an amount Shopify holds in cents (always hundredths, whatever the currency) as
/// the currency's minor unit.
fn shopify_amount(liquid: &str, currency: &str) -> String {
    match currency_exponent(currency) {
        0 => format!("{{{{ {liquid} | divided_by: 100 }}}}"),
        3 => format!("{{{{ {liquid} | times: 10 }}}}"),
        _ => format!("{{{{ {liquid} }}}}"),
    }
}

fn shopify_kit(settings: &TrackingSettings, events: &[ConversionEvent]) -> PlatformKit {
    let mut snippets = vec![snippet(
        "shopify-base".into(),
        "theme.liquid".into(),
        "Online Store › Themes › Edit code › layout/theme.liquid: just after <head>, before any other script.",
        base_html(settings, false),
    )];
    for &e in events {
        if e == ConversionEvent::OrderCreated {
            let args = format!(
                "{{\n  amount: {amount},\n  orderId: \"{{{{ checkout.order_id }}}}\",\n  contents: [{{% for item in checkout.line_items %}}{{ id: \"{{{{ item.variant_id }}}}\", name: {{{{ item.title | json }}}}, content_type: \"product\", quantity: {{{{ item.quantity }}}}, amount: {item_amount} }}{{% unless forloop.last %}}, {{% endunless %}}{{% endfor %}}],\n  eventId: \"order_created_{{{{ checkout.order_id }}}}_{{{{ checkout.created_at | date: '%s' }}}}000\"\n}}",
                amount = shopify_amount("checkout.total_price", &settings.currency),
                item_amount = shopify_amount("item.final_price", &settings.currency),
            );
            snippets.push(snippet(
                "shopify-order_created".into(),
                "order_created event (order status page)".into(),
                &format!("Settings › Checkout › Order status page › Additional scripts (checkout pages do not load theme.liquid, so the base snippet comes along). Liquid has the amounts in cents already; they are sent as integers in {}'s minor unit, with each line item as contents. The event id uses the order number as USER: your Conversions API sender must build it the same way (order_created_ORDERID_CREATEDATMS).", settings.currency),
                format!(
                    "{{% if first_time_accessed %}}\n<script>\n{}\n({})({});\n</script>\n{{% endif %}}",
                    base_js(settings),
                    event_function_js(e, &settings.currency, Money::Amount, true),
                    args,
                ),
            ));
        } else {
            snippets.push(snippet(
                format!("shopify-{}", e.as_str()),
                format!("{} event", e.as_str()),
                &format!(
                    "In the template of the page where {} happens (Edit code). {}",
                    e.label().to_lowercase(),
                    placeholders_note(e, &settings.currency)
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
        "With a header plugin (e.g. WPCode “Insert Headers and Footers”): Code Snippets › Header & Footer › Header, first in the list.",
        base_html(settings, true),
    )];
    for &e in events {
        snippets.push(snippet(
            format!("wordpress-{}", e.as_str()),
            format!("{} event", e.as_str()),
            &format!("On the thank-you page only (a page-specific snippet, or a Custom HTML block). {} In WooCommerce, fill them in the woocommerce_thankyou hook.", placeholders_note(e, &settings.currency)),
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

/// The root layout: the pixel (and GA4's tag) in `<head>`, as inline scripts the server renders.
fn nextjs_layout(settings: &TrackingSettings, nonce: bool) -> String {
    let attr = if nonce { " nonce={nonce}" } else { "" };
    let ga4 = settings
        .measurement_id
        .as_deref()
        .map(|id| {
            format!(
                "\n        <script async src={{{src}}}{attr} />\n        <script id=\"google-tag\"{attr} dangerouslySetInnerHTML={{{{ __html: GOOGLE_TAG }}}} />",
                src = js_string(&format!("https://www.googletagmanager.com/gtag/js?id={id}")),
            )
        })
        .unwrap_or_default();
    let ga4_const = settings
        .measurement_id
        .as_deref()
        .map(|id| {
            format!(
                "\nconst GOOGLE_TAG = {};\n",
                template_literal(&format!(
                    "window.dataLayer = window.dataLayer || [];\nfunction gtag() {{ dataLayer.push(arguments); }}\ngtag(\"js\", new Date());\ngtag(\"config\", {});",
                    js_string(id)
                ))
            )
        })
        .unwrap_or_default();
    let (imports, signature, read_nonce) = if nonce {
        (
            "import { headers } from \"next/headers\";\n\n",
            "export default async function RootLayout",
            "  // The nonce your middleware put in the Content-Security-Policy (Next.js's CSP guide).\n  const nonce = (await headers()).get(\"x-nonce\") ?? undefined;\n",
        )
    } else {
        ("", "export default function RootLayout", "")
    };
    format!(
        r#"{imports}// The OpenAI ads pixel, first in <head> of every page (a server-rendered inline script: it
// runs before hydration, so early events are not lost).
const OPENAI_PIXEL = {pixel};
{ga4_const}
{signature}({{ children }}: {{ children: React.ReactNode }}) {{
{read_nonce}  return (
    <html lang="en">
      <head>
        <script id="openai-ads-pixel"{attr} dangerouslySetInnerHTML={{{{ __html: OPENAI_PIXEL }}}} />{ga4}
      </head>
      <body>{{children}}</body>
    </html>
  );
}}"#,
        pixel = template_literal(&base_js(settings)),
    )
}

fn nextjs_kit(settings: &TrackingSettings, events: &[ConversionEvent]) -> PlatformKit {
    let mut snippets = vec![Snippet {
        key: "nextjs-base".into(),
        title: "app/layout.tsx".into(),
        place: "The App Router's root layout: every page gets the pixel at the top of <head>."
            .into(),
        code: nextjs_layout(settings, false),
        code_with_nonce: Some(nextjs_layout(settings, true)),
    }];
    for &e in events {
        let inputs = inputs(e);
        let args = format!(
            "{{ {} }}",
            inputs.iter().map(|i| i.key).collect::<Vec<_>>().join(", ")
        );
        let types = format!(
            "{{ {} }}",
            inputs
                .iter()
                .map(|i| format!("{}: {}", i.key, i.ts))
                .collect::<Vec<_>>()
                .join("; ")
        );
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
        let function = event_function_js(e, &settings.currency, Money::Value, false);
        snippets.push(snippet(
            format!("nextjs-{}", e.as_str()),
            format!("{name}.tsx"),
            &format!("A client component rendered on the page where {} happens; the server component passes the values (value in {} as a plain number), and eventId = \"{}_\" + userId + \"_\" + timestampMs, the id it also sends through the Conversions API.", e.label().to_lowercase(), settings.currency, e.as_str()),
            format!(
                r#""use client";
import {{ useEffect }} from "react";

declare global {{
  interface Window {{ oaiq: (...args: unknown[]) => void; gtag?: (...args: unknown[]) => void }}
}}

type Values = {types};

// The pixel is in <head> (app/layout.tsx), so oaiq is there before this runs.
const measure: (v: Values) => void = {function};

export function {name}({args}: Values) {{
  useEffect(() => {{
    measure({args});
  }}, [eventId]);
  return null;
}}"#
            ),
        ));
    }
    PlatformKit {
        key: "nextjs".into(),
        name: "Next.js".into(),
        intro:
            "The pixel in the App Router's root layout <head>; a client component per conversion."
                .into(),
        snippets,
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
