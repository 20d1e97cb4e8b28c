//! One snippet per conversion: the event's `measure` call with its data `type`, an integer
//! `amount` in the currency's minor unit and `event_id`, then the GA4 event; the values it takes
//! from the page; and the first-touch memory and survey.

use super::*;

/// How an event snippet learns the money: a human value the page has (`49.90`, converted to
/// the minor unit in the browser), or the minor-unit amount itself (Shopify's Liquid has cents).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Money {
    Value,
    Amount,
}

/// The event's JavaScript as a function of one object `v` (`value` or `amount`, `orderId`,
/// `planId`, `contents`, `eventId`, as the event needs): the pixel's `measure` with the event's
/// data `type`, then the GA4 event (when gtag is on the page).
pub(super) fn event_function_js(
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
pub(super) struct Input {
    pub(super) key: &'static str,
    pub(super) placeholder: &'static str,
    pub(super) quoted: bool,
    pub(super) ts: &'static str,
}

/// The values an event's snippet takes, in the order of the call's object: the value (unless
/// the data type has no money), the plan, the order id (purchases, for GA4), the event id.
pub(super) fn inputs(event: ConversionEvent) -> Vec<Input> {
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
pub(super) fn placeholder_args(event: ConversionEvent) -> String {
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

pub(super) fn placeholders_note(event: ConversionEvent, currency: &str) -> String {
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
pub(super) fn event_html(event: ConversionEvent, settings: &TrackingSettings) -> String {
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
