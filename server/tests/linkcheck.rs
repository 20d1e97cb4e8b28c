//! `utmforge check` against a test site served on loopback by this test (no test reaches the
//! internet): redirects that keep, drop or loop the query, a 404, a pixel in `<body>`, a meta
//! refresh — and the private-address guard, which refuses loopback unless allowed.

use axum::extract::RawQuery;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::Value;
use std::process::Command;

const GOOD_HEAD: &str = r#"<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST123"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('config', 'G-TEST123');</script>
<script>oaiq("init", "oai-px-test1"); oaiq("measure", "page_viewed");</script>"#;

fn page(head: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html><head><title>Landing</title>{head}</head><body><h1>Deals</h1>{body}</body></html>"
    ))
}

fn redirect(to: String) -> Response {
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response()
}

fn with_query(path: &str, query: Option<String>) -> String {
    match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    }
}

/// The test site on a free loopback port, served from its own thread for the life of the test
/// process.
fn site() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = Router::new()
        .route("/ok", get(|| async { page(GOOD_HEAD, "") }))
        .route(
            "/keep",
            get(|RawQuery(q): RawQuery| async move { redirect(with_query("/ok", q)) }),
        )
        .route("/drop", get(|| async { redirect("/ok".into()) }))
        .route(
            "/loop-a",
            get(|RawQuery(q): RawQuery| async move { redirect(with_query("/loop-b", q)) }),
        )
        .route(
            "/loop-b",
            get(|RawQuery(q): RawQuery| async move { redirect(with_query("/loop-a", q)) }),
        )
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/pixel-in-body",
            get(|| async {
                page(
                    &GOOD_HEAD[..GOOD_HEAD.find("<script>oaiq").unwrap()],
                    r#"<script>oaiq("init", "oai-px-test1"); oaiq("measure", "page_viewed");</script>"#,
                )
            }),
        )
        .route(
            "/meta",
            get(|RawQuery(q): RawQuery| async move {
                let to = with_query("/ok", q);
                page(&format!(r#"<meta http-equiv="refresh" content="0; url={to}">"#), "")
            }),
        )
        .route(
            "/to-localhost",
            get(move |RawQuery(q): RawQuery| async move {
                redirect(with_query(&format!("http://localhost:{port}/ok"), q))
            }),
        );
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
    });
    port
}

const QUERY: &str =
    "utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=headline-a";

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
