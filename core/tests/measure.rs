//! The measurement kit: settings refused or accepted field by field, snippets escaped for where
//! they land, Conversions API rules as tables, batching at the limit, stable ids, and the GA4
//! custom-dimension and report bodies (golden files, and Google's rules for them).

mod common;

use common::golden;
use serde_json::{json, Value};
use utmforge_core::ga4::{
    apply_script, custom_dimensions, first_touch_report, survey_report, to_pretty_json,
    DimensionScope,
};
use utmforge_core::measure::capi::{
    self, batch_count, batches, check, check_all, drafts_from_json, event_id, format_ms,
    parse_timestamp, read_csv, ActionSource, CapiCode, CapiEvent, Draft, EventData, PixelEvent,
    MAX_EVENTS_PER_CALL,
};
use utmforge_core::measure::{
    base_html, event_html, js_string, template_literal, tracking_kit, TrackingSettings,
};
use utmforge_core::{Code, ConversionEvent, Field};

/// 2026-11-26T12:00:00Z.
const NOW: i64 = 1_795_694_400_000;
const DAY: i64 = 86_400_000;

fn settings() -> TrackingSettings {
    TrackingSettings::new("oai-px-abc123", "g-test123", "eur").unwrap()
}

#[test]
fn settings_are_checked_field_by_field() {
    let s = settings();
    assert_eq!(s.pixel_id, "oai-px-abc123");
    assert_eq!(s.measurement_id.as_deref(), Some("G-TEST123"));
    assert_eq!(s.currency, "EUR");
    let defaults = TrackingSettings::new(" oai-px-x ", "", "").unwrap();
    assert_eq!(
        (defaults.measurement_id, defaults.currency.as_str()),
        (None, "USD")
    );

    type Case<'a> = (&'a str, &'a str, &'a str, &'a [(Code, Field)]);
    let cases: [Case; 8] = [
        ("", "", "", &[(Code::Required, Field::PixelId)]),
        ("px-123", "", "", &[(Code::InvalidPixelId, Field::PixelId)]),
        ("oai-px-", "", "", &[(Code::InvalidPixelId, Field::PixelId)]),
        (
            "oai-px-\"</script><script>alert(1)</script>",
            "",
            "",
            &[(Code::InvalidPixelId, Field::PixelId)],
        ),
        (
            "oai-px-ok",
            "UA-1234-1",
            "",
            &[(Code::InvalidMeasurementId, Field::MeasurementId)],
        ),
        (
            "oai-px-ok",
            "G-\");alert(1)//",
            "",
            &[(Code::InvalidMeasurementId, Field::MeasurementId)],
        ),
        (
            "oai-px-ok",
            "",
            "XYZ",
            &[(Code::InvalidCurrency, Field::Currency)],
        ),
        (
            "bad",
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
    let long = format!("oai-px-{}", "a".repeat(58));
    assert!(
        TrackingSettings::new(&long, "", "").is_err(),
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

#[test]
fn the_base_snippet_loads_the_pixel_then_inits_and_measures_the_page_view() {
    let html = base_html(&settings());
    let init = html
        .find(r#"oaiq("init", "oai-px-abc123");"#)
        .expect("init");
    let page = html
        .find(r#"oaiq("measure", "page_viewed");"#)
        .expect("page_viewed");
    assert!(init < page);
    assert!(html.contains(r#""https://ads.openai.com/pixel.js""#));
    assert!(html.contains("s.async = true"));
    assert!(html.contains(r#"gtag("config", "G-TEST123");"#));
    let without_ga4 = TrackingSettings::new("oai-px-abc123", "", "").unwrap();
    assert!(!base_html(&without_ga4).contains("googletagmanager"));
}

#[test]
fn event_snippets_carry_the_props_the_event_id_and_the_ga4_event() {
    let s = settings();
    let order = event_html(ConversionEvent::OrderCreated, &s);
    assert!(order.contains(r#"window.oaiq("measure", "order_created", Object.assign({"value": {{VALUE}}, "currency": "EUR", "order_id": "{{ORDER_ID}}", "event_id": "{{EVENT_ID}}"}, firstTouch));"#), "{order}");
    assert!(order.contains(r#"window.gtag("event", "purchase", {"value": {{VALUE}}, "currency": "EUR", "transaction_id": "{{ORDER_ID}}"});"#), "{order}");
    let lead = event_html(ConversionEvent::LeadCreated, &s);
    assert!(lead.contains(r#""lead_created", Object.assign({"lead_type": "{{LEAD_TYPE}}", "event_id": "{{EVENT_ID}}"}"#), "{lead}");
    assert!(lead.contains(r#""generate_lead""#));
    let trial = event_html(ConversionEvent::TrialStarted, &s);
    assert!(trial.contains(r#""trial_started", Object.assign({"event_id": "{{EVENT_ID}}"}"#));
    assert!(trial.contains(r#"window.gtag("event", "trial_started", {})"#));
}

#[test]
fn the_kit_has_every_platform_with_a_snippet_per_conversion_in_use() {
    let campaigns = vec![
        ("Spring sale".to_string(), ConversionEvent::OrderCreated),
        ("Demo".to_string(), ConversionEvent::LeadCreated),
        ("Autumn sale".to_string(), ConversionEvent::OrderCreated),
    ];
    let kit = tracking_kit(&settings(), &campaigns);
    assert_eq!(kit.conversions.len(), 2);
    assert_eq!(kit.conversions[0].event, "order_created");
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
                format!("{}-lead_created", p.key)
            ]
        );
    }
    let shopify = &kit.platforms[1].snippets[1].code;
    assert!(shopify.starts_with("{% if first_time_accessed %}"));
    // Checkout pages do not load theme.liquid: the base snippet comes along, before the event.
    assert!(
        shopify.find(r#"oaiq("init", "oai-px-abc123")"#)
            < shopify.find(r#""order_created", Object.assign"#)
    );
    assert!(shopify.contains("{{ checkout.order_id | json }}"));
    assert!(shopify.contains(
        "\"order_created_{{ checkout.order_id }}_{{ checkout.created_at | date: '%s' }}000\""
    ));
    let next = &kit.platforms[3].snippets;
    assert!(next[0]
        .code
        .contains(r#"import Script from "next/script";"#));
    assert!(next[0]
        .code
        .contains(r#"<Script id="openai-ads-pixel" strategy="afterInteractive">"#));
    assert!(next[0].code.contains(r#"oaiq("init", "oai-px-abc123");"#));
    assert!(next[1]
        .code
        .contains("export function OrderCreated({ value, orderId, eventId }"));
    assert!(next[1].code.contains(r#""event_id": eventId"#));
    // The event waits for the pixel, which next/script loads after hydration.
    assert!(next[1].code.contains("if (!window.oaiq && tries++ < 50)"));
    assert!(kit
        .first_touch
        .code
        .contains(r#"NAME = "utmforge_ft", DAYS = 30, SOURCE = "chatgpt""#));
    for (value, label) in utmforge_core::measure::SURVEY_OPTIONS {
        assert!(kit
            .survey
            .code
            .contains(&format!("value=\"{value}\" required> {label}</label>")));
    }
    assert!(kit.survey.code.contains("<legend"));
    assert_eq!(kit.documents.len(), 5);
    assert!(kit.consent.contains("no personal data"));
}

// ---------------------------------------------------------------------------------------------
// Conversions API
// ---------------------------------------------------------------------------------------------

fn draft() -> Draft {
    Draft {
        kind: Some("order_created".into()),
        timestamp: Some((NOW - DAY).to_string()),
        user: Some("user123".into()),
        value: Some("49.90".into()),
        currency: Some("usd".into()),
        order_id: Some("A-1001".into()),
        action_source: Some("website".into()),
        source_url: Some("https://shop.example.com/thanks".into()),
        ..Draft::default()
    }
}

#[test]
fn a_valid_event_is_typed_with_a_deterministic_id() {
    let event = check(&draft(), NOW).unwrap();
    assert_eq!(
        event,
        CapiEvent {
            id: format!("order_created_user123_{}", NOW - DAY),
            kind: PixelEvent::OrderCreated,
            timestamp_ms: NOW - DAY,
            data: EventData {
                value: Some(49.9),
                currency: Some("USD".into()),
                order_id: Some("A-1001".into()),
                ..EventData::default()
            },
            action_source: ActionSource::Website,
            source_url: Some("https://shop.example.com/thanks".into()),
        }
    );
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        json!({"id": format!("order_created_user123_{}", NOW - DAY), "type": "order_created",
            "timestamp_ms": NOW - DAY, "data": {"value": 49.9, "currency": "USD", "order_id": "A-1001"},
            "action_source": "website", "source_url": "https://shop.example.com/thanks"})
    );
    // The same row on another run, another day: the same id.
    assert_eq!(check(&draft(), NOW + 3 * DAY).unwrap().id, event.id);
    assert_eq!(
        event_id(PixelEvent::LeadCreated, "u", 5),
        "lead_created_u_5"
    );
}

#[test]
fn every_rule_has_its_code() {
    type Edit = fn(&mut Draft);
    type Case = (&'static str, Edit, &'static [(CapiCode, &'static str)]);
    let cases: Vec<Case> = vec![
        (
            "no type",
            |d| d.kind = None,
            &[(CapiCode::Required, "type")],
        ),
        (
            "unknown type",
            |d| d.kind = Some("purchase".into()),
            &[(CapiCode::UnknownType, "type")],
        ),
        (
            "bad action source",
            |d| d.action_source = Some("web".into()),
            &[(CapiCode::BadActionSource, "action_source")],
        ),
        (
            "no action source",
            |d| d.action_source = None,
            &[(CapiCode::Required, "action_source")],
        ),
        (
            "website without url",
            |d| d.source_url = None,
            &[(CapiCode::MissingSourceUrl, "source_url")],
        ),
        (
            "relative url",
            |d| d.source_url = Some("/thanks".into()),
            &[(CapiCode::BadSourceUrl, "source_url")],
        ),
        (
            "javascript url",
            |d| d.source_url = Some("javascript:alert(1)".into()),
            &[(CapiCode::BadSourceUrl, "source_url")],
        ),
        (
            "stale",
            |d| d.timestamp = Some((NOW - 7 * DAY - 1).to_string()),
            &[(CapiCode::StaleTimestamp, "timestamp")],
        ),
        (
            "future",
            |d| d.timestamp = Some((NOW + 61_000).to_string()),
            &[(CapiCode::FutureTimestamp, "timestamp")],
        ),
        (
            "seconds",
            |d| d.timestamp = Some("1795694400".into()),
            &[(CapiCode::BadTimestamp, "timestamp")],
        ),
        (
            "not a time",
            |d| d.timestamp = Some("yesterday".into()),
            &[(CapiCode::BadTimestamp, "timestamp")],
        ),
        (
            "no zone",
            |d| d.timestamp = Some("2026-11-25T12:00:00".into()),
            &[(CapiCode::BadTimestamp, "timestamp")],
        ),
        (
            "no time",
            |d| d.timestamp = None,
            &[(CapiCode::Required, "timestamp")],
        ),
        (
            "bad currency",
            |d| d.currency = Some("DOLLARS".into()),
            &[(CapiCode::BadCurrency, "currency")],
        ),
        (
            "value without currency",
            |d| d.currency = None,
            &[(CapiCode::BadCurrency, "currency")],
        ),
        (
            "negative value",
            |d| d.value = Some("-1".into()),
            &[(CapiCode::BadValue, "value")],
        ),
        (
            "comma decimal",
            |d| d.value = Some("49,90".into()),
            &[(CapiCode::BadValue, "value")],
        ),
        (
            "nan",
            |d| d.value = Some("NaN".into()),
            &[(CapiCode::BadValue, "value")],
        ),
        (
            "email as user",
            |d| d.user = Some("jane@example.com".into()),
            &[(CapiCode::BadUser, "user")],
        ),
        (
            "no id, no user",
            |d| d.user = None,
            &[(CapiCode::BadId, "id")],
        ),
        (
            "id with a space",
            |d| d.id = Some("a b".into()),
            &[(CapiCode::BadId, "id")],
        ),
        (
            "long order id",
            |d| d.order_id = Some("x".repeat(257)),
            &[(CapiCode::TooLong, "order_id")],
        ),
    ];
    for (name, edit, expected) in cases {
        let mut d = draft();
        edit(&mut d);
        let got: Vec<(CapiCode, String)> = check(&d, NOW)
            .expect_err(name)
            .into_iter()
            .map(|p| (p.code, p.field))
            .collect();
        let expected: Vec<(CapiCode, String)> =
            expected.iter().map(|(c, f)| (*c, f.to_string())).collect();
        assert_eq!(got, expected, "{name}");
    }
    // The edges are accepted: exactly 7 days old, a minute ahead, a phone call without a URL.
    for edit in [
        (|d: &mut Draft| d.timestamp = Some((NOW - 7 * DAY).to_string())) as fn(&mut Draft),
        |d| d.timestamp = Some((NOW + 60_000).to_string()),
        |d| {
            d.action_source = Some("phone_call".into());
            d.source_url = None
        },
        |d| d.id = Some("order_created_user123_1".into()),
    ] {
        let mut d = draft();
        edit(&mut d);
        check(&d, NOW).unwrap();
    }
    // Codes serialize as their kebab-case name.
    assert_eq!(
        serde_json::to_string(&CapiCode::MissingSourceUrl).unwrap(),
        "\"missing-source-url\""
    );
    assert_eq!(CapiCode::DuplicateId.as_str(), "duplicate-id");
}

#[test]
fn a_duplicate_id_in_a_batch_is_refused_after_its_first_use() {
    let checked = check_all([(2, draft()), (3, draft()), (4, draft())], NOW);
    assert!(checked[0].result.is_ok());
    for c in &checked[1..] {
        let problems = c.result.as_ref().unwrap_err();
        assert_eq!(
            problems[0].code,
            CapiCode::DuplicateId,
            "line {}",
            c.position
        );
    }
}

#[test]
fn batches_hold_at_most_1000_events() {
    let event = check(&draft(), NOW).unwrap();
    for (n, expected) in [
        (0, vec![]),
        (999, vec![999]),
        (1000, vec![1000]),
        (1001, vec![1000, 1]),
        (2500, vec![1000, 1000, 500]),
    ] {
        let events: Vec<CapiEvent> = (0..n)
            .map(|i| CapiEvent {
                id: format!("e{i}"),
                ..event.clone()
            })
            .collect();
        let sizes: Vec<usize> = batches(&events).map(<[CapiEvent]>::len).collect();
        assert_eq!(sizes, expected, "{n} events");
        assert_eq!(batch_count(n), expected.len());
    }
    assert_eq!(MAX_EVENTS_PER_CALL, 1000);
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

#[test]
fn a_csv_is_read_row_by_row_with_its_lines() {
    let csv = "\u{feff}id,type,timestamp,user,value,currency,order_id,action_source,source_url,crm_stage\n\
        ,order_created,2026-11-25T10:00:00Z,u1,49.90,USD,A-1,website,https://shop.example.com/thanks,won\n\
        ,,,,,,,,,\n\
        ,lead_created,2026-11-25T11:00:00Z,jane@example.com,,,,phone_call,,new\n\
        x-1,subscription_created,1795600000000,,,,,app,,won\n";
    let file = read_csv(csv.as_bytes()).unwrap();
    assert_eq!(file.ignored_columns, ["crm_stage"]);
    let checked = check_all(file.rows, NOW);
    let lines: Vec<u64> = checked.iter().map(|c| c.position).collect();
    assert_eq!(lines, [2, 4, 5]);
    assert_eq!(
        checked[0].result.as_ref().unwrap().id,
        "order_created_u1_1795600800000"
    );
    assert_eq!(
        checked[1].result.as_ref().unwrap_err()[0].code,
        CapiCode::BadUser
    );
    assert_eq!(checked[2].result.as_ref().unwrap().id, "x-1");

    for (text, message) in [
        ("", "the CSV is empty"),
        (
            "type,user\norder_created,u\n",
            "lacks the columns timestamp, action_source",
        ),
    ] {
        let e = read_csv(text.as_bytes()).unwrap_err();
        assert!(e.contains(message), "{e}");
    }
}

#[test]
fn json_events_are_read_one_by_one() {
    let events: Vec<Value> = vec![
        json!({"id": "e1", "type": "lead_created", "timestamp_ms": NOW - 1000, "data": {"lead_type": "demo"}, "action_source": "chat"}),
        json!({"id": "e2", "type": "lead_created", "timestamp_ms": NOW, "action_source": "chat", "user_email": "jane@example.com"}),
        json!({"id": "e3", "type": ["lead_created"], "timestamp_ms": NOW, "action_source": "chat", "data": {"coupon": "X"}}),
        json!("not an event"),
    ];
    let checked = check_all(drafts_from_json(&events), NOW);
    assert_eq!(
        checked[0]
            .result
            .as_ref()
            .unwrap()
            .data
            .lead_type
            .as_deref(),
        Some("demo")
    );
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
        [(CapiCode::UnknownField, "user_email".to_string())]
    );
    assert_eq!(
        fields(2),
        [
            (CapiCode::UnknownField, "data.coupon".to_string()),
            (CapiCode::UnknownField, "type".to_string()),
            (CapiCode::Required, "type".to_string()),
        ]
    );
    assert_eq!(fields(3)[0], (CapiCode::UnknownField, "event".to_string()));
    assert_eq!(
        capi::endpoint_url(capi::ENDPOINT, "oai-px-1"),
        "https://bzr.openai.com/v1/events?pid=oai-px-1"
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
