//! Sign-in, roles and the protections of a server exposed to a network, through the real
//! router and a real SQLite file: the role table (every REST route and server function, as
//! each role and as nobody), cross-site refusals, the brute-force limit, session expiry, the
//! security headers.

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
    Router,
};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use utmforge_service::Clock;

mod common;

const ORIGIN: &str = "http://127.0.0.1:3000";

use utmforge_testkit::http::{send, Reply};

/// A request as a same-origin browser page or a script makes it.
fn request(
    method: Method,
    uri: &str,
    auth: Option<&str>,
    body: Option<(&str, String)>,
) -> Request<Body> {
    let mut r = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, ORIGIN);
    if let Some(token) = auth {
        r = r.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    match body {
        Some((content_type, text)) => r
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(text))
            .unwrap(),
        None => r.body(Body::empty()).unwrap(),
    }
}

fn server_fn(name: &str) -> String {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .find(|path| {
            let rest = path.trim_start_matches("/api/");
            rest.starts_with(name) && rest[name.len()..].chars().all(|c| c.is_ascii_digit())
        })
        .unwrap_or_else(|| panic!("no server function {name}"))
        .to_string()
}

fn form(fields: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Signs in through the sign-in server function and returns the session cookie (`name=value`).
async fn sign_in(app: &Router, email: &str, password: &str) -> Result<String, Box<Reply>> {
    let r = Request::post("/api/account/sign-in")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(form(&[
            ("email", email),
            ("password", password),
            ("next", "/"),
        ])))
        .unwrap();
    let reply = send(app, r).await;
    let cookie = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("utmforge_session="))
        .map(str::to_string);
    match cookie {
        Some(c) if reply.status.is_success() || reply.status.is_redirection() => Ok(c),
        _ => Err(Box::new(reply)),
    }
}

fn with_cookie(mut r: Request<Body>, cookie: &str) -> Request<Body> {
    let pair = cookie.split(';').next().unwrap().to_string();
    r.headers_mut()
        .insert(header::COOKIE, pair.parse().unwrap());
    r
}

struct Team {
    app: Router,
    cli: utmforge_service::Ctx,
    tokens: Vec<(&'static str, String)>,
    campaign: String,
    creative: String,
    _dir: common::TempDir,
}

/// A request body: its content type and text.
type RequestBody<'a> = Option<(&'a str, String)>;
/// A server function's form fields.
type Fields<'a> = Vec<(&'a str, String)>;

/// Form fields with owned values, as the table holds them.
fn owned<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Fields<'a> {
    pairs.into_iter().map(|(k, v)| (k, v.to_string())).collect()
}

/// A campaign form, every field (as the page posts it).
const CAMPAIGN_DRAFT: [(&str, &str); 8] = [
    ("draft[name]", "Role table"),
    ("draft[slug]", ""),
    ("draft[buying_model]", "cpc"),
    ("draft[topic]", ""),
    ("draft[landing_url]", "https://example.com/"),
    ("draft[conversion]", "lead_created"),
    ("draft[status]", "draft"),
    ("draft[notes]", ""),
];

/// A creative form, every field (a variant no other creative has; empty where allowed).
const CREATIVE_DRAFT: [(&str, &str); 5] = [
    ("draft[variant]", ""),
    ("draft[topic]", ""),
    ("draft[landing_url]", ""),
    ("draft[headline]", ""),
    ("draft[notes]", ""),
];

const ROLES: [&str; 4] = ["viewer", "editor", "admin", "owner"];

async fn team(name: &str, clock: Clock) -> Team {
    let dir = common::TempDir::new(&format!("accounts-{name}"));
    let store = utmforge_store::Store::open(&dir.database_url())
        .await
        .unwrap();
    let (app, cli) = common::bare_app_with(store, clock);
    let mut tokens = Vec::new();
    for role in ROLES {
        let (_, token) = common::person(&cli, &format!("{role}@example.com"), role).await;
        tokens.push((role, token));
    }
    let owner = tokens[3].1.clone();
    let c = send(
        &app,
        request(
            Method::POST,
            "/api/v1/campaigns",
            Some(&owner),
            Some(("application/json", json!({"name": "Table", "buying_model": "cpc", "landing_url": "https://example.com/", "conversion": "lead_created"}).to_string())),
        ),
    )
    .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let campaign = serde_json::from_str::<Value>(&c.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let k = send(
        &app,
        request(
            Method::POST,
            &format!("/api/v1/campaigns/{campaign}/creatives"),
            Some(&owner),
            Some(("application/json", json!({"variant": "A"}).to_string())),
        ),
    )
    .await;
    assert_eq!(k.status, StatusCode::CREATED, "{}", k.body);
    let creative = serde_json::from_str::<Value>(&k.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    Team {
        app,
        cli,
        tokens,
        campaign,
        creative,
        _dir: dir,
    }
}

#[test]
fn every_route_and_server_function_answers_each_role_as_the_table_says() {
    common::run(async {
        let t = team("table", Clock::Fixed(common::TODAY_MS)).await;
        let (c, k) = (t.campaign.clone(), t.creative.clone());
        let json_body = |v: Value| Some(("application/json", v.to_string()));
        // (method, path, body, the lowest role that may). Writes use ids that do not exist
        // (or a stale version) where a success would change the data the next row needs:
        // the role is checked before anything is looked up, so the answer is 404/409, not 403.
        let rest: Vec<(Method, String, RequestBody, &str)> = vec![
            (Method::GET, "/api/v1/campaigns".into(), None, "viewer"),
            (
                Method::POST,
                "/api/v1/campaigns".into(),
                // Every required member (the door checks a body's shape first), the name empty.
                json_body(
                    json!({"name": "", "buying_model": "cpc", "landing_url": "https://example.com/", "conversion": "lead_created"}),
                ),
                "editor",
            ),
            (
                Method::GET,
                format!("/api/v1/campaigns/{c}"),
                None,
                "viewer",
            ),
            (
                Method::PUT,
                "/api/v1/campaigns/nope".into(),
                json_body(
                    json!({"version": 1, "name": "N", "slug": "", "buying_model": "cpc", "topic": "", "landing_url": "https://example.com/", "conversion": "lead_created", "status": "draft", "notes": ""}),
                ),
                "editor",
            ),
            (
                Method::PATCH,
                "/api/v1/campaigns/nope".into(),
                json_body(json!({"version": 1, "name": "x"})),
                "editor",
            ),
            (
                Method::DELETE,
                "/api/v1/campaigns/nope?version=1".into(),
                None,
                "editor",
            ),
            (
                Method::GET,
                format!("/api/v1/campaigns/{c}/export.csv"),
                None,
                "viewer",
            ),
            (Method::GET, "/api/v1/export.csv".into(), None, "viewer"),
            (
                Method::GET,
                format!("/api/v1/campaigns/{c}/creatives"),
                None,
                "viewer",
            ),
            (
                Method::POST,
                format!("/api/v1/campaigns/{c}/creatives"),
                json_body(json!({"variant": ""})),
                "editor",
            ),
            (
                Method::GET,
                format!("/api/v1/creatives/{k}"),
                None,
                "viewer",
            ),
            (
                Method::PUT,
                "/api/v1/creatives/nope".into(),
                json_body(
                    json!({"version": 1, "variant": "x", "topic": "", "landing_url": "", "headline": "", "description": "", "notes": ""}),
                ),
                "editor",
            ),
            (
                Method::PATCH,
                "/api/v1/creatives/nope".into(),
                json_body(json!({"version": 1})),
                "editor",
            ),
            (
                Method::DELETE,
                "/api/v1/creatives/nope?version=1".into(),
                None,
                "editor",
            ),
            (
                Method::POST,
                format!("/api/v1/campaigns/{c}/import?dry_run=true"),
                Some(("text/csv", "content\nB\n".into())),
                "editor",
            ),
            (
                Method::POST,
                "/api/v1/tag".into(),
                json_body(json!({"url": "example.com", "campaign": "x", "medium": "cpc"})),
                "viewer",
            ),
            (
                Method::POST,
                "/api/v1/lint".into(),
                json_body(json!({"urls": ["https://example.com/"]})),
                "viewer",
            ),
            // ChatGPT Ads (this server has no Advertiser API key: the allowed roles get 503 or
            // 404, the others 403 first).
            (Method::GET, "/api/v1/ads/connection".into(), None, "viewer"),
            (Method::GET, "/api/v1/ads/campaigns".into(), None, "viewer"),
            (
                Method::GET,
                "/api/v1/ads/campaigns/cmpn_1/ad-groups".into(),
                None,
                "viewer",
            ),
            (
                Method::GET,
                format!("/api/v1/campaigns/{c}/ads"),
                None,
                "viewer",
            ),
            (
                Method::PUT,
                "/api/v1/campaigns/nope/ads/link".into(),
                json_body(json!({"ads_campaign_id": "cmpn_1", "ad_group_id": "adgrp_1"})),
                "editor",
            ),
            (
                Method::PUT,
                "/api/v1/campaigns/nope/ads".into(),
                json_body(json!({"links": []})),
                "editor",
            ),
            (
                Method::POST,
                format!("/api/v1/campaigns/{c}/ads/sync"),
                None,
                "viewer",
            ),
            (
                Method::POST,
                format!("/api/v1/campaigns/{c}/ads/publish?dry_run=true"),
                None,
                "viewer",
            ),
            (
                Method::POST,
                "/api/v1/campaigns/nope/ads/publish".into(),
                None,
                "editor",
            ),
            (
                Method::POST,
                "/api/v1/campaigns/nope/ads/create".into(),
                json_body(
                    json!({"creative_id": "x", "title": "Sale", "body": "", "image_url": "https://a.example/i.png"}),
                ),
                "editor",
            ),
            (
                Method::GET,
                "/api/v1/campaigns/nope/ads/results".into(),
                None,
                "viewer",
            ),
            (
                Method::POST,
                "/api/v1/campaigns/nope/ads/results/pull".into(),
                None,
                "viewer",
            ),
            (
                Method::GET,
                "/api/v1/campaigns/nope/ads/results.csv".into(),
                None,
                "viewer",
            ),
            (
                Method::GET,
                "/api/v1/ga4/channel-group".into(),
                None,
                "viewer",
            ),
            (
                Method::GET,
                "/api/v1/ga4/cost-data.csv".into(),
                None,
                "viewer",
            ),
            (
                Method::GET,
                format!("/api/v1/campaigns/{c}/ga4/funnel"),
                None,
                "viewer",
            ),
            (
                Method::GET,
                format!("/api/v1/campaigns/{c}/ga4/report"),
                None,
                "viewer",
            ),
            (
                Method::GET,
                format!("/api/v1/activity?campaign_id={c}"),
                None,
                "viewer",
            ),
            (Method::GET, "/api/v1/activity".into(), None, "admin"),
            // Link checks: starting one fetches what is named (editor); reading is viewer's.
            (
                Method::POST,
                "/api/v1/check".into(),
                json_body(json!({"urls": []})),
                "editor",
            ),
            (
                Method::POST,
                "/api/v1/campaigns/nope/check".into(),
                None,
                "editor",
            ),
            (
                Method::GET,
                format!("/api/v1/campaigns/{c}/check"),
                None,
                "viewer",
            ),
            (Method::GET, "/api/v1/checks/nope".into(), None, "viewer"),
            // The measurement kit: documents and validation, nothing stored or sent.
            (
                Method::GET,
                "/api/v1/tracking?pixel_id=4Ab2xYz9Qw".into(),
                None,
                "viewer",
            ),
            (
                Method::POST,
                "/api/v1/capi/validate".into(),
                json_body(json!({"events": []})),
                "viewer",
            ),
            // Settings: everyone reads the team's rules (the forms suggest topics); admins change them.
            (Method::GET, "/api/v1/settings".into(), None, "viewer"),
            (
                Method::PUT,
                "/api/v1/settings".into(),
                json_body(json!({"version": 99, "rules": {}})),
                "admin",
            ),
            // Link history and the problems filter: reading.
            (
                Method::GET,
                format!("/api/v1/creatives/{k}/history"),
                None,
                "viewer",
            ),
            (
                Method::GET,
                "/api/v1/link-history?date=2026-11-26".into(),
                None,
                "viewer",
            ),
            (
                Method::GET,
                "/api/v1/link-history.csv?date=2026-11-26".into(),
                None,
                "viewer",
            ),
            (
                Method::GET,
                "/api/v1/campaigns?problems=true".into(),
                None,
                "viewer",
            ),
            // Search and pages, clone, bulk (a preview reads; applying writes), the trash.
            (
                Method::GET,
                "/api/v1/campaigns?q=spring&sort=name&limit=5".into(),
                None,
                "viewer",
            ),
            (
                Method::POST,
                "/api/v1/campaigns/nope/clone".into(),
                json_body(json!({"name": "Copy"})),
                "editor",
            ),
            (
                Method::POST,
                format!("/api/v1/campaigns/{c}/creatives/bulk"),
                json_body(json!({"ids": [k], "topic": "x"})),
                "viewer",
            ),
            (
                Method::POST,
                format!("/api/v1/campaigns/{c}/creatives/bulk"),
                json_body(json!({"ids": [k], "topic": "x", "version": 999})),
                "editor",
            ),
            (Method::GET, "/api/v1/trash".into(), None, "viewer"),
            (
                Method::POST,
                "/api/v1/trash/nope/restore".into(),
                json_body(json!({})),
                "editor",
            ),
        ];
        for (method, path, body, lowest) in &rest {
            let nobody = send(&t.app, request(method.clone(), path, None, body.clone())).await;
            assert_eq!(
                (nobody.status, nobody.code().as_str()),
                (StatusCode::UNAUTHORIZED, "unauthenticated"),
                "nobody: {method} {path}: {}",
                nobody.body
            );
            for (role, token) in &t.tokens {
                let reply = send(
                    &t.app,
                    request(method.clone(), path, Some(token), body.clone()),
                )
                .await;
                let allowed =
                    ROLES.iter().position(|r| r == role) >= ROLES.iter().position(|r| r == lowest);
                if allowed {
                    assert!(
                        !matches!(
                            reply.status,
                            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
                        ),
                        "{role}: {method} {path} should be allowed: {} {}",
                        reply.status,
                        reply.body
                    );
                } else {
                    assert_eq!(
                        (reply.status, reply.code().as_str()),
                        (StatusCode::FORBIDDEN, "forbidden"),
                        "{role}: {method} {path}: {}",
                        reply.body
                    );
                }
            }
        }

        // Server functions: (name, form fields, lowest role). The same rules, the same answers.
        let fns: Vec<(&str, Fields, &str)> = vec![
            ("list_campaigns", vec![], "viewer"),
            ("get_campaign_head", vec![("id", c.clone())], "viewer"),
            ("get_campaign_row", vec![("id", c.clone())], "viewer"),
            (
                "search_campaign_page",
                vec![("id", c.clone()), ("q", "hero".into())],
                "viewer",
            ),
            (
                "clone_campaign",
                vec![("id", "nope".into()), ("name", "Copy".into())],
                "editor",
            ),
            (
                "preview_bulk",
                vec![
                    ("campaign_id", c.clone()),
                    ("change[ids][0]", k.clone()),
                    ("change[topic]", "x".into()),
                ],
                "viewer",
            ),
            (
                "apply_bulk",
                vec![
                    ("campaign_id", c.clone()),
                    ("version", "999".into()),
                    ("change[ids][0]", k.clone()),
                    ("change[topic]", "x".into()),
                ],
                "editor",
            ),
            ("get_trash", vec![], "viewer"),
            ("restore_trashed", vec![("id", "nope".into())], "editor"),
            (
                "audit_urls",
                vec![("text", "https://example.com/".into())],
                "viewer",
            ),
            ("get_ga4_setup", vec![], "viewer"),
            ("get_settings", vec![], "viewer"),
            (
                "save_settings",
                vec![
                    ("version", "99".into()),
                    ("domains", String::new()),
                    ("domain_mode", "refuse".into()),
                    ("topics", String::new()),
                    ("topic_mode", "refuse".into()),
                ],
                "admin",
            ),
            (
                "get_tracking",
                vec![
                    ("pixel_id", "4Ab2xYz9Qw".into()),
                    ("measurement_id", String::new()),
                    ("currency", String::new()),
                ],
                "viewer",
            ),
            (
                "start_campaign_check",
                vec![("campaign_id", "nope".into())],
                "editor",
            ),
            ("start_url_check", vec![("text", String::new())], "editor"),
            (
                "poll_check",
                vec![("id", "nope".into()), ("from", "0".into())],
                "viewer",
            ),
            ("get_link_statuses", vec![("id", c.clone())], "viewer"),
            (
                "create_campaign",
                vec![("draft[name]", String::new())],
                "editor",
            ),
            (
                "delete_campaign",
                vec![("id", "nope".into()), ("version", "1".into())],
                "editor",
            ),
            (
                "delete_creative",
                vec![("id", "nope".into()), ("version", "1".into())],
                "editor",
            ),
            (
                "preview_import",
                vec![("campaign_id", c.clone()), ("text", "content\nB\n".into())],
                "editor",
            ),
            ("list_people", vec![], "admin"),
            ("invite", vec![("role", "editor".into())], "admin"),
            ("withdraw_invitation", vec![("id", "nope".into())], "admin"),
            ("list_activity", vec![], "admin"),
            ("list_my_tokens", vec![], "viewer"),
            ("get_campaign", vec![("id", c.clone())], "viewer"),
            ("get_creative", vec![("id", k.clone())], "viewer"),
            ("get_creative_history", vec![("id", k.clone())], "viewer"),
            ("get_campaign_ga4", vec![("id", c.clone())], "viewer"),
            ("get_ads_connection", vec![], "viewer"),
            ("get_campaign_ads", vec![("id", c.clone())], "viewer"),
            (
                "link_ads_campaign",
                vec![
                    ("campaign_id", "nope".into()),
                    ("ads_campaign_id", "cmpn_1".into()),
                    ("ad_group_id", "adgrp_1".into()),
                ],
                "editor",
            ),
            (
                "link_creative_ads",
                vec![
                    ("campaign_id", "nope".into()),
                    ("ad[creative-x]", "ad_1".into()),
                ],
                "editor",
            ),
            (
                "publish_ads",
                vec![("campaign_id", "nope".into())],
                "editor",
            ),
            (
                "create_creative_ad",
                vec![
                    ("campaign_id", "nope".into()),
                    ("creative_id", "x".into()),
                    ("title", "Sale".into()),
                    ("body", String::new()),
                    ("image_url", "https://a.example/i.png".into()),
                ],
                "editor",
            ),
            ("sync_ads", vec![("campaign_id", c.clone())], "viewer"),
            (
                "get_campaign_results",
                vec![("id", c.clone()), ("page", "1".into())],
                "viewer",
            ),
            (
                "pull_ads_results",
                vec![("campaign_id", c.clone())],
                "viewer",
            ),
            (
                "preview_creative",
                [("campaign_id", c.as_str())]
                    .into_iter()
                    .chain(CREATIVE_DRAFT)
                    .map(|(k, v)| (k, v.to_string()))
                    .collect(),
                "viewer",
            ),
            (
                "preview_slug",
                vec![("name", "Spring".into()), ("slug", String::new())],
                "viewer",
            ),
            ("list_activity", vec![("campaign_id", c.clone())], "viewer"),
            (
                "update_campaign",
                owned(
                    [("id", "nope"), ("version", "1")]
                        .into_iter()
                        .chain(CAMPAIGN_DRAFT),
                ),
                "editor",
            ),
            (
                "create_creative",
                vec![
                    ("campaign_id", c.clone()),
                    ("draft[variant]", String::new()),
                ],
                "editor",
            ),
            (
                "update_creative",
                owned(
                    [("id", "nope"), ("version", "1")]
                        .into_iter()
                        .chain(CREATIVE_DRAFT),
                ),
                "editor",
            ),
            (
                "run_import",
                vec![
                    ("campaign_id", c.clone()),
                    ("text", "content\nB\n".into()),
                    ("token", "stale".into()),
                ],
                "editor",
            ),
            (
                "update_person",
                vec![("id", "nope".into()), ("role", "viewer".into())],
                "admin",
            ),
            (
                "create_token",
                vec![("name", String::new()), ("role", "viewer".into())],
                "viewer",
            ),
            ("revoke_token", vec![("id", "nope".into())], "viewer"),
        ];
        // Server functions are what browsers call: with each role's session cookie.
        let mut cookies = Vec::new();
        for role in ROLES {
            let cookie = sign_in(&t.app, &format!("{role}@example.com"), common::PASSWORD)
                .await
                .unwrap_or_else(|r| panic!("{role}: {}", r.body));
            cookies.push((role, cookie));
        }
        for (name, fields, lowest) in &fns {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let path = server_fn(name);
            // The New ad form posts multipart/form-data (it may carry an image file).
            let body = match *name {
                "create_creative_ad" => (
                    "multipart/form-data; boundary=role-table",
                    fields
                        .iter()
                        .map(|(k, v)| format!("--role-table\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"))
                        .chain(["--role-table--\r\n".to_string()])
                        .collect::<String>(),
                ),
                _ => ("application/x-www-form-urlencoded", form(&fields)),
            };
            let call = |cookie: Option<&str>| {
                let mut r = request(Method::POST, &path, None, Some((body.0, body.1.clone())));
                r.headers_mut()
                    .insert(header::ACCEPT, "application/json".parse().unwrap());
                match cookie {
                    Some(cookie) => with_cookie(r, cookie),
                    None => r,
                }
            };
            let nobody = send(&t.app, call(None)).await;
            assert_eq!(
                nobody.status,
                StatusCode::UNAUTHORIZED,
                "nobody: {name}: {}",
                nobody.body
            );
            for (role, cookie) in &cookies {
                let reply = send(&t.app, call(Some(cookie))).await;
                let allowed =
                    ROLES.iter().position(|r| r == role) >= ROLES.iter().position(|r| r == lowest);
                assert_eq!(
                    reply.status == StatusCode::FORBIDDEN,
                    !allowed,
                    "{role}: {name}: {} {}",
                    reply.status,
                    reply.body
                );
                assert_ne!(reply.status, StatusCode::UNAUTHORIZED, "{role}: {name}");
            }
        }
        // An API token cannot mint tokens (a leaked one could otherwise outlive its revocation).
        let mut r = request(
            Method::POST,
            &server_fn("create_token"),
            Some(&t.tokens[3].1),
            Some((
                "application/x-www-form-urlencoded",
                form(&[("name", "minted"), ("role", "viewer")]),
            )),
        );
        r.headers_mut()
            .insert(header::ACCEPT, "application/json".parse().unwrap());
        assert_eq!(send(&t.app, r).await.status, StatusCode::FORBIDDEN);
        // The table names every server function but the sign-in ones (a new one must be
        // added here, with the role it needs).
        for (path, _) in leptos::server_fn::axum::server_fn_paths() {
            if path.starts_with("/api/account/") {
                continue;
            }
            assert!(
                fns.iter().any(|(name, _, _)| server_fn(name) == path),
                "{path} is not in the role table"
            );
        }
        // And every one of them refuses nobody.
        for (path, _) in leptos::server_fn::axum::server_fn_paths() {
            if path.starts_with("/api/account/") {
                continue;
            }
            let r = send(
                &t.app,
                request(
                    Method::POST,
                    path,
                    None,
                    Some(("application/x-www-form-urlencoded", String::new())),
                ),
            )
            .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "nobody: {path}");
        }
        // Pages: nobody is sent to sign in, with the page to come back to.
        let page = send(
            &t.app,
            request(Method::GET, "/campaigns?status=active", None, None),
        )
        .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(
            page.headers[header::LOCATION],
            "/login?next=%2Fcampaigns%3Fstatus%3Dactive"
        );
        let _ = &t.cli;
    });
}

#[test]
fn cookie_requests_from_another_site_are_refused_and_bodies_must_say_what_they_are() {
    common::run(async {
        let t = team("csrf", Clock::Fixed(common::TODAY_MS)).await;
        let cookie = sign_in(&t.app, "editor@example.com", common::PASSWORD)
            .await
            .unwrap_or_else(|r| panic!("{}", r.body));
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(
            !cookie.contains("Secure"),
            "plain http: not Secure ({cookie})"
        );
        let body = json!({"name": "Via cookie", "buying_model": "cpc", "landing_url": "https://example.com/", "conversion": "lead_created"}).to_string();
        let create = |origin: Option<&str>, fetch_site: Option<&str>, content_type: &str| {
            let mut r = with_cookie(
                request(
                    Method::POST,
                    "/api/v1/campaigns",
                    None,
                    Some((content_type, body.clone())),
                ),
                &cookie,
            );
            r.headers_mut().remove(header::ORIGIN);
            if let Some(o) = origin {
                r.headers_mut().insert(header::ORIGIN, o.parse().unwrap());
            }
            if let Some(s) = fetch_site {
                r.headers_mut().insert("sec-fetch-site", s.parse().unwrap());
            }
            r
        };
        for (origin, site) in [
            (Some("https://evil.example"), None),
            (None, None),
            (Some("null"), None),
            (Some(ORIGIN), Some("cross-site")),
            (None, Some("same-site")),
        ] {
            let r = send(&t.app, create(origin, site, "application/json")).await;
            assert_eq!(
                (r.status, r.code().as_str()),
                (StatusCode::FORBIDDEN, "cross-site"),
                "{origin:?} {site:?}"
            );
        }
        // A cross-site form can send text/plain without a preflight: not JSON, so 415.
        let r = send(&t.app, create(Some(ORIGIN), None, "text/plain")).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type")
        );
        let r = send(
            &t.app,
            create(None, Some("same-origin"), "application/json"),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = send(
            &t.app,
            create(Some(ORIGIN), None, "application/json; charset=utf-8"),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "same origin, duplicate name: {}",
            r.body
        );

        // A form post to a server function from elsewhere, with the cookie: refused too.
        let mut post = with_cookie(
            request(
                Method::POST,
                &server_fn("create_campaign"),
                None,
                Some(("application/x-www-form-urlencoded", "draft[name]=x".into())),
            ),
            &cookie,
        );
        post.headers_mut()
            .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        let r = send(&t.app, post).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::FORBIDDEN, "cross-site"),
            "{}",
            r.body
        );

        // CSV imports take only CSV or TSV.
        let token = &t.tokens[1].1;
        let r = send(
            &t.app,
            request(
                Method::POST,
                &format!("/api/v1/campaigns/{}/import?dry_run=true", t.campaign),
                Some(token),
                Some(("application/x-www-form-urlencoded", "content\nB\n".into())),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let r = send(
            &t.app,
            request(
                Method::POST,
                &format!("/api/v1/campaigns/{}/import?dry_run=true", t.campaign),
                Some(token),
                Some(("text/tab-separated-values", "content\nB\n".into())),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // DNS rebinding: another name for this server is refused, whatever the credentials.
        let mut rebound = request(Method::GET, "/api/v1/export.csv", Some(token), None);
        rebound
            .headers_mut()
            .insert(header::HOST, "attacker.example:3000".parse().unwrap());
        let r = send(&t.app, rebound).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::FORBIDDEN, "unknown-host")
        );
        let mut local = request(Method::GET, "/api/v1/export.csv", Some(token), None);
        local
            .headers_mut()
            .insert(header::HOST, "localhost:3000".parse().unwrap());
        assert_eq!(send(&t.app, local).await.status, StatusCode::OK);

        // A wrong or malformed token is 401 at once, never anonymous access.
        for auth in ["Bearer utmf_0000", "Basic dXNlcjpwYXNz", "Bearer "] {
            let mut r = request(Method::GET, "/api/v1/campaigns", None, None);
            r.headers_mut()
                .insert(header::AUTHORIZATION, auth.parse().unwrap());
            let reply = send(&t.app, r).await;
            assert_eq!(
                (reply.status, reply.code().as_str()),
                (StatusCode::UNAUTHORIZED, "unauthenticated"),
                "{auth}"
            );
        }
    });
}

#[test]
fn failed_sign_ins_are_limited_per_account_and_per_address_with_retry_after() {
    common::run(async {
        let now = Arc::new(AtomicI64::new(common::TODAY_MS));
        let t = team("limit", Clock::Manual(now.clone())).await;
        for _ in 0..5 {
            let r = sign_in(&t.app, "viewer@example.com", "wrong password!!")
                .await
                .unwrap_err();
            assert_eq!(
                (r.status, r.code().as_str()),
                (StatusCode::UNAUTHORIZED, "wrong-credentials")
            );
        }
        // An unknown email gets the very same answer.
        let r = sign_in(&t.app, "nobody@example.com", "wrong password!!")
            .await
            .unwrap_err();
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::UNAUTHORIZED, "wrong-credentials")
        );
        // The sixth try for that account waits, even with the right password.
        let r = sign_in(&t.app, "viewer@example.com", common::PASSWORD)
            .await
            .unwrap_err();
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::TOO_MANY_REQUESTS, "too-many-attempts")
        );
        assert_eq!(r.headers[header::RETRY_AFTER], "900");
        // Other accounts are not locked by it.
        assert!(sign_in(&t.app, "editor@example.com", common::PASSWORD)
            .await
            .is_ok());
        // Fifteen minutes later the account may try again.
        now.fetch_add(15 * 60 * 1000 + 1, Ordering::Relaxed);
        assert!(sign_in(&t.app, "viewer@example.com", common::PASSWORD)
            .await
            .is_ok());

        // Twenty failures from one address, spread over accounts: the address waits.
        for i in 0..20 {
            let _ = sign_in(&t.app, &format!("guess{i}@example.com"), "wrong password!!").await;
        }
        let r = sign_in(&t.app, "admin@example.com", common::PASSWORD)
            .await
            .unwrap_err();
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // Counted in the database: a second instance (another router, same file) agrees.
        let store = t.cli.store.clone();
        let (second, _) = common::bare_app_with(store, Clock::Manual(now.clone()));
        let r = sign_in(&second, "admin@example.com", common::PASSWORD)
            .await
            .unwrap_err();
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    });
}

/// A token's "last used" is written at most once a minute, also while the server keeps the
/// token in memory (on PostgreSQL the kept copy is what says when it was last written).
#[test]
fn a_tokens_last_use_is_written_at_most_once_a_minute() {
    common::run(async {
        let now = Arc::new(AtomicI64::new(common::TODAY_MS));
        let t = team("last-used", Clock::Manual(now.clone())).await;
        let viewer = t.tokens[0].1.clone();
        let last_used = || async {
            t.cli
                .store
                .list_tokens(None)
                .await
                .unwrap()
                .into_iter()
                .find(|k| k.role == utmforge_core::account::Role::Viewer)
                .unwrap()
                .last_used_at
        };
        let call = || {
            send(
                &t.app,
                request(Method::GET, "/api/v1/campaigns", Some(&viewer), None),
            )
        };
        assert_eq!(last_used().await, None);
        assert_eq!(call().await.status, StatusCode::OK);
        assert_eq!(last_used().await, Some(common::TODAY_MS));
        now.fetch_add(30_000, Ordering::Relaxed);
        for _ in 0..3 {
            assert_eq!(call().await.status, StatusCode::OK);
        }
        assert_eq!(
            last_used().await,
            Some(common::TODAY_MS),
            "not written again within the minute"
        );
        now.fetch_add(31_000, Ordering::Relaxed);
        assert_eq!(call().await.status, StatusCode::OK);
        assert_eq!(last_used().await, Some(common::TODAY_MS + 61_000));
    });
}

#[test]
fn sessions_end_when_idle_too_long_at_their_age_limit_at_sign_out_and_when_disabled() {
    common::run(async {
        let now = Arc::new(AtomicI64::new(common::TODAY_MS));
        let t = team("sessions", Clock::Manual(now.clone())).await;
        let hour = 3600 * 1000;
        let campaigns = |cookie: &str| {
            with_cookie(
                request(Method::GET, "/api/v1/campaigns", None, None),
                cookie,
            )
        };

        // Idle for more than 12 hours: gone.
        let cookie = sign_in(&t.app, "viewer@example.com", common::PASSWORD)
            .await
            .ok()
            .unwrap();
        assert_eq!(
            send(&t.app, campaigns(&cookie)).await.status,
            StatusCode::OK
        );
        now.fetch_add(11 * hour, Ordering::Relaxed);
        assert_eq!(
            send(&t.app, campaigns(&cookie)).await.status,
            StatusCode::OK,
            "11 h idle is fine"
        );
        now.fetch_add(12 * hour + 1, Ordering::Relaxed);
        assert_eq!(
            send(&t.app, campaigns(&cookie)).await.status,
            StatusCode::UNAUTHORIZED,
            "12 h idle ends it"
        );

        // Used every 11 hours: still ends 14 days after sign-in.
        let cookie = sign_in(&t.app, "viewer@example.com", common::PASSWORD)
            .await
            .ok()
            .unwrap();
        let mut elapsed = 0;
        while elapsed + 11 * hour < 14 * 24 * hour {
            now.fetch_add(11 * hour, Ordering::Relaxed);
            elapsed += 11 * hour;
            assert_eq!(
                send(&t.app, campaigns(&cookie)).await.status,
                StatusCode::OK,
                "after {} h",
                elapsed / hour
            );
        }
        now.fetch_add(11 * hour, Ordering::Relaxed);
        assert_eq!(
            send(&t.app, campaigns(&cookie)).await.status,
            StatusCode::UNAUTHORIZED,
            "past 14 days"
        );

        // Sign-out ends the session on the server: the old cookie is worthless.
        let cookie = sign_in(&t.app, "viewer@example.com", common::PASSWORD)
            .await
            .ok()
            .unwrap();
        let out = with_cookie(
            request(
                Method::POST,
                "/api/account/sign-out",
                None,
                Some(("application/x-www-form-urlencoded", String::new())),
            ),
            &cookie,
        );
        let out = send(&t.app, out).await;
        assert!(
            out.status.is_success() || out.status.is_redirection(),
            "{}",
            out.body
        );
        assert_eq!(
            send(&t.app, campaigns(&cookie)).await.status,
            StatusCode::UNAUTHORIZED
        );

        // Sign-in gives a new session id (one planted before is worthless).
        let first = sign_in(&t.app, "editor@example.com", common::PASSWORD)
            .await
            .ok()
            .unwrap();
        let second = sign_in(&t.app, "editor@example.com", common::PASSWORD)
            .await
            .ok()
            .unwrap();
        assert_ne!(first.split(';').next(), second.split(';').next());

        // A new password signs them out everywhere (their tokens keep working).
        let cookie = sign_in(&t.app, "viewer@example.com", common::PASSWORD)
            .await
            .ok()
            .unwrap();
        now.fetch_add(1000, Ordering::Relaxed);
        let viewer = utmforge_service::accounts::user_by_email(&t.cli, "viewer@example.com")
            .await
            .unwrap();
        utmforge_service::accounts::set_password(&t.cli, &viewer.id, "a brand new passphrase")
            .await
            .unwrap();
        assert_eq!(
            send(&t.app, campaigns(&cookie)).await.status,
            StatusCode::UNAUTHORIZED
        );
        let r = send(
            &t.app,
            request(Method::GET, "/api/v1/campaigns", Some(&t.tokens[0].1), None),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            sign_in(&t.app, "viewer@example.com", "a brand new passphrase")
                .await
                .is_ok()
        );

        // Disabling someone stops their session and their tokens at once.
        let cookie = sign_in(&t.app, "editor@example.com", common::PASSWORD)
            .await
            .ok()
            .unwrap();
        let token = t.tokens[1].1.clone();
        let editor = utmforge_service::accounts::user_by_email(&t.cli, "editor@example.com")
            .await
            .unwrap();
        utmforge_service::accounts::update_user(&t.cli, &editor.id, None, Some(true))
            .await
            .unwrap();
        assert_eq!(
            send(&t.app, campaigns(&cookie)).await.status,
            StatusCode::UNAUTHORIZED
        );
        let r = send(
            &t.app,
            request(Method::GET, "/api/v1/campaigns", Some(&token), None),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(sign_in(&t.app, "editor@example.com", common::PASSWORD)
            .await
            .is_err());
    });
}

#[test]
fn pages_carry_a_nonce_policy_and_every_answer_the_protective_headers() {
    common::run(async {
        let t = team("headers", Clock::Fixed(common::TODAY_MS)).await;
        let page = send(
            &t.app,
            request(Method::GET, "/campaigns", Some(&t.tokens[0].1), None),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        let csp = page.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{csp}");
        assert!(script_src.contains("'wasm-unsafe-eval'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let nonce = script_src
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap();
        // Every inline script of the page carries this response's nonce.
        let scripts = page.body.matches("<script").count();
        assert!(scripts > 0);
        assert_eq!(
            page.body
                .matches(&format!("<script type=\"module\" nonce=\"{nonce}\""))
                .count()
                + page
                    .body
                    .matches(&format!("<script nonce=\"{nonce}\""))
                    .count(),
            scripts,
            "{}",
            page.body
        );
        let again = send(
            &t.app,
            request(Method::GET, "/campaigns", Some(&t.tokens[0].1), None),
        )
        .await;
        assert_ne!(
            again.headers[header::CONTENT_SECURITY_POLICY],
            page.headers[header::CONTENT_SECURITY_POLICY],
            "a new nonce per response"
        );

        for reply in [
            &page,
            &send(
                &t.app,
                request(Method::GET, "/api/v1/campaigns", Some(&t.tokens[0].1), None),
            )
            .await,
        ] {
            assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
            assert_eq!(reply.headers[header::REFERRER_POLICY], "same-origin");
            assert!(reply.headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"));
            assert!(
                !reply
                    .headers
                    .contains_key(header::STRICT_TRANSPORT_SECURITY),
                "no HSTS over http"
            );
        }

        // Behind https: HSTS, and the session cookie is Secure.

        let options = server::web::leptos_options(
            std::path::Path::new("target/site"),
            "127.0.0.1:3000".parse().unwrap(),
        );
        let site =
            server::security::Site::new(Some("https://utm.example.com"), None, true).unwrap();
        // (The team's clock: fixed at TODAY_MS.)
        let ctx = t.cli.with_actor(utmforge_service::Actor::Anonymous);
        let https = server::web::router(options, ctx, site);
        let mut r = Request::post("/api/account/sign-in")
            .header(header::HOST, "utm.example.com")
            .header(header::ORIGIN, "https://utm.example.com")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(form(&[
                ("email", "viewer@example.com"),
                ("password", common::PASSWORD),
                ("next", "/"),
            ])))
            .unwrap();
        r.headers_mut()
            .insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        let reply = send(&https, r).await;
        assert!(reply.headers[header::STRICT_TRANSPORT_SECURITY]
            .to_str()
            .unwrap()
            .starts_with("max-age="));
        let cookie = reply.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.contains("Secure"), "{cookie}");

        // The no-JS error round trip shows only errors from our own redirect.
        let mut forged = request(
            Method::GET,
            "/campaigns?status=active&__path=/api/x&__err=QXR0YWNrZXIgdGV4dA",
            Some(&t.tokens[0].1),
            None,
        );
        forged
            .headers_mut()
            .insert("sec-fetch-site", "cross-site".parse().unwrap());
        let r = send(&t.app, forged).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers[header::LOCATION], "/campaigns?status=active");
        let mut own = request(
            Method::GET,
            "/campaigns?__path=/api/x&__err=QQ",
            Some(&t.tokens[0].1),
            None,
        );
        own.headers_mut()
            .insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert_eq!(send(&t.app, own).await.status, StatusCode::OK);
    });
}
