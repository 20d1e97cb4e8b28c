//! The measurement kit, against OpenAI's developer documentation for ads: settings refused or
//! accepted field by field, snippets as documented and escaped for where they land, the
//! Conversions API's rules as tables (the wire shape, the sheet's columns, the hashing),
//! batching at the limit, stable ids, and the GA4 custom-dimension and report bodies (golden
//! files, and Google's rules for them).

mod common;

use common::golden;
use serde_json::{json, Value};
use utmforge_core::events::Event;
use utmforge_core::ga4::{
    apply_script, custom_dimensions, first_touch_report, survey_report, to_pretty_json,
    DimensionScope,
};
use utmforge_core::measure::capi::{
    self, batch_count, batches, check_all, check_event, csv::check_rows, event_id, format_ms, keys,
    parse_timestamp, read_csv, CapiCode, CapiEvent, MAX_EVENTS_PER_CALL,
};
use utmforge_core::measure::{
    base_js, js_string, template_literal, tracking_kit, TrackingKit, TrackingSettings,
};
use utmforge_core::{Code, ConversionEvent, Field};

/// 2026-11-26T12:00:00Z.
const NOW: i64 = 1_795_694_400_000;
const DAY: i64 = 86_400_000;
/// A Pixel ID as OpenAI issues them: opaque letters and digits.
const PIXEL: &str = "4Ab2xYz9Qw8Er7Ty6Ui5Op";

fn settings() -> TrackingSettings {
    TrackingSettings::new(PIXEL, "g-test123", "eur").unwrap()
}

#[test]
fn settings_are_checked_field_by_field() {
    let s = settings();
    assert_eq!(s.pixel_id, PIXEL);
    assert_eq!(s.measurement_id.as_deref(), Some("G-TEST123"));
    assert_eq!(s.currency, "EUR");
    let defaults = TrackingSettings::new(" 134534 ", "", "").unwrap();
    assert_eq!(
        (
            defaults.pixel_id.as_str(),
            defaults.measurement_id,
            defaults.currency.as_str()
        ),
        ("134534", None, "USD")
    );
    // Ids OpenAI issues are opaque: no prefix is required, and the old one is not refused.
    for id in ["134534", "oai-px-abc123", "a_b-C9"] {
        assert!(TrackingSettings::new(id, "", "").is_ok(), "{id}");
    }

    type Case<'a> = (&'a str, &'a str, &'a str, &'a [(Code, Field)]);
    let cases: [Case; 8] = [
        ("", "", "", &[(Code::Required, Field::PixelId)]),
        ("px 123", "", "", &[(Code::InvalidPixelId, Field::PixelId)]),
        ("px.123", "", "", &[(Code::InvalidPixelId, Field::PixelId)]),
        (
            "x\"</script><script>alert(1)</script>",
            "",
            "",
            &[(Code::InvalidPixelId, Field::PixelId)],
        ),
        (
            "ok",
            "UA-1234-1",
            "",
            &[(Code::InvalidMeasurementId, Field::MeasurementId)],
        ),
        (
            "ok",
            "G-\");alert(1)//",
            "",
            &[(Code::InvalidMeasurementId, Field::MeasurementId)],
        ),
        ("ok", "", "XYZ", &[(Code::InvalidCurrency, Field::Currency)]),
        (
            "bad id",
            "bad",
            "us",
            &[
                (Code::InvalidPixelId, Field::PixelId),
                (Code::InvalidMeasurementId, Field::MeasurementId),
                (Code::InvalidCurrency, Field::Currency),
            ],
        ),
    ];
    for (pixel, ga4, currency, expected) in cases {
        let got: Vec<(Code, Field)> = TrackingSettings::new(pixel, ga4, currency)
            .unwrap_err()
            .into_iter()
            .map(|n| (n.code, n.field))
            .collect();
        assert_eq!(got, expected, "{pixel:?} {ga4:?} {currency:?}");
    }
    assert!(TrackingSettings::new(&"a".repeat(64), "", "").is_ok());
    assert!(
        TrackingSettings::new(&"a".repeat(65), "", "").is_err(),
        "65 characters is too long"
    );
}

#[test]
fn strings_are_escaped_for_script_elements_and_template_literals() {
    let nasty = "\"</script><!-- `${alert(1)}` \\ \u{2028}&";
    let js = js_string(nasty);
    for bad in ["</script", "<!--", "\u{2028}"] {
        assert!(!js.contains(bad), "{js} contains {bad:?}");
    }
    // Still the same string to a JavaScript (here: JSON) parser.
    assert_eq!(serde_json::from_str::<String>(&js).unwrap(), nasty);

    let code = "a `b` ${c} $d \\e";
    let literal = template_literal(code);
    assert_eq!(literal, "`a \\`b\\` \\${c} $d \\\\e`");
}

fn kit(settings: &TrackingSettings) -> TrackingKit {
    let campaigns = vec![
        ("Spring sale".to_string(), ConversionEvent::OrderCreated),
        ("Demo".to_string(), ConversionEvent::LeadCreated),
        ("Autumn sale".to_string(), ConversionEvent::OrderCreated),
        ("Pro plan".to_string(), ConversionEvent::TrialStarted),
    ];
    tracking_kit(settings, &campaigns)
}

fn code<'a>(kit: &'a TrackingKit, key: &str) -> &'a str {
    kit.platforms
        .iter()
        .flat_map(|p| &p.snippets)
        .find(|s| s.key == key)
        .map(|s| s.code.as_str())
        .unwrap_or_else(|| panic!("no snippet {key}"))
}

#[test]
fn the_base_snippet_is_openais_loader_then_init_with_an_object_then_the_page_view() {
    let js = base_js(&settings());
    // OpenAI's documented loader: the queue, the SDK inserted before the first script.
    assert!(js.starts_with("(function (w, d, s, u) {\n  if (w.oaiq) return;"));
    assert!(
        js.contains("var f = d.getElementsByTagName(s)[0];\n  f.parentNode.insertBefore(js, f);")
    );
    assert!(js.contains(
        r#"})(window, document, "script", "https://bzrcdn.openai.com/sdk/oaiq.min.js");"#
    ));
    let init = js
        .find(&format!(r#"oaiq("init", {{ pixelId: "{PIXEL}" }});"#))
        .expect("init with an object");
    let page = js
        .find(r#"oaiq("measure", "page_viewed", { type: "contents" });"#)
        .expect("page_viewed with its data type");
    assert!(init < page);
    assert!(!js.contains("pixel.js") && !js.contains("consent"));

    let debug = base_js(&settings().with_options(true, false));
    assert!(debug.contains(&format!(
        r#"oaiq("init", {{ pixelId: "{PIXEL}", debug: true }});"#
    )));

    // Consent first: denied before init, and no page view until it is granted.
    let consent = base_js(&settings().with_options(false, true));
    let denied = consent
        .find(r#"oaiq("consent", false);"#)
        .expect("consent false");
    assert!(denied < consent.find(r#"oaiq("init""#).unwrap());
    assert!(!consent.contains(r#"oaiq("measure""#));
    let kit = kit(&settings().with_options(false, true));
    let grant = kit.consent_grant.as_ref().expect("the grant call");
    assert!(grant.code.contains(
        "oaiq(\"consent\", true);\noaiq(\"measure\", \"page_viewed\", { type: \"contents\" });"
    ));
    // No image tag without JavaScript (and so without consent).
    assert!(!code(&kit, "html-base").contains("<noscript>"));
}

#[test]
fn the_html_base_has_the_image_tag_the_ga4_tag_and_a_nonce_variant() {
    let kit = kit(&settings());
    let html = code(&kit, "html-base");
    assert!(html.starts_with("<!-- OpenAI ads pixel (utmforge): at the top of <head>"));
    assert!(html.contains(&format!(
        "<noscript><img src=\"https://bzr.openai.com/v1/sdk/events?pid={PIXEL}&amp;event=page_viewed&amp;data%5Btype%5D=contents\" width=\"1\" height=\"1\" alt=\"\"></noscript>"
    )));
    assert!(html.contains(r#"gtag("config", "G-TEST123");"#));
    let nonced = kit.platforms[0].snippets[0]
        .code_with_nonce
        .as_deref()
        .unwrap();
    assert_eq!(nonced.matches("<script nonce=\"{{CSP_NONCE}}\"").count(), 3);
    assert_eq!(
        nonced.matches("nonce=").count(),
        3,
        "one nonce a tag: {nonced}"
    );
    assert!(!nonced.contains("<script>"));
    assert_eq!(nonced.replace(" nonce=\"{{CSP_NONCE}}\"", ""), html);
    let without_ga4 = kit_without_ga4();
    assert!(!code(&without_ga4, "html-base").contains("googletagmanager"));
    // Shopify's order status page has no <noscript> pixel: only plain HTML and WordPress.
    assert!(!code(&kit, "shopify-base").contains("<noscript>"));
    assert!(code(&kit, "wordpress-base").contains("<noscript>"));
    let csp: Vec<(String, String)> = kit
        .csp
        .iter()
        .map(|c| (c.directive.clone(), c.source.clone()))
        .collect();
    assert_eq!(
        csp,
        [
            (
                "script-src".to_string(),
                "https://bzrcdn.openai.com".to_string()
            ),
            ("connect-src".into(), "https://bzr.openai.com".into()),
            ("img-src".into(), "https://bzr.openai.com".into()),
        ]
    );
}

fn kit_without_ga4() -> TrackingKit {
    kit(&TrackingSettings::new(PIXEL, "", "").unwrap())
}

#[test]
fn event_snippets_send_the_data_type_an_integer_amount_and_the_event_id_in_options() {
    let kit = kit(&settings());
    let order = code(&kit, "html-order_created");
    assert!(order.contains(r#"window.oaiq("measure", "order_created", { type: "contents", amount: Math.round(v.value * 100), currency: "EUR" }, { event_id: v.eventId });"#), "{order}");
    assert!(order.contains(r#"window.gtag && window.gtag("event", "purchase", { value: v.value, currency: "EUR", transaction_id: v.orderId });"#), "{order}");
    assert!(
        order.contains(
            r#"})({ value: {{VALUE}}, orderId: "{{ORDER_ID}}", eventId: "{{EVENT_ID}}" });"#
        ),
        "{order}"
    );
    let lead = code(&kit, "html-lead_created");
    assert!(
        lead.contains(r#""lead_created", { type: "customer_action" }, { event_id: v.eventId });"#),
        "{lead}"
    );
    assert!(lead.contains(r#"window.gtag("event", "generate_lead", {})"#));
    assert!(lead.contains(r#"({ eventId: "{{EVENT_ID}}" });"#));
    let trial = code(&kit, "html-trial_started");
    assert!(trial.contains(r#""trial_started", { type: "plan_enrollment", plan_id: v.planId, amount: Math.round(v.value * 100), currency: "EUR" }"#), "{trial}");
    // Nothing but documented keys: no order_id, lead_type or first touch in the pixel's data.
    for snippet in [order, lead, trial] {
        for gone in ["order_id:", "lead_type", "first_touch", "Object.assign"] {
            assert!(!snippet.contains(gone), "{gone} in {snippet}");
        }
    }
    // The currency's exponent: JPY has none, KWD three.
    let jpy = kit_in("JPY");
    assert!(
        code(&jpy, "html-order_created").contains("amount: Math.round(v.value), currency: \"JPY\"")
    );
    let kwd = kit_in("KWD");
    assert!(code(&kwd, "html-order_created").contains("amount: Math.round(v.value * 1000)"));
}

fn kit_in(currency: &str) -> TrackingKit {
    kit(&TrackingSettings::new(PIXEL, "", currency).unwrap())
}

#[test]
fn the_kit_has_every_platform_with_a_snippet_per_conversion_in_use() {
    let kit = kit(&settings());
    let events: Vec<(&str, &str)> = kit
        .conversions
        .iter()
        .map(|c| (c.event.as_str(), c.data_type.as_str()))
        .collect();
    // In the order of OpenAI's event table, each with its data type.
    assert_eq!(
        events,
        [
            ("order_created", "contents"),
            ("lead_created", "customer_action"),
            ("trial_started", "plan_enrollment")
        ]
    );
    assert_eq!(kit.conversions[0].ga4_event, "purchase");
    assert_eq!(kit.conversions[0].campaigns, ["Spring sale", "Autumn sale"]);
    let keys: Vec<&str> = kit.platforms.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["html", "shopify", "wordpress", "nextjs"]);
    for p in &kit.platforms {
        let keys: Vec<String> = p.snippets.iter().map(|s| s.key.clone()).collect();
        assert_eq!(
            keys,
            [
                format!("{}-base", p.key),
                format!("{}-order_created", p.key),
                format!("{}-lead_created", p.key),
                format!("{}-trial_started", p.key)
            ]
        );
    }
    let shopify = code(&kit, "shopify-order_created");
    assert!(shopify.starts_with("{% if first_time_accessed %}"));
    // Checkout pages do not load theme.liquid: the base snippet comes along, before the event.
    assert!(
        shopify.find(r#"oaiq("init", { pixelId:"#).unwrap()
            < shopify
                .find(r#""order_created", { type: "contents""#)
                .unwrap()
    );
    // Liquid's cents are the minor unit already; each line item is a contents item.
    assert!(
        shopify.contains("amount: {{ checkout.total_price }},"),
        "{shopify}"
    );
    assert!(shopify.contains("amount: v.amount, currency: \"EUR\", contents: v.contents"));
    assert!(shopify.contains("value: v.amount / 100"));
    assert!(shopify.contains(r#"{% for item in checkout.line_items %}{ id: "{{ item.variant_id }}", name: {{ item.title | json }}, content_type: "product", quantity: {{ item.quantity }}, amount: {{ item.final_price }} }"#), "{shopify}");
    assert!(shopify.contains(
        "eventId: \"order_created_{{ checkout.order_id }}_{{ checkout.created_at | date: '%s' }}000\""
    ));
    assert!(code(&kit_in("JPY"), "shopify-order_created")
        .contains("amount: {{ checkout.total_price | divided_by: 100 }},"));
    assert!(code(&kit_in("KWD"), "shopify-order_created")
        .contains("amount: {{ checkout.total_price | times: 10 }},"));

    // Next.js: the pixel in the root layout's <head>, rendered by the server, not after hydration.
    let layout = code(&kit, "nextjs-base");
    assert!(!layout.contains("afterInteractive") && !layout.contains("next/script"));
    let head = layout.find("<head>").unwrap();
    let pixel = layout.find(r#"<script id="openai-ads-pixel" dangerouslySetInnerHTML={{ __html: OPENAI_PIXEL }} />"#).unwrap();
    assert!(head < pixel && pixel < layout.find("</head>").unwrap());
    assert!(layout.contains(&format!(r#"oaiq("init", {{ pixelId: "{PIXEL}" }});"#)));
    let nonced = kit.platforms[3].snippets[0]
        .code_with_nonce
        .as_deref()
        .unwrap();
    assert!(nonced.contains(r#"const nonce = (await headers()).get("x-nonce") ?? undefined;"#));
    assert!(
        nonced.contains(r#"<script id="openai-ads-pixel" nonce={nonce} dangerouslySetInnerHTML"#)
    );
    let component = code(&kit, "nextjs-order_created");
    assert!(component.contains("export function OrderCreated({ value, orderId, eventId }: Values)"));
    assert!(component.contains("{ event_id: v.eventId }"));
    assert!(
        kit.platforms[3].snippets[1].code_with_nonce.is_none(),
        "no inline script"
    );

    assert!(kit.first_touch.code.contains(
        r#"NAME = "utmforge_ft", OPPREF = "utmforge_oppref", DAYS = 30, SOURCE = "chatgpt""#
    ));
    assert!(kit.first_touch.code.contains(r#"query.get("oppref")"#));
    for (value, label) in utmforge_core::measure::SURVEY_OPTIONS {
        assert!(kit
            .survey
            .code
            .contains(&format!("value=\"{value}\" required> {label}</label>")));
    }
    assert!(kit.survey.code.contains(r#"window.oaiq("measure", "custom", { type: "custom" }, { custom_event_name: "survey_response" });"#));
    assert!(kit.survey.code.contains("<legend"));
    assert_eq!(kit.documents.len(), 5);
    assert!(kit.consent.contains("utmforge_oppref"));
}

// ---------------------------------------------------------------------------------------------
// Conversions API: the wire shape
// ---------------------------------------------------------------------------------------------

fn event() -> Value {
    json!({
        "id": "order_created_user123_1795607999000",
        "type": "order_created",
        "timestamp_ms": NOW - DAY,
        "oppref": "op_8c1f",
        "source_url": "https://shop.example.com/thanks",
        "action_source": "web",
        "user": {
            "emails_sha256": [keys::sha256_hex("jane@example.com")],
            "countries": ["US"],
            "ip_address": "203.0.113.7",
            "user_agent": "Mozilla/5.0"
        },
        "opt_out": false,
        "data": {
            "type": "contents",
            "amount": 4990,
            "currency": "USD",
            "contents": [{"id": "sku-1", "name": "Boots", "content_type": "product", "quantity": 1, "amount": 4990, "group_id": "boots", "variant_dict": {"size": "42"}}]
        }
    })
}

fn with(mut v: Value, path: &str, value: Value) -> Value {
    let mut at = &mut v;
    let parts: Vec<&str> = path.split('.').collect();
    for p in &parts[..parts.len() - 1] {
        at = &mut at[*p];
    }
    let last = parts[parts.len() - 1];
    if value.is_null() {
        at.as_object_mut().unwrap().remove(last);
    } else {
        at[last] = value;
    }
    v
}

fn problems(v: &Value) -> Vec<(CapiCode, String)> {
    match check_event(v, NOW) {
        Ok(_) => Vec::new(),
        Err(p) => p.into_iter().map(|p| (p.code, p.field)).collect(),
    }
}

#[test]
fn a_documented_event_passes_as_it_is() {
    let e = check_event(&event(), NOW).unwrap();
    assert_eq!(e.id, "order_created_user123_1795607999000");
    assert_eq!(e.kind, Event::OrderCreated);
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        event(),
        "sent exactly as given"
    );
    let custom = json!({"id": "q1", "type": "custom", "custom_event_name": "Quote_Requested", "timestamp_ms": NOW, "data": {"type": "custom", "tier": "gold"}});
    let e = check_event(&custom, NOW).unwrap();
    assert_eq!(
        e.dedup_key(),
        ("quote_requested".to_string(), "q1".to_string())
    );
    let app = json!({"id": "a1", "type": "app_installed", "timestamp_ms": NOW, "action_source": "mobile_app", "user": {"android_advertising_id": "38400000-8cf0-11bd-b23e-10b96e40000d"}, "data": {"type": "customer_action"}});
    assert!(check_event(&app, NOW).is_ok());
    // Ten minutes ahead is allowed (clocks differ), seven days back too.
    assert!(check_event(&with(event(), "timestamp_ms", json!(NOW + 600_000)), NOW).is_ok());
    assert!(check_event(&with(event(), "timestamp_ms", json!(NOW - 7 * DAY)), NOW).is_ok());
}

#[test]
fn every_documented_rule_has_its_code_and_field() {
    let hash = keys::sha256_hex("x");
    let cases: Vec<(Value, Vec<(CapiCode, &str)>)> = vec![
        (
            with(event(), "id", json!("")),
            vec![(CapiCode::BadId, "id")],
        ),
        (
            with(event(), "id", Value::Null),
            vec![(CapiCode::BadId, "id")],
        ),
        (
            with(event(), "type", json!("purchase")),
            vec![(CapiCode::UnknownType, "type")],
        ),
        (
            with(event(), "timestamp_ms", json!("1795607999000")),
            vec![(CapiCode::BadTimestamp, "timestamp_ms")],
        ),
        (
            with(event(), "timestamp_ms", json!(NOW - 7 * DAY - 1)),
            vec![(CapiCode::StaleTimestamp, "timestamp_ms")],
        ),
        (
            with(event(), "timestamp_ms", json!(NOW + 600_001)),
            vec![(CapiCode::FutureTimestamp, "timestamp_ms")],
        ),
        (
            with(event(), "action_source", json!("website")),
            vec![(CapiCode::BadActionSource, "action_source")],
        ),
        (
            with(event(), "source_url", Value::Null),
            vec![(CapiCode::MissingSourceUrl, "source_url")],
        ),
        (
            with(event(), "source_url", json!("/thanks")),
            vec![(CapiCode::BadSourceUrl, "source_url")],
        ),
        (
            with(event(), "opt_out", json!("no")),
            vec![(CapiCode::WrongType, "opt_out")],
        ),
        (
            with(event(), "value", json!(49.9)),
            vec![(CapiCode::UnknownField, "value")],
        ),
        (
            with(event(), "data.amount", json!(49.9)),
            vec![(CapiCode::BadValue, "data.amount")],
        ),
        (
            with(event(), "data.amount", json!("4990")),
            vec![(CapiCode::WrongType, "data.amount")],
        ),
        (
            with(event(), "data.currency", Value::Null),
            vec![(CapiCode::BadCurrency, "data.currency")],
        ),
        (
            with(event(), "data.currency", json!("usd")),
            vec![(CapiCode::BadCurrency, "data.currency")],
        ),
        (
            with(event(), "data.type", json!("customer_action")),
            vec![
                (CapiCode::WrongDataType, "data.type"),
                (CapiCode::UnknownField, "data.contents"),
            ],
        ),
        (
            with(event(), "data.type", Value::Null),
            vec![(CapiCode::Required, "data.type")],
        ),
        (
            with(event(), "data.order_id", json!("A-1")),
            vec![(CapiCode::UnknownField, "data.order_id")],
        ),
        (
            with(
                event(),
                "data.contents",
                json!([{"id": "x", "content_type": "", "quantity": "2"}]),
            ),
            vec![
                (CapiCode::BadContents, "data.contents[0].content_type"),
                (CapiCode::WrongType, "data.contents[0].quantity"),
            ],
        ),
        (
            with(event(), "data.contents", json!([{"sku": "x"}])),
            vec![(CapiCode::BadContents, "data.contents[0].sku")],
        ),
        (
            with(event(), "data", Value::Null),
            vec![(CapiCode::Required, "data")],
        ),
        (
            with(event(), "user.emails_sha256", json!(["jane@example.com"])),
            vec![(CapiCode::BadMatchKey, "user.emails_sha256[0]")],
        ),
        (
            with(event(), "user.emails_sha256", json!([hash.to_uppercase()])),
            vec![(CapiCode::BadMatchKey, "user.emails_sha256[0]")],
        ),
        (
            with(event(), "user.email_sha256", json!(hash)),
            vec![(CapiCode::UnknownField, "user.email_sha256")],
        ),
        (
            with(event(), "user.ip_address", json!("999.1.1.1")),
            vec![(CapiCode::BadMatchKey, "user.ip_address")],
        ),
        (
            with(event(), "custom_event_name", json!("x")),
            vec![(CapiCode::BadCustomEventName, "custom_event_name")],
        ),
        (
            json!({"id": "c", "type": "custom", "timestamp_ms": NOW, "data": {"type": "custom"}}),
            vec![(CapiCode::BadCustomEventName, "custom_event_name")],
        ),
        (
            json!({"id": "c", "type": "custom", "custom_event_name": "order_created", "timestamp_ms": NOW, "data": {"type": "custom"}}),
            vec![(CapiCode::BadCustomEventName, "custom_event_name")],
        ),
        (
            json!({"id": "a", "type": "app_opened", "timestamp_ms": NOW, "action_source": "web", "source_url": "https://x.example/", "data": {"type": "customer_action"}}),
            vec![(CapiCode::BadActionSource, "action_source")],
        ),
        (
            json!({"id": "l", "type": "lead_created", "timestamp_ms": NOW, "data": {"type": "customer_action", "contents": []}}),
            vec![(CapiCode::UnknownField, "data.contents")],
        ),
        (json!("not an event"), vec![(CapiCode::WrongType, "event")]),
    ];
    let mut wrong = Vec::new();
    for (event, expected) in cases {
        let expected: Vec<(CapiCode, String)> = expected
            .into_iter()
            .map(|(c, f)| (c, f.to_string()))
            .collect();
        let got = problems(&event);
        if got != expected {
            wrong.push(format!("{event}\n  got {got:?}\n  not {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn an_event_lists_at_most_twenty_problems_and_counts_the_rest() {
    let items: Vec<Value> = (0..100_000).map(|_| json!(1)).collect();
    let e = with(event(), "data.contents", Value::Array(items));
    let problems = check_event(&e, NOW).unwrap_err();
    assert_eq!(problems.len(), 21);
    assert_eq!(
        problems[20].message,
        "… and 99980 more problems of this event"
    );
}

#[test]
fn a_duplicate_is_the_same_event_name_and_id() {
    let same_id_other_event = json!({"id": "order_created_user123_1795607999000", "type": "lead_created", "timestamp_ms": NOW, "data": {"type": "customer_action"}});
    let checked = check_all(
        capi::from_json(&[event(), event(), same_id_other_event]),
        NOW,
    );
    assert!(checked[0].result.is_ok());
    assert_eq!(
        checked[1].result.as_ref().unwrap_err()[0].code,
        CapiCode::DuplicateId
    );
    assert!(
        checked[2].result.is_ok(),
        "another event name: not a duplicate"
    );
}

#[test]
fn batches_hold_at_most_1000_events() {
    for (n, expected) in [
        (0, vec![]),
        (1, vec![1]),
        (1000, vec![1000]),
        (1001, vec![1000, 1]),
        (2500, vec![1000, 1000, 500]),
    ] {
        let events: Vec<CapiEvent> = (0..n)
            .map(|i| {
                check_event(
                    &with(
                        event(),
                        "id",
                        json!(event_id(Event::OrderCreated, &format!("u{i}"), NOW)),
                    ),
                    NOW,
                )
                .unwrap()
            })
            .collect();
        let sizes: Vec<usize> = batches(&events).map(<[CapiEvent]>::len).collect();
        assert_eq!(sizes, expected, "{n} events");
        assert_eq!(batch_count(n), expected.len());
    }
    assert_eq!(MAX_EVENTS_PER_CALL, 1000);
    let body = serde_json::to_value(capi::Batch {
        validate_only: true,
        events: &[check_event(&event(), NOW).unwrap()],
    })
    .unwrap();
    assert_eq!(body, json!({"validate_only": true, "events": [event()]}));
}

#[test]
fn timestamps_are_milliseconds_or_iso_8601_with_a_zone() {
    for (text, ms) in [
        ("1795694400000", NOW),
        ("2026-11-26T12:00:00Z", NOW),
        ("2026-11-26T12:00Z", NOW),
        ("2026-11-26 13:00:00+01:00", NOW),
        ("2026-11-26T07:30:00-0430", NOW),
        ("2026-11-26T12:00:00.25Z", NOW + 250),
        ("2026-11-26T12:00:00.123456Z", NOW + 123),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ("1970-01-01T00:00:00Z", 0),
    ] {
        assert_eq!(parse_timestamp(text), Ok(ms), "{text}");
    }
    for bad in [
        "",
        "2026-11-26",
        "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2026-11-26T24:00:00Z",
        "2026-11-26T12:00:00+25:00",
        "2026-11-26T12:00:00Zjunk",
        "99999999999999999999999",
    ] {
        assert!(parse_timestamp(bad).is_err(), "{bad:?}");
    }
    assert_eq!(format_ms(NOW + 250), "2026-11-26T12:00:00.250Z");
    assert_eq!(format_ms(1_709_164_800_000), "2024-02-29T00:00:00.000Z");
}

// ---------------------------------------------------------------------------------------------
// Conversions API: the sheet
// ---------------------------------------------------------------------------------------------

#[test]
fn a_sheet_row_becomes_the_documented_event_with_hashed_match_keys() {
    let csv = "\u{feff}id,type,timestamp,user,value,currency,action_source,source_url,oppref,email,phone,first_name,last_name,external_id,country,city,postal_code,ip_address,user_agent,obref,opt_out,contents,crm_stage\n\
        ,order_created,2026-11-25T10:00:00Z,u1,149.00,usd,web,https://shop.example.com/thanks,op_1,\" Jane.Doe@Example.com \",+1 (415) 555-2671,Jane,O'Connor,CRM-42,us,San Francisco,94103,203.0.113.7,Mozilla/5.0,ob_9,yes,\"[{\"\"id\"\":\"\"sku-1\"\",\"\"content_type\"\":\"\"product\"\",\"\"quantity\"\":2,\"\"amount\"\":7450}]\",won\n";
    let file = read_csv(csv.as_bytes()).unwrap();
    assert_eq!(file.ignored_columns, ["crm_stage"]);
    let checked = check_rows(file.rows, NOW);
    let event = checked[0].result.as_ref().unwrap();
    assert_eq!(
        serde_json::to_value(event).unwrap(),
        json!({
            "id": "order_created_u1_1795600800000",
            "type": "order_created",
            "timestamp_ms": 1_795_600_800_000_i64,
            "action_source": "web",
            "source_url": "https://shop.example.com/thanks",
            "oppref": "op_1",
            "opt_out": true,
            "data": {"type": "contents", "currency": "USD", "amount": 14900,
                "contents": [{"id": "sku-1", "content_type": "product", "quantity": 2, "amount": 7450}]},
            "user": {
                "emails_sha256": [keys::sha256_hex("jane.doe@example.com")],
                "phone_numbers_sha256": [keys::sha256_hex("14155552671")],
                "external_ids_sha256": [keys::sha256_hex("CRM-42")],
                "first_names_sha256": [keys::sha256_hex("jane")],
                "last_names_sha256": [keys::sha256_hex("oconnor")],
                "countries": ["US"],
                "cities": ["San Francisco"],
                "postal_codes": ["94103"],
                "ip_address": "203.0.113.7",
                "user_agent": "Mozilla/5.0",
                "obref": "ob_9"
            }
        })
    );
    let sent = serde_json::to_string(event).unwrap();
    for raw in [
        "Jane",
        "jane",
        "Example.com",
        "555",
        "CRM-42",
        "oconnor",
        "O'Connor",
    ] {
        assert!(!sent.contains(raw), "{raw} left this machine: {sent}");
    }
}

#[test]
fn a_sheet_is_read_row_by_row_with_its_lines_and_columns_in_problems() {
    let csv = "type,timestamp,user,value,currency,action_source,source_url,custom_event_name,plan_id,email,phone\n\
        lead_created,2026-11-25T10:00:00Z,u1,,,phone_call,,,,,\n\
        ,,,,,,,,,,\n\
        lead_created,2026-11-25T11:00:00Z,jane@example.com,,,phone_call,,,,,\n\
        order_created,2026-11-25T11:00:00Z,u2,1.999,USD,web,,,,,\n\
        subscription_created,2026-11-25T11:00:00Z,u3,12,,website,,,,,\n\
        custom,2026-11-25T11:00:00Z,u4,,,offline,,Quote requested,,,\n\
        trial_started,2026-11-25T11:00:00Z,u5,,,other,,,pro,not-an-email,555\n\
        trial_started,2026-11-10T11:00:00Z,u7,,,other,,,pro,,\n\
        app_installed,2026-11-26T11:00:00Z,u6,,,mobile_app,,,,,\n";
    let file = read_csv(csv.as_bytes()).unwrap();
    let checked = check_rows(file.rows, NOW);
    let lines: Vec<u64> = checked.iter().map(|c| c.position).collect();
    assert_eq!(lines, [2, 4, 5, 6, 7, 8, 9, 10]);
    let fields = |i: usize| -> Vec<(CapiCode, String)> {
        match &checked[i].result {
            Ok(_) => Vec::new(),
            Err(p) => p.iter().map(|p| (p.code, p.field.clone())).collect(),
        }
    };
    assert_eq!(
        checked[0].result.as_ref().unwrap().id,
        "lead_created_u1_1795600800000"
    );
    assert_eq!(fields(1), [(CapiCode::BadUser, "user".to_string())]);
    assert_eq!(
        fields(2),
        [(CapiCode::BadValue, "value".to_string())],
        "1.999 USD has more decimals than USD has"
    );
    assert_eq!(fields(3), [(CapiCode::BadCurrency, "currency".to_string())]);
    assert_eq!(
        fields(4),
        [(
            CapiCode::BadCustomEventName,
            "custom_event_name".to_string()
        )]
    );
    // A row's own problems (here: match keys that cannot be normalized) are reported first;
    // the API's rules are checked once the row makes an event.
    assert_eq!(
        fields(5),
        [
            (CapiCode::BadMatchKey, "email".to_string()),
            (CapiCode::BadMatchKey, "phone".to_string()),
        ]
    );
    assert_eq!(
        fields(6),
        [(CapiCode::StaleTimestamp, "timestamp".to_string())]
    );
    assert!(checked[7].result.is_ok(), "{:?}", checked[7].result);

    for (text, message) in [
        ("", "the CSV is empty"),
        ("type,user\norder_created,u\n", "lacks the column timestamp"),
    ] {
        let e = read_csv(text.as_bytes()).unwrap_err();
        assert!(e.contains(message), "{e}");
    }
    assert_eq!(
        capi::endpoint_url(capi::ENDPOINT, "134534"),
        "https://bzr.openai.com/v1/events?pid=134534"
    );
}

#[test]
fn a_json_batch_is_checked_event_by_event() {
    let events: Vec<Value> = vec![
        event(),
        json!({"id": "e2", "type": "lead_created", "timestamp_ms": NOW, "action_source": "chat", "user_email": "jane@example.com", "data": {"type": "customer_action"}}),
        json!({"id": "e3", "type": ["lead_created"], "timestamp_ms": NOW, "data": {"type": "customer_action", "coupon": "X"}}),
    ];
    let checked = check_all(capi::from_json(&events), NOW);
    assert!(checked[0].result.is_ok());
    let fields = |i: usize| -> Vec<(CapiCode, String)> {
        checked[i]
            .result
            .as_ref()
            .unwrap_err()
            .iter()
            .map(|p| (p.code, p.field.clone()))
            .collect()
    };
    assert_eq!(
        fields(1),
        [
            (CapiCode::UnknownField, "user_email".to_string()),
            (CapiCode::BadActionSource, "action_source".to_string())
        ]
    );
    assert_eq!(
        fields(2),
        [
            (CapiCode::WrongType, "type".to_string()),
            (CapiCode::UnknownField, "data.coupon".to_string()),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// GA4 custom dimensions and reports
// ---------------------------------------------------------------------------------------------

#[test]
fn custom_dimensions_match_their_golden_file_and_googles_rules() {
    let dims = custom_dimensions();
    golden("custom_dimensions.json", &to_pretty_json(&dims));
    let scopes: Vec<(&str, DimensionScope)> = dims
        .iter()
        .map(|d| (d.parameter_name.as_str(), d.scope))
        .collect();
    assert_eq!(
        scopes,
        [
            ("heard_about", DimensionScope::Event),
            ("first_touch_source", DimensionScope::User),
            ("first_touch_campaign", DimensionScope::User),
        ]
    );
    for d in &dims {
        d.check().unwrap();
        let body = serde_json::to_value(d).unwrap();
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["description", "displayName", "parameterName", "scope"]
        );
    }
    let mut long = dims[1].clone();
    long.parameter_name = "first_touch_campaign_name".into(); // 25 > 24 for user scope
    assert!(long.check().is_err());
}

#[test]
fn the_survey_and_first_touch_reports_match_their_golden_files() {
    golden("report_survey.json", &to_pretty_json(&survey_report()));
    golden(
        "report_first_touch.json",
        &to_pretty_json(&first_touch_report()),
    );
    let survey = serde_json::to_value(survey_report()).unwrap();
    assert_eq!(survey["dimensions"][0]["name"], "customEvent:heard_about");
    assert_eq!(
        survey["dimensionFilter"]["filter"]["fieldName"],
        "eventName"
    );
    assert_eq!(
        survey["dimensionFilter"]["filter"]["stringFilter"]["value"],
        "survey_response"
    );
    let ft = serde_json::to_value(first_touch_report()).unwrap();
    let dims: Vec<&str> = ft["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        dims,
        [
            "customUser:first_touch_source",
            "customUser:first_touch_campaign",
            "sessionSource",
            "sessionMedium"
        ]
    );
    assert_eq!(ft["metrics"][0]["name"], "keyEvents");
    assert_eq!(
        ft["dimensionFilter"]["filter"]["stringFilter"]["value"],
        "chatgpt"
    );
}

#[test]
fn the_apply_script_registers_the_dimensions_and_runs_their_reports() {
    let script = apply_script("123456789", "purchase", None);
    assert!(script.contains(
        "https://analyticsadmin.googleapis.com/v1beta/properties/$PROPERTY/customDimensions"
    ));
    let docs: Vec<&str> = script
        .split("<<'JSON'\n")
        .skip(1)
        .map(|d| d.split("\nJSON\n").next().unwrap())
        .collect();
    assert_eq!(docs.len(), 8);
    for (doc, dim) in docs[3..6].iter().zip(custom_dimensions()) {
        assert_eq!(*doc, to_pretty_json(&dim));
    }
    assert_eq!(docs[6], to_pretty_json(&survey_report()));
    assert_eq!(docs[7], to_pretty_json(&first_touch_report()));
    assert!(script.contains("409) echo \"(already registered: left as it is)\""));
}
