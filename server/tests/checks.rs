//! Link checks through the REST API (the real router, a real database) against the loopback
//! test site: a campaign's check runs in the background, is polled until done, and leaves a
//! status on each creative; pasted URLs; the limits, roles and the private-address guard.

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
    Router,
};
use common::site::{site, QUERY};
use serde_json::{json, Value};

mod common;

async fn send(
    app: &Router,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, header::HeaderMap, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(format!("/api/v1{path}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let r = utmforge_testkit::http::send(app, request.body(body).unwrap()).await;
    let value = if r.body.is_empty() {
        Value::Null
    } else {
        r.json()
    };
    (r.status, r.headers, value)
}

/// A report's finding codes, in order.
fn codes(report: &utmforge_core::linkcheck::LinkReport) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code.as_str()).collect()
}

/// Polls a run until it is no longer running; answers it with every result.
async fn finished(app: &Router, location: &str) -> Value {
    let path = location.trim_start_matches("/api/v1");
    for _ in 0..600 {
        let (status, _, run) = send(app, Method::GET, path, None, None).await;
        assert_eq!(status, StatusCode::OK, "{run}");
        if run["state"] != "running" {
            return run;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the check did not finish");
}

#[test]
fn a_campaign_check_runs_in_the_background_and_leaves_a_status_on_each_creative() {
    common::run(async {
        let port = site();
        let dir = common::TempDir::new("checks-campaign");
        let app = common::app(&dir).await;
        let base = format!("http://127.0.0.1:{port}");
        let (status, _, campaign) = send(
            &app,
            Method::POST,
            "/campaigns",
            None,
            Some(json!({
                "name": "Spring sale", "buying_model": "cpc", "landing_url": format!("{base}/ok"),
                "conversion": "order_created", "status": "active"
            })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{campaign}");
        let id = campaign["id"].as_str().unwrap().to_owned();
        let mut creatives = Vec::new();
        for (variant, path) in [
            ("Keeps", "/keep"),
            ("Drops", "/drop"),
            ("Missing", "/missing"),
            ("No GA4", "/no-ga4"),
        ] {
            let (status, _, k) = send(
                &app,
                Method::POST,
                &format!("/campaigns/{id}/creatives"),
                None,
                Some(json!({
                    "variant": variant, "landing_url": format!("{base}{path}")
                })),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{k}");
            creatives.push((k["id"].as_str().unwrap().to_owned(), path));
        }

        // Nothing checked yet.
        let (status, _, statuses) = send(
            &app,
            Method::GET,
            &format!("/campaigns/{id}/check"),
            None,
            None,
        )
        .await;
        assert_eq!((status, statuses), (StatusCode::OK, json!([])));

        let (status, headers, run) = send(
            &app,
            Method::POST,
            &format!("/campaigns/{id}/check"),
            None,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{run}");
        let location = headers[header::LOCATION].to_str().unwrap().to_owned();
        assert_eq!(
            location,
            format!("/api/v1/checks/{}", run["id"].as_str().unwrap())
        );
        assert_eq!(run["total"], 4);
        assert_eq!(run["campaign_id"], id.as_str());

        let run = finished(&app, &location).await;
        assert_eq!(
            (run["state"].as_str(), run["done"].as_i64()),
            (Some("done"), Some(4)),
            "{run:#}"
        );
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        let mut seqs: Vec<i64> = results.iter().map(|r| r["seq"].as_i64().unwrap()).collect();
        seqs.sort();
        assert_eq!(
            seqs,
            [0, 1, 2, 3],
            "each result has its place in the order of arrival"
        );
        let verdict_of = |creative: &str| {
            results
                .iter()
                .find(|r| r["creative_id"] == creative)
                .map(|r| r["report"]["verdict"].as_str().unwrap().to_owned())
                .unwrap()
        };
        let expected = [
            ("/keep", "ok"),
            ("/drop", "broken"),
            ("/missing", "broken"),
            ("/no-ga4", "broken"),
        ];
        for ((creative, path), (_, verdict)) in creatives.iter().zip(expected) {
            assert_eq!(verdict_of(creative), verdict, "{path}");
        }
        // A poll for what is new after the third result answers only the fourth.
        let (_, _, tail) = send(
            &app,
            Method::GET,
            &format!("{}?from=3", location.trim_start_matches("/api/v1")),
            None,
            None,
        )
        .await;
        assert_eq!(tail["results"].as_array().unwrap().len(), 1);
        assert_eq!(tail["results"][0]["seq"], 3);

        // Each creative keeps its latest status; the broken ones say since when.
        let (_, _, statuses) = send(
            &app,
            Method::GET,
            &format!("/campaigns/{id}/check"),
            None,
            None,
        )
        .await;
        let statuses = statuses.as_array().unwrap();
        assert_eq!(statuses.len(), 4);
        for s in statuses {
            let broken = s["report"]["verdict"] == "broken";
            assert_eq!(s["broken_since"].is_i64(), broken, "{s:#}");
            assert_eq!(s["checked_at"], common::TODAY_MS);
        }
        let drop = statuses
            .iter()
            .find(|s| s["creative_id"] == creatives[1].0.as_str())
            .unwrap();
        assert_eq!(drop["report"]["findings"][0]["code"], "utm-dropped");
        assert!(drop["report"]["findings"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("/drop → /ok dropped utm_"));

        // Deleting a creative forgets its status.
        let (status, _, _) = send(
            &app,
            Method::DELETE,
            &format!("/creatives/{}?version=1", creatives[0].0),
            None,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, _, statuses) = send(
            &app,
            Method::GET,
            &format!("/campaigns/{id}/check"),
            None,
            None,
        )
        .await;
        assert_eq!(statuses.as_array().unwrap().len(), 3);
    })
}

#[test]
fn pasted_urls_are_checked_with_limits_roles_and_clear_errors() {
    common::run(async {
        let port = site();
        let dir = common::TempDir::new("checks-urls");
        let (app, cli) = common::bare_app(&dir).await;
        let (_, editor) = common::person(&cli, "editor@example.com", "editor").await;
        let (_, viewer) = common::person(&cli, "viewer@example.com", "viewer").await;
        let ok = format!("http://127.0.0.1:{port}/ok?{QUERY}");
        let missing = format!("http://127.0.0.1:{port}/missing?{QUERY}");

        let (status, headers, run) = send(
            &app,
            Method::POST,
            "/check",
            Some(&editor),
            Some(json!({"urls": [ok, missing]})),
        )
        .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{run}");
        assert!(run.get("campaign_id").is_none());
        let location = headers[header::LOCATION].to_str().unwrap().to_owned();
        // A viewer may read the run, not start one.
        let path = location.trim_start_matches("/api/v1").to_owned();
        let (status, _, _) = send(&app, Method::GET, &path, Some(&viewer), None).await;
        assert_eq!(status, StatusCode::OK);
        let run = {
            let mut run = Value::Null;
            for _ in 0..600 {
                run = send(&app, Method::GET, &path, Some(&editor), None).await.2;
                if run["state"] != "running" {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            run
        };
        assert_eq!(run["state"], "done", "{run:#}");
        let mut results = run["results"].as_array().unwrap().clone();
        results.sort_by_key(|r| r["position"].as_i64());
        assert_eq!(results[0]["report"]["verdict"], "ok");
        assert_eq!(results[1]["report"]["verdict"], "broken");
        assert_eq!(results[1]["report"]["findings"][0]["code"], "http-error");

        let (status, _, e) = send(
            &app,
            Method::POST,
            "/check",
            Some(&viewer),
            Some(json!({"urls": [ok]})),
        )
        .await;
        assert_eq!(
            (status, e["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("forbidden"))
        );

        // Bad input: a bounded, clear error naming the field; nothing starts.
        let many: Vec<String> = (0..101)
            .map(|i| format!("https://example.com/{i}"))
            .collect();
        let (status, _, e) = send(
            &app,
            Method::POST,
            "/check",
            Some(&editor),
            Some(json!({"urls": many})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(
            (e["error"]["code"].as_str(), e["error"]["field"].as_str()),
            (Some("too-many"), Some("urls"))
        );
        assert!(e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at most 100"));
        let (status, _, e) = send(
            &app,
            Method::POST,
            "/check",
            Some(&editor),
            Some(json!({"urls": [ok, "javascript:alert(1)", "not a url"]})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["all"].as_array().unwrap().len(), 2, "{e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("URL 2 "),
            "{e}"
        );
        // Each refusal: its status and code; nothing starts.
        let run_path = format!("{path}?from=-1");
        let refusals: [(Method, &str, Option<Value>, StatusCode, &str); 5] = [
            (
                Method::POST,
                "/check",
                Some(json!({"urls": []})),
                StatusCode::UNPROCESSABLE_ENTITY,
                "required",
            ),
            (
                Method::POST,
                "/check",
                Some(json!({"urls": [ok], "extra": 1})),
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown-field",
            ),
            (
                Method::GET,
                "/checks/no-such-run",
                None,
                StatusCode::NOT_FOUND,
                "not-found",
            ),
            (
                Method::GET,
                &run_path,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                "not-allowed",
            ),
            (
                Method::POST,
                "/campaigns/no-such-campaign/check",
                None,
                StatusCode::NOT_FOUND,
                "not-found",
            ),
        ];
        for (method, path, body, status, code) in refusals {
            let (got, _, e) = send(&app, method, path, Some(&editor), body).await;
            assert_eq!(
                (got, e["error"]["code"].as_str()),
                (status, Some(code)),
                "{path}: {e}"
            );
        }
        // Without credentials: 401.
        let (status, _, _) = send(
            &app,
            Method::POST,
            "/check",
            None,
            Some(json!({"urls": [ok]})),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    })
}

#[test]
fn the_guard_checks_every_hop_not_only_the_first() {
    use utmforge_service::linkcheck::{check_all, Checker};
    common::run(async {
        let port = site();
        // 127.0.0.1 (the site) is allowed; every other private address is not.
        let checker = Checker::allowing(vec!["127.0.0.1".parse().unwrap()]).unwrap();
        let urls = [
            format!("http://127.0.0.1:{port}/ok?{QUERY}"),
            format!("http://127.0.0.1:{port}/to-127-0-0-2?{QUERY}"),
            format!("http://127.0.0.2:{port}/ok?{QUERY}"),
            format!("http://10.0.0.1/?{QUERY}"),
            format!("http://169.254.169.254/latest/meta-data/?{QUERY}"),
            format!("http://[::1]:{port}/ok?{QUERY}"),
            // A TLS handshake with a server that speaks plain HTTP: an error with its text.
            format!("https://127.0.0.1:{port}/ok?{QUERY}"),
        ];
        let reports = check_all(&checker, &urls).await;
        let codes = |i: usize| codes(&reports[i]);
        assert_eq!(
            reports[0].verdict,
            utmforge_core::linkcheck::Verdict::Ok,
            "{:#?}",
            reports[0]
        );
        // The redirect from the allowed site was answered (one hop) but not followed.
        assert_eq!(codes(1), ["private-address"], "{:#?}", reports[1]);
        assert_eq!(reports[1].hops.len(), 1);
        assert!(reports[1].findings[0].message.contains("127.0.0.2"));
        for (i, report) in reports.iter().enumerate().take(6).skip(2) {
            assert_eq!(codes(i), ["private-address"], "{report:#?}");
            assert!(report.hops.is_empty(), "nothing was fetched");
        }
        assert_eq!(codes(6), ["unreachable"], "{:#?}", reports[6]);
        let tls = &reports[6].findings[0].message;
        assert!(tls.contains("TLS error"), "{tls}");
    })
}

/// A re-encoded value is a warning; a page slower than the limit is an error that says so.
#[test]
fn a_reencoded_value_warns_and_a_slow_page_times_out() {
    use utmforge_service::linkcheck::{check_all, Checker};
    common::run(async {
        let port = site();
        let checker = Checker::new(true)
            .unwrap()
            .with_url_timeout(std::time::Duration::from_secs(1));
        let reports = check_all(
            &checker,
            &[
                format!("http://127.0.0.1:{port}/reencode?{QUERY}"),
                format!("http://127.0.0.1:{port}/slow?{QUERY}"),
            ],
        )
        .await;
        let codes = |i: usize| codes(&reports[i]);
        assert_eq!(
            reports[0].verdict,
            utmforge_core::linkcheck::Verdict::Warning
        );
        assert!(
            codes(0).iter().all(|c| *c == "utm-reencoded"),
            "{:#?}",
            reports[0]
        );
        assert_eq!(codes(1), ["unreachable"], "{:#?}", reports[1]);
        assert!(reports[1].findings[0]
            .message
            .contains("no answer within 1 s"));
    })
}
