//! The GA4 kit: the exact JSON Google expects (golden files in `tests/golden/`, reviewed by
//! hand against DESIGN §3), Google's constraints, and the conversion-event mapping.
//!
//! To see a changed document: `UPDATE_GOLDEN=1 cargo test -p utmforge-core --test ga4`, then
//! review the diff before committing it.

mod common;

use common::golden;
use serde_json::Value;
use utmforge_core::ga4::{
    apply_script, campaign_filter, channel_group, channel_group_instructions, conversion_event,
    exploration_report, funnel_instructions, funnel_report, ga4_event_for, property_id,
    report_instructions, to_pretty_json, DEFAULT_CHANNELS,
};
use utmforge_core::{Code, ConversionEvent, Field};

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn channel_group_matches_its_golden_file() {
    golden("channel_group.json", &to_pretty_json(&channel_group()));
}

#[test]
fn funnel_for_a_campaign_matches_its_golden_file() {
    let slug = campaign_filter("Spring Sale 2025").unwrap();
    let event = conversion_event("order_created").unwrap();
    golden(
        "funnel_spring_sale_2025.json",
        &to_pretty_json(&funnel_report(&event, Some(&slug))),
    );
}

#[test]
fn report_for_a_campaign_matches_its_golden_file() {
    golden(
        "report_spring_sale_2025.json",
        &to_pretty_json(&exploration_report(Some("spring-sale-2025"))),
    );
}

#[test]
fn chatgpt_ads_is_the_first_rule_then_the_default_channels_in_order() {
    let group = channel_group();
    group.check().unwrap();
    let names: Vec<&str> = group
        .grouping_rule
        .iter()
        .map(|r| r.display_name.as_str())
        .collect();
    assert_eq!(names[0], "ChatGPT Ads");
    assert_eq!(&names[1..], DEFAULT_CHANNELS);
    assert!(names.len() <= 50);
    let v = json(&group);
    let first = &v["groupingRule"][0]["expression"]["andGroup"]["filterExpressions"];
    assert_eq!(
        first[0]["orGroup"]["filterExpressions"][0]["filter"],
        serde_json::json!({"fieldName": "eachScopeSource", "stringFilter": {"matchType": "EXACT", "value": "chatgpt"}})
    );
    assert_eq!(
        first[1]["orGroup"]["filterExpressions"][0]["filter"],
        serde_json::json!({"fieldName": "eachScopeMedium", "inListFilter": {"values": ["cpc", "cpm"]}})
    );
}

/// Walks a channel group's JSON: andGroup at the top of each rule, only orGroups in it, only
/// filters or notExpressions in those, no caseSensitive anywhere, no output-only fields.
#[test]
fn channel_group_json_has_only_the_shapes_google_accepts() {
    let v = json(&channel_group());
    let object = v.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["description", "displayName", "groupingRule"]);
    assert!(v["displayName"].as_str().unwrap().chars().count() <= 80);
    assert!(v["description"].as_str().unwrap().chars().count() <= 256);
    assert!(!v.to_string().contains("caseSensitive"));
    for rule in v["groupingRule"].as_array().unwrap() {
        let expression = rule["expression"].as_object().unwrap();
        assert_eq!(expression.keys().collect::<Vec<_>>(), ["andGroup"]);
        for or in expression["andGroup"]["filterExpressions"]
            .as_array()
            .unwrap()
        {
            let or = or.as_object().unwrap();
            assert_eq!(or.keys().collect::<Vec<_>>(), ["orGroup"]);
            for leaf in or["orGroup"]["filterExpressions"].as_array().unwrap() {
                let key = leaf.as_object().unwrap().keys().next().unwrap();
                assert!(key == "filter" || key == "notExpression", "{key}");
                let filter = &leaf["filter"];
                let field = filter["fieldName"].as_str().unwrap();
                assert!(field.starts_with("eachScope"), "{field}");
                if let Some(sf) = filter.get("stringFilter") {
                    assert_eq!(sf["matchType"], "EXACT");
                }
            }
        }
    }
}

#[test]
fn the_checks_catch_what_google_refuses() {
    let mut group = channel_group();
    group.display_name = "x".repeat(81);
    group.description = "y".repeat(257);
    while group.grouping_rule.len() <= 50 {
        group.grouping_rule.push(group.grouping_rule[1].clone());
    }
    let problems = group.check().unwrap_err();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("displayName"));
    assert!(problems[1].contains("description"));
    assert!(problems[2].contains("groupingRule"));
}

#[test]
fn funnel_has_four_steps_a_chatgpt_segment_and_the_creative_breakdown() {
    let v = json(&funnel_report("generate_lead", None));
    let steps = v["funnel"]["steps"].as_array().unwrap();
    let names: Vec<&str> = steps.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["Ad click", "Engagement", "Micro-conversion", "Conversion"]
    );
    assert!(steps[0].get("withinDurationFromPriorStep").is_none());
    for step in &steps[1..] {
        assert_eq!(step["withinDurationFromPriorStep"], "1209600s");
        assert_eq!(step["isDirectlyFollowedBy"], false);
    }
    assert_eq!(
        steps[0]["filterExpression"]["funnelEventFilter"]["eventName"],
        "page_view"
    );
    let engagement: Vec<&str> = steps[1]["filterExpression"]["orGroup"]["expressions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["funnelEventFilter"]["eventName"].as_str().unwrap())
        .collect();
    assert_eq!(engagement, ["scroll", "cta_click", "page_view"]);
    assert_eq!(
        steps[3]["filterExpression"]["funnelEventFilter"]["eventName"],
        "generate_lead"
    );
    assert_eq!(
        v["funnelBreakdown"]["breakdownDimension"]["name"],
        "sessionManualAdContent"
    );
    assert_eq!(
        v["dateRanges"][0],
        serde_json::json!({"startDate": "30daysAgo", "endDate": "today"})
    );
    let groups = v["segments"][0]["sessionSegment"]["sessionInclusionCriteria"]
        ["andConditionGroups"]
        .as_array()
        .unwrap();
    let fields: Vec<&str> = groups
        .iter()
        .map(|g| {
            g["segmentFilterExpression"]["segmentFilter"]["fieldName"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(fields, ["sessionSource", "sessionMedium"]);

    // With a campaign, the segment also holds its utm_campaign value.
    let v = json(&funnel_report("purchase", Some("spring-sale-2025")));
    let groups =
        &v["segments"][0]["sessionSegment"]["sessionInclusionCriteria"]["andConditionGroups"];
    assert_eq!(
        groups[2]["segmentFilterExpression"]["segmentFilter"],
        serde_json::json!({"fieldName": "sessionCampaignName", "stringFilter": {"matchType": "EXACT", "value": "spring-sale-2025", "caseSensitive": false}})
    );
}

#[test]
fn report_has_the_dimensions_metrics_and_filter_of_the_design() {
    let v = json(&exploration_report(None));
    let names = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names("dimensions"),
        [
            "sessionSource",
            "sessionMedium",
            "sessionCampaignName",
            "sessionManualAdContent",
            "sessionManualTerm",
            "landingPage",
            "deviceCategory"
        ]
    );
    assert_eq!(
        names("metrics"),
        [
            "sessions",
            "engagedSessions",
            "engagementRate",
            "keyEvents",
            "sessionKeyEventRate"
        ]
    );
    assert_eq!(
        v["dimensionFilter"],
        serde_json::json!({"andGroup": {"expressions": [
            {"filter": {"fieldName": "sessionSource", "stringFilter": {"matchType": "EXACT", "value": "chatgpt", "caseSensitive": false}}},
            {"filter": {"fieldName": "sessionMedium", "inListFilter": {"values": ["cpc", "cpm"], "caseSensitive": false}}}
        ]}})
    );
}

#[test]
fn pixel_events_map_to_ga4_events() {
    let table: Vec<(&str, &str)> = ConversionEvent::ALL
        .iter()
        .map(|e| (e.as_str(), ga4_event_for(*e)))
        .collect();
    assert_eq!(
        table,
        [
            ("order_created", "purchase"),
            ("lead_created", "generate_lead"),
            ("registration_completed", "sign_up"),
            ("subscription_created", "subscription_created"),
            ("trial_started", "trial_started"),
            ("appointment_scheduled", "appointment_scheduled"),
            ("checkout_started", "begin_checkout"),
            ("contents_viewed", "view_item"),
            ("items_added", "add_to_cart"),
        ]
    );
    assert_eq!(conversion_event(" lead_created ").unwrap(), "generate_lead");
}

#[test]
fn valid_ga4_event_names_are_taken_as_is_and_others_refused() {
    for ok in [
        "purchase",
        "demo_booked",
        "Sign_Up2",
        &format!("a{}", "b".repeat(39)),
    ] {
        assert_eq!(conversion_event(ok).unwrap(), ok);
    }
    for (bad, why) in [
        ("", "empty"),
        ("2nd_purchase", "start with a letter"),
        ("demo-booked", "not “-”"),
        ("démo", "not “é”"),
        (&format!("a{}", "b".repeat(40)), "at most 40"),
        ("ga_session", "“ga_” is reserved"),
        ("Google_purchase", "“google_” is reserved"),
        ("firebase_x", "“firebase_” is reserved"),
    ] {
        let e = conversion_event(bad).unwrap_err();
        assert_eq!((e.code, e.field), (Code::InvalidEvent, Field::Conversion));
        assert!(e.message.contains(why), "{bad}: {}", e.message);
    }
}

#[test]
fn campaign_filters_are_slugged_and_property_ids_are_digits() {
    assert_eq!(
        campaign_filter("Spring Sale 2025").unwrap(),
        "spring-sale-2025"
    );
    assert_eq!(campaign_filter("!!!").unwrap_err().field, Field::Campaign);
    assert_eq!(property_id(" 123456789 ").unwrap(), "123456789");
    assert_eq!(property_id("properties/42").unwrap(), "42");
    for bad in ["", "G-ABC123", "12 34", "1; rm -rf /"] {
        assert_eq!(property_id(bad).unwrap_err().code, Code::InvalidProperty);
    }
}

#[test]
fn instructions_say_where_to_click_and_what_to_wait_for() {
    let text = channel_group_instructions().to_text();
    assert!(text.contains("Admin"));
    assert!(text.contains("Channel groups"));
    assert!(text.contains("above Paid Search"));
    assert!(text.contains("30 days"));
    assert!(text.contains("14 days"));
    assert!(text.starts_with("Create the channel group"));
    assert!(text.contains("\n 1. "));

    let text = funnel_instructions("purchase", Some("spring-sale-2025")).to_text();
    assert!(text.contains("Funnel exploration"));
    assert!(text.contains("Mark “purchase” as a key event"));
    assert!(text.contains("spring-sale-2025"));
    assert!(text.contains("14 days"));

    let text = report_instructions(None).to_text();
    assert!(text.contains("Free form"));
    assert!(text.contains("sessionManualAdContent"));
}

#[test]
fn apply_script_posts_the_three_documents_to_the_property() {
    let script = apply_script("123456789", "purchase", Some("spring-sale-2025"));
    assert!(script.starts_with("#!/usr/bin/env bash\n"));
    assert!(script.contains("gcloud auth print-access-token"));
    assert!(script.contains("PROPERTY=123456789"));
    for endpoint in [
        "https://analyticsadmin.googleapis.com/v1alpha/properties/$PROPERTY/channelGroups",
        "https://analyticsdata.googleapis.com/v1alpha/properties/$PROPERTY:runFunnelReport",
        "https://analyticsdata.googleapis.com/v1beta/properties/$PROPERTY:runReport",
    ] {
        assert!(script.contains(endpoint), "{endpoint}");
    }
    // Each here-document is the exact JSON.
    let docs: Vec<&str> = script
        .split("<<'JSON'\n")
        .skip(1)
        .map(|d| d.split("\nJSON\n").next().unwrap())
        .collect();
    assert_eq!(
        docs.len(),
        8,
        "three GA4 documents, then the measurement kit's five"
    );
    assert_eq!(docs[0], to_pretty_json(&channel_group()));
    assert_eq!(
        docs[1],
        to_pretty_json(&funnel_report("purchase", Some("spring-sale-2025")))
    );
    assert_eq!(
        docs[2],
        to_pretty_json(&exploration_report(Some("spring-sale-2025")))
    );
}

/// The GA4 cost data file for a known set of campaign days: header, order, keys (`utm_id`
/// derived from the campaign id, `chatgpt`, the buying model, `utm_campaign`), exact cost, an
/// unknown count as an empty cell, a day without known spend left out.
#[test]
fn cost_data_file_matches_its_golden_file() {
    use utmforge_core::ga4::{cost_csv, CampaignDay};
    use utmforge_core::BuyingModel;
    let day = |id: &str, slug: &str, medium, day: &str, imp, clicks, spend| CampaignDay {
        campaign_id: id.into(),
        slug: slug.into(),
        medium,
        day: day.into(),
        impressions: imp,
        clicks,
        spend_micros: spend,
    };
    let spring = "01936b2e-7c4a-7d00-8000-000000000001";
    let brand = "01936b2e-7c4a-7d00-8000-000000000002";
    let days = [
        day(
            brand,
            "brand-awareness",
            BuyingModel::Cpm,
            "2026-11-02",
            Some(48_000),
            Some(96),
            Some(144_000_000),
        ),
        day(
            spring,
            "spring-sale-2025",
            BuyingModel::Cpc,
            "2026-11-02",
            Some(3_000),
            Some(60),
            Some(7_500_000),
        ),
        day(
            spring,
            "spring-sale-2025",
            BuyingModel::Cpc,
            "2026-11-01",
            Some(2_400),
            None,
            Some(6_123_456),
        ),
        day(
            brand,
            "brand-awareness",
            BuyingModel::Cpm,
            "2026-11-01",
            Some(51_000),
            Some(80),
            None,
        ),
    ];
    let csv = String::from_utf8(cost_csv(&days)).unwrap();
    golden("cost_data.csv", csv.trim_end());
}
