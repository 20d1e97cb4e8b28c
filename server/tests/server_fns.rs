//! The server functions behind the campaign pages, called through the real router as the
//! browser calls them (form-encoded POSTs), against a real SQLite file.

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tower::ServiceExt;

/// Leptos keeps process-wide state (its task spawner, the server-function registry). Each
/// `#[tokio::test]` has its own runtime, and rendering pages from several runtimes at once in
/// one process can leave a page's resource waiting on a runtime that has already finished (seen
/// as a hang, about one run in three). The server itself has one runtime; the tests run one at
/// a time to match it.
static ONE_RUNTIME_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Harness {
    app: Router,
    dir: PathBuf,
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn harness(name: &str) -> Harness {
    let dir = std::env::temp_dir().join(format!("utmforge-fns-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("sqlite://{}/utmforge.db", dir.display());
    let store = utmforge_store::Store::open(&url).await.unwrap();
    let options =
        server::web::leptos_options(Path::new("target/site"), "127.0.0.1:3000".parse().unwrap());
    Harness {
        app: server::web::router(options, store),
        dir,
    }
}

fn endpoint(name: &str) -> String {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .find(|path| {
            path.trim_start_matches("/api/").starts_with(name)
                && path[5..].len() > name.len()
                && path[5 + name.len()..].chars().all(|c| c.is_ascii_digit())
        })
        .unwrap_or_else(|| panic!("no server function {name}"))
        .to_string()
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A request that hangs fails the test instead of stalling the whole run.
async fn within_limit<F, T, E>(request: F) -> T
where
    F: std::future::Future<Output = Result<T, E>>,
    E: std::fmt::Debug,
{
    tokio::time::timeout(std::time::Duration::from_secs(30), request)
        .await
        .expect("no answer within 30 s")
        .unwrap()
}

impl Harness {
    async fn call(&self, name: &str, fields: &[(&str, &str)]) -> (StatusCode, Value) {
        let request = Request::post(endpoint(name))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(form(fields)))
            .unwrap();
        let response = within_limit(self.app.clone().oneshot(request)).await;
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, value)
    }

    async fn page(&self, path: &str) -> String {
        let response = self
            .app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        String::from_utf8(
            response
                .into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
        .unwrap()
    }
}

const CAMPAIGN: &[(&str, &str)] = &[
    ("name", "Spring Sale 2025"),
    ("slug", ""),
    ("buying_model", "cpc"),
    ("topic", "Project management tools"),
    ("landing_url", "https://example.com/spring"),
    ("conversion", "order_created"),
    ("status", "active"),
    ("notes", ""),
];

#[tokio::test]
async fn create_a_campaign_and_a_creative_then_see_them_on_the_pages() {
    let _serial = ONE_RUNTIME_AT_A_TIME.lock().await;
    let h = harness("create").await;
    let (status, campaign) = h.call("create_campaign", CAMPAIGN).await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status} {campaign}"
    );
    assert_eq!(campaign["slug"], "spring-sale-2025");
    let id = campaign["id"].as_str().unwrap().to_string();

    let (status, creative) = h
        .call(
            "create_creative",
            &[
                ("campaign_id", &id),
                ("variant", "Headline V2"),
                ("topic", ""),
                ("landing_url", "https://example.com/p?ref=x#top"),
                ("headline", "Plan faster"),
                ("notes", ""),
            ],
        )
        .await;
    assert!(status.is_success(), "{status} {creative}");
    assert_eq!(creative["content"], "headline-v2");

    let list = h.page("/campaigns").await;
    assert!(
        list.contains("Spring Sale 2025") && list.contains("spring-sale-2025"),
        "{list}"
    );
    let page = h.page(&format!("/campaigns/{id}")).await;
    assert!(
        page.contains("https://example.com/p?ref=x&amp;utm_source=chatgpt&amp;utm_medium=cpc&amp;utm_campaign=spring-sale-2025&amp;utm_content=headline-v2&amp;utm_term=project-management-tools#top"),
        "{page}"
    );
}

#[tokio::test]
async fn invalid_input_names_the_field_and_saves_nothing() {
    let _serial = ONE_RUNTIME_AT_A_TIME.lock().await;
    let h = harness("invalid").await;
    let mut bad = CAMPAIGN.to_vec();
    bad[4] = ("landing_url", "javascript:alert(1)");
    bad[2] = ("buying_model", "cpa");
    let (status, error) = h.call("create_campaign", &bad).await;
    assert!(
        status.is_client_error() || status.is_server_error(),
        "{status}"
    );
    let notices = error["Invalid"]
        .as_array()
        .unwrap_or_else(|| panic!("{error}"));
    let fields: Vec<&str> = notices
        .iter()
        .map(|n| n["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"url") && fields.contains(&"medium"),
        "{fields:?}"
    );
    let (_, list) = h.call("list_campaigns", &[]).await;
    assert_eq!(list.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn duplicate_slugs_and_stale_saves_are_conflicts() {
    let _serial = ONE_RUNTIME_AT_A_TIME.lock().await;
    let h = harness("conflict").await;
    let (_, first) = h.call("create_campaign", CAMPAIGN).await;
    let (status, dup) = h.call("create_campaign", CAMPAIGN).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(dup["Conflict"]["code"], "duplicate", "{dup}");
    assert!(dup["Conflict"]["message"]
        .as_str()
        .unwrap()
        .contains("spring-sale-2025"));

    let id = first["id"].as_str().unwrap();
    let mut update = vec![("id", id), ("version", "1")];
    update.extend_from_slice(CAMPAIGN);
    update[2] = ("name", "Renamed");
    let (status, saved) = h.call("update_campaign", &update).await;
    assert!(status.is_success() || status.is_redirection(), "{saved}");
    assert_eq!(saved["version"], 2);
    // The same form again, from a tab that still holds version 1.
    update[2] = ("name", "From a stale tab");
    let (_, stale) = h.call("update_campaign", &update).await;
    assert_eq!(stale["Conflict"]["code"], "stale", "{stale}");
    let page = h.page(&format!("/campaigns/{id}")).await;
    assert!(page.contains("Renamed") && !page.contains("From a stale tab"));
}

#[tokio::test]
async fn preview_follows_core_rules() {
    let _serial = ONE_RUNTIME_AT_A_TIME.lock().await;
    let h = harness("preview").await;
    let (_, c) = h.call("create_campaign", CAMPAIGN).await;
    let id = c["id"].as_str().unwrap();
    let (_, p) = h
        .call(
            "preview_creative",
            &[
                ("campaign_id", id),
                ("variant", "Café Crème"),
                ("topic", ""),
                ("landing_url", ""),
            ],
        )
        .await;
    assert_eq!(
        p["url"],
        "https://example.com/spring?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale-2025&utm_content=cafe-creme&utm_term=project-management-tools"
    );
    let (_, p) = h
        .call(
            "preview_creative",
            &[
                ("campaign_id", id),
                ("variant", "x"),
                ("topic", ""),
                ("landing_url", "ftp://x"),
            ],
        )
        .await;
    assert_eq!(p["url"], Value::Null);
    assert_eq!(p["errors"][0]["code"], "scheme-not-allowed");
}

#[tokio::test]
async fn a_campaign_name_with_markup_renders_as_text() {
    let _serial = ONE_RUNTIME_AT_A_TIME.lock().await;
    let h = harness("xss").await;
    let mut fields = CAMPAIGN.to_vec();
    fields[0] = ("name", "<script>alert(1)</script>");
    let (_, c) = h.call("create_campaign", &fields).await;
    assert_eq!(c["slug"], "script-alert-1-script");
    let page = h.page("/campaigns").await;
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

/// Before hydration a form is a plain HTML POST: success and failure both go back to the page.
#[tokio::test]
async fn plain_form_posts_redirect_back_with_or_without_an_error() {
    let _serial = ONE_RUNTIME_AT_A_TIME.lock().await;
    let h = harness("nojs").await;
    let post = |fields: Vec<(&str, &str)>| {
        Request::post(endpoint("create_campaign"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, "http://127.0.0.1:3000/campaigns/new")
            .body(Body::from(form(&fields)))
            .unwrap()
    };
    let response = h
        .app
        .clone()
        .oneshot(post(CAMPAIGN.to_vec()))
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(location.contains("/campaigns/"), "{location}");

    let mut bad = CAMPAIGN.to_vec();
    bad[0] = ("name", "Other");
    bad[4] = ("landing_url", "ftp://example.com");
    let response = h.app.clone().oneshot(post(bad)).await.unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    let location = response.headers()[header::LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("http://127.0.0.1:3000/campaigns/new?") && location.contains("__err="),
        "{location}"
    );
}

impl Harness {
    async fn get(&self, path: &str) -> (StatusCode, header::HeaderMap, String) {
        let response = within_limit(
            self.app
                .clone()
                .oneshot(Request::get(path).body(Body::empty()).unwrap()),
        )
        .await;
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        (
            parts.status,
            parts.headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }
}

#[tokio::test]
async fn ga4_pages_show_the_documents_and_downloads_carry_them() {
    let _serial = ONE_RUNTIME_AT_A_TIME.lock().await;
    let h = harness("ga4").await;
    let (_, campaign) = h
        .call(
            "create_campaign",
            &CAMPAIGN
                .iter()
                .map(|&(k, v)| (k, if k == "conversion" { "lead_created" } else { v }))
                .collect::<Vec<_>>(),
        )
        .await;
    let id = campaign["id"].as_str().unwrap().to_string();

    // The workspace page: the channel group with its download and its checklist.
    let page = h.page("/ga4").await;
    assert!(page.contains("Channel group"), "{page}");
    assert!(page.contains("href=\"/ga4/channel-group.json\""));
    assert!(
        page.contains("&quot;displayName&quot;: &quot;ChatGPT Ads&quot;")
            || page.contains("\"displayName\": \"ChatGPT Ads\"")
    );
    assert!(page.contains("type=\"checkbox\""));

    let (status, headers, body) = h.get("/ga4/channel-group.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"utmforge-channel-group.json\""
    );
    let group: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        group,
        serde_json::to_value(utmforge_core::ga4::channel_group()).unwrap()
    );

    // The campaign's GA4 tab: its funnel (ending with generate_lead) and its report.
    let page = h.page(&format!("/campaigns/{id}/ga4")).await;
    assert!(page.contains("Funnel exploration") && page.contains("Exploration report"));
    assert!(page.contains(&format!("href=\"/campaigns/{id}/ga4/funnel.json\"")));
    assert!(page.contains("spring-sale-2025-ga4-report.json"));

    let (status, headers, body) = h.get(&format!("/campaigns/{id}/ga4/funnel.json")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"spring-sale-2025-ga4-funnel.json\""
    );
    let funnel: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        funnel,
        serde_json::to_value(utmforge_core::ga4::funnel_report(
            "generate_lead",
            Some("spring-sale-2025")
        ))
        .unwrap()
    );
    let (status, _, body) = h.get(&format!("/campaigns/{id}/ga4/report.json")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"spring-sale-2025\""));

    // Unknown campaigns and documents are 404s.
    let (status, _, _) = h.get("/campaigns/nope/ga4/funnel.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = h.get(&format!("/campaigns/{id}/ga4/other.json")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn import_and_audit_server_functions() {
    let _serial = ONE_RUNTIME_AT_A_TIME.lock().await;
    let h = harness("bulk").await;
    let (_, campaign) = h.call("create_campaign", CAMPAIGN).await;
    let id = campaign["id"].as_str().unwrap().to_string();
    let sheet = "content\tterm\nHeadline A\t\nBad!\t!!!\n";

    let (status, plan) = h
        .call("preview_import", &[("campaign_id", &id), ("text", sheet)])
        .await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    assert_eq!(
        (plan["create"].clone(), plan["invalid"].clone()),
        (json!(1), json!(1))
    );
    let page = h.page(&format!("/campaigns/{id}")).await;
    assert!(!page.contains("headline-a"), "a preview saves nothing");

    let (status, outcome) = h
        .call("run_import", &[("campaign_id", &id), ("text", sheet)])
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(
        (outcome["created"].clone(), outcome["updated"].clone()),
        (json!(1), json!(0))
    );
    let page = h.page(&format!("/campaigns/{id}")).await;
    assert!(page.contains("utm_content=headline-a"), "{page}");

    let (status, _) = h
        .call(
            "run_import",
            &[("campaign_id", &id), ("text", "nothing useful\n")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, reports) = h
        .call(
            "audit_urls",
            &[(
                "text",
                "http://example.com/?utm_source=ChatGPT\n\n  https://example.com/  \n",
            )],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reports}");
    assert_eq!(reports.as_array().unwrap().len(), 2);
    assert_eq!(reports[0]["findings"][0]["code"], "source-not-canonical");
    assert_eq!(reports[1]["input"], "https://example.com/");
}
