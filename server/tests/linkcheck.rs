//! `utmforge check` against a test site served on loopback by this test (no test reaches the
//! internet): redirects that keep, drop or loop the query, a 404, a pixel in `<body>`, a meta
//! refresh — and the private-address guard, which refuses loopback unless allowed.

mod common;

use common::site::{site, QUERY};
use serde_json::Value;
use std::process::Command;

/// Runs `utmforge check --json` and returns (exit code, one report per URL).
fn check(urls: &[String], allow_private: bool) -> (i32, Vec<Value>) {
    let mut args = vec!["check".to_string(), "--json".to_string()];
    if allow_private {
        args.push("--link-check-allow-private".into());
    }
    args.extend(urls.iter().cloned());
    let out = Command::new(env!("CARGO_BIN_EXE_utmforge"))
        .args(&args)
        .output()
        .unwrap();
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap(),
        reports.as_array().unwrap().clone(),
    )
}

fn codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn each_kind_of_landing_site_gets_its_verdict_and_codes() {
    let port = site();
    let url = |path: &str| format!("http://127.0.0.1:{port}{path}?{QUERY}");
    let cases: [(&str, &str, &[&str]); 7] = [
        ("/ok", "ok", &[]),
        ("/keep", "ok", &[]),
        (
            "/drop",
            "broken",
            &["utm-dropped", "utm-dropped", "utm-dropped", "utm-dropped"],
        ),
        ("/loop-a", "broken", &["redirect-loop"]),
        ("/missing", "broken", &["http-error"]),
        ("/pixel-in-body", "warning", &["pixel-in-body"]),
        ("/meta", "ok", &[]),
    ];
    let urls: Vec<String> = cases.iter().map(|(path, _, _)| url(path)).collect();
    let (code, reports) = check(&urls, true);
    assert_eq!(code, 1, "some URLs have findings");
    for ((path, verdict, expected), report) in cases.iter().zip(&reports) {
        assert_eq!(report["url"], url(path), "reports keep the order asked");
        assert_eq!(report["verdict"], *verdict, "{path}: {report:#}");
        assert_eq!(codes(report), *expected, "{path}: {report:#}");
    }
    // The drop is named at its hop, as a person reads it.
    let drop = &reports[2];
    assert!(drop["findings"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("/drop → /ok dropped utm_"));
    assert_eq!(drop["hops"][0]["status"], 301);
    // The meta refresh was followed like a redirect, and the page was read.
    let meta = &reports[6];
    assert_eq!(meta["hops"].as_array().unwrap().len(), 2, "{meta:#}");
    assert_eq!(meta["page"]["ga4_ids"][0], "G-TEST123");

    let (code, reports) = check(&[url("/ok")], true);
    assert_eq!((code, reports[0]["verdict"].as_str()), (0, Some("ok")));
}

#[test]
fn loopback_is_refused_unless_allowed_also_by_name_and_through_a_redirect() {
    let port = site();
    let by_ip = format!("http://127.0.0.1:{port}/ok?{QUERY}");
    let by_name = format!("http://localhost:{port}/ok?{QUERY}");
    let (code, reports) = check(&[by_ip.clone(), by_name], false);
    assert_eq!(code, 1);
    for report in &reports {
        assert_eq!(codes(report), ["private-address"], "{report:#}");
        assert_eq!(
            report["hops"].as_array().unwrap().len(),
            0,
            "nothing was fetched"
        );
    }
    // Allowed, the site answers; a redirect from it to a name that resolves to loopback is
    // followed only because private addresses are allowed.
    let bounce = format!("http://127.0.0.1:{port}/to-localhost?{QUERY}");
    let (_, reports) = check(&[bounce], true);
    assert_eq!(reports[0]["verdict"], "ok", "{:#}", reports[0]);
    assert_eq!(reports[0]["hops"].as_array().unwrap().len(), 2);
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_utmforge"))
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// A campaign with one creative per path of the test site, in a fresh database; answers the
/// database's URL.
fn seeded_campaign(dir: &common::TempDir, port: u16, paths: &[&str]) -> String {
    use utmforge_core::{CampaignDraft, CreativeDraft};
    use utmforge_service::{campaigns, creatives, Actor, Ctx};
    let url = dir.database_url();
    common::run(async {
        let store = utmforge_store::Store::open(&url).await.unwrap();
        let ctx = Ctx::new(store.clone(), Actor::Cli);
        let c = campaigns::create(
            &ctx,
            CampaignDraft {
                name: "Spring sale".into(),
                buying_model: "cpc".into(),
                landing_url: format!("http://127.0.0.1:{port}/ok"),
                conversion: "order_created".into(),
                status: "active".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        for path in paths {
            creatives::create(
                &ctx,
                &c.id,
                CreativeDraft {
                    variant: format!("v{}", path.trim_start_matches('/')),
                    landing_url: format!("http://127.0.0.1:{port}{path}"),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        store.close().await;
    });
    url
}

#[test]
fn check_campaign_follows_every_creative_and_stores_the_statuses() {
    let port = site();
    let dir = common::TempDir::new("check-campaign-cli");
    let url = seeded_campaign(&dir, port, &["/keep", "/drop"]);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_utmforge"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&[
        "check",
        "--campaign",
        "spring-sale",
        "--json",
        "--link-check-allow-private",
        "--database-url",
        &url,
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdicts: Vec<&str> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        ["ok", "broken"],
        "in the campaign's order: {reports:#}"
    );

    // The page and the API show what the command found.
    let statuses = common::run(async {
        let store = utmforge_store::Store::open(&url).await.unwrap();
        let ctx = utmforge_service::Ctx::new(store.clone(), utmforge_service::Actor::Cli);
        let c = utmforge_service::campaigns::find(&ctx, "spring-sale")
            .await
            .unwrap();
        let s = utmforge_service::checks::campaign_statuses(&ctx, &c.id)
            .await
            .unwrap();
        store.close().await;
        s
    });
    assert_eq!(statuses.len(), 2);
    assert_eq!(
        statuses.iter().filter(|s| s.broken_since.is_some()).count(),
        1
    );

    // Without the flag the loopback site is refused; an unknown campaign is a usage error.
    let out = run(&["check", "--campaign", "spring-sale", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("[private-address]"));
    let out = run(&["check", "--campaign", "autumn", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("no campaign has utm_campaign (or id) “autumn”"));
    let out = run(&["check", "--campaign", "spring-sale", "https://example.com/"]);
    assert_eq!(out.status.code(), Some(2), "a campaign or URLs, not both");
}
