//! The web-platform-tests URL suite: every valid http(s) URL in it, tagged, keeps its host, path,
//! foreign query and fragment; the ones with credentials are rejected.

use serde_json::Value;
use utmforge_core::{tag, BuyingModel, Code, TagRequest};

fn cases() -> Vec<Value> {
    let text = include_str!("data/urltestdata.json");
    let all: Vec<Value> = serde_json::from_str(text).expect("urltestdata.json parses");
    all.into_iter()
        .filter(|e| {
            e.get("href").is_some()
                && matches!(e["protocol"].as_str(), Some("http:") | Some("https:"))
        })
        .collect()
}

fn request(url: &str) -> TagRequest {
    TagRequest {
        url: url.to_string(),
        campaign: "wpt".into(),
        medium: BuyingModel::Cpc,
        content: Some("case".into()),
        term: None,
        id: None,
    }
}

/// The non-empty `&`-separated pieces of a query that are not UTM parameters.
fn foreign(search: &str) -> Vec<String> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.to_ascii_lowercase().starts_with("utm_"))
        .map(str::to_string)
        .collect()
}

#[test]
fn valid_http_urls_survive_tagging_intact() {
    let cases = cases();
    assert!(
        cases.len() > 200,
        "expected the full suite, got {}",
        cases.len()
    );
    let mut checked = 0;
    for case in &cases {
        let href = case["href"].as_str().unwrap();
        if !case["username"].as_str().unwrap().is_empty()
            || !case["password"].as_str().unwrap().is_empty()
        {
            continue;
        }
        let tagged = tag(&request(href)).unwrap_or_else(|e| panic!("{href}: {e}"));
        let out =
            url::Url::parse(&tagged.url).unwrap_or_else(|e| panic!("{href} → {}: {e}", tagged.url));
        assert_eq!(out.as_str(), tagged.url, "the output is already serialized");

        let host = match out.port() {
            Some(port) => format!("{}:{port}", out.host_str().unwrap()),
            None => out.host_str().unwrap().to_string(),
        };
        assert_eq!(host, case["host"].as_str().unwrap(), "host of {href}");
        assert_eq!(
            out.path(),
            case["pathname"].as_str().unwrap(),
            "path of {href}"
        );
        assert_eq!(
            foreign(out.query().unwrap_or("")),
            foreign(case["search"].as_str().unwrap()),
            "foreign query of {href}"
        );
        assert_eq!(
            // Like the URL API's `hash`: an empty fragment reads as "".
            out.fragment()
                .filter(|f| !f.is_empty())
                .map(|f| format!("#{f}"))
                .unwrap_or_default(),
            case["hash"].as_str().unwrap(),
            "fragment of {href}"
        );
        assert_eq!(
            out.query_pairs().filter(|(k, _)| k == "utm_source").count(),
            1
        );
        checked += 1;
    }
    assert!(checked > 180, "only {checked} URLs checked");
}

#[test]
fn urls_with_credentials_are_rejected() {
    let mut rejected = 0;
    for case in cases() {
        let href = case["href"].as_str().unwrap();
        if case["username"].as_str().unwrap().is_empty()
            && case["password"].as_str().unwrap().is_empty()
        {
            continue;
        }
        let err = tag(&request(href)).expect_err(href);
        assert_eq!(err.first().code, Code::CredentialsInUrl, "{href}");
        rejected += 1;
    }
    assert!(rejected >= 20, "only {rejected} URLs with credentials");
}
