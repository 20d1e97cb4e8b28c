//! The server functions behind the campaign pages, called through the real router as the
//! browser calls them (form-encoded POSTs), against a real SQLite file.

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

mod common;

struct Harness {
    app: Router,
    _dir: common::TempDir,
}

async fn harness(name: &str) -> Harness {
    let dir = common::TempDir::new(&format!("fns-{name}"));
    Harness {
        app: common::app(&dir).await,
        _dir: dir,
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

/// The Settings form with no rules but utm_id switched on.
const UTM_ID_ON: &[(&str, &str)] = &[
    ("version", "0"),
    ("domains", ""),
    ("domain_mode", "refuse"),
    ("topics", ""),
    ("topic_mode", "refuse"),
    ("utm_id", "on"),
];

const CAMPAIGN: &[(&str, &str)] = &[
    ("draft[name]", "Spring Sale 2025"),
    ("draft[slug]", ""),
    ("draft[buying_model]", "cpc"),
    ("draft[topic]", "Project management tools"),
    ("draft[landing_url]", "https://example.com/spring"),
    ("draft[conversion]", "order_created"),
    ("draft[status]", "active"),
    ("draft[notes]", ""),
];

#[test]
fn create_a_campaign_and_a_creative_then_see_them_on_the_pages() {
    common::run(async {
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
                    ("draft[variant]", "Headline V2"),
                    ("draft[topic]", ""),
                    ("draft[landing_url]", "https://example.com/p?ref=x#top"),
                    ("draft[headline]", "Plan faster"),
                    ("draft[notes]", ""),
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
    })
}

#[test]
fn invalid_input_names_the_field_and_saves_nothing() {
    common::run(async {
        let h = harness("invalid").await;
        let mut bad = CAMPAIGN.to_vec();
        bad[4] = ("draft[landing_url]", "javascript:alert(1)");
        bad[2] = ("draft[buying_model]", "cpa");
        let (status, error) = h.call("create_campaign", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
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
        assert_eq!(list["items"].as_array().unwrap().len(), 0);
    })
}

#[test]
fn duplicate_slugs_and_stale_saves_are_conflicts() {
    common::run(async {
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
        update[2] = ("draft[name]", "Renamed");
        let (status, saved) = h.call("update_campaign", &update).await;
        assert!(status.is_success() || status.is_redirection(), "{saved}");
        assert_eq!(saved["version"], 2);
        // The same form again, from a tab that still holds version 1.
        update[2] = ("draft[name]", "From a stale tab");
        let (_, stale) = h.call("update_campaign", &update).await;
        assert_eq!(stale["Conflict"]["code"], "stale", "{stale}");
        let page = h.page(&format!("/campaigns/{id}")).await;
        assert!(page.contains("Renamed") && !page.contains("From a stale tab"));
    })
}

#[test]
fn preview_follows_core_rules() {
    common::run(async {
        let h = harness("preview").await;
        let (_, c) = h.call("create_campaign", CAMPAIGN).await;
        let id = c["id"].as_str().unwrap();
        let (_, p) = h
            .call(
                "preview_creative",
                &[
                    ("campaign_id", id),
                    ("draft[variant]", "Café Crème"),
                    ("draft[topic]", ""),
                    ("draft[landing_url]", ""),
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
                    ("draft[variant]", "x"),
                    ("draft[topic]", ""),
                    ("draft[landing_url]", "ftp://x"),
                ],
            )
            .await;
        assert_eq!(p["url"], Value::Null);
        assert_eq!(p["errors"][0]["code"], "scheme-not-allowed");
    })
}

#[test]
fn a_campaign_name_with_markup_renders_as_text() {
    common::run(async {
        let h = harness("xss").await;
        let mut fields = CAMPAIGN.to_vec();
        fields[0] = ("draft[name]", "<script>alert(1)</script>");
        let (_, c) = h.call("create_campaign", &fields).await;
        assert_eq!(c["slug"], "script-alert-1-script");
        let page = h.page("/campaigns").await;
        assert!(!page.contains("<script>alert(1)</script>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    })
}

/// Before hydration a form is a plain HTML POST: success and failure both go back to the page.
#[test]
fn plain_form_posts_redirect_back_with_or_without_an_error() {
    common::run(async {
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
        bad[0] = ("draft[name]", "Other");
        bad[4] = ("draft[landing_url]", "ftp://example.com");
        let response = h.app.clone().oneshot(post(bad)).await.unwrap();
        assert!(response.status().is_redirection(), "{}", response.status());
        let location = response.headers()[header::LOCATION].to_str().unwrap();
        assert!(
            location.starts_with("http://127.0.0.1:3000/campaigns/new?")
                && location.contains("__err="),
            "{location}"
        );
    })
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

#[test]
fn ga4_pages_show_the_documents_and_downloads_carry_them() {
    common::run(async {
        let h = harness("ga4").await;
        let (_, campaign) = h
            .call(
                "create_campaign",
                &CAMPAIGN
                    .iter()
                    .map(|&(k, v)| {
                        (
                            k,
                            if k == "draft[conversion]" {
                                "lead_created"
                            } else {
                                v
                            },
                        )
                    })
                    .collect::<Vec<_>>(),
            )
            .await;
        let id = campaign["id"].as_str().unwrap().to_string();

        // The workspace page: the channel group with its download and its checklist.
        let page = h.page("/ga4").await;
        assert!(page.contains("Channel group"), "{page}");
        assert!(page.contains("href=\"/api/v1/ga4/channel-group?download=true\""));
        assert!(
            page.contains("&quot;displayName&quot;: &quot;ChatGPT Ads&quot;")
                || page.contains("\"displayName\": \"ChatGPT Ads\"")
        );
        assert!(page.contains("type=\"checkbox\""));

        let (status, headers, body) = h.get("/api/v1/ga4/channel-group?download=true").await;
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
        assert!(page.contains(&format!(
            "href=\"/api/v1/campaigns/{id}/ga4/funnel?download=true\""
        )));
        assert!(page.contains("spring-sale-2025-ga4-report.json"));

        let (status, headers, body) = h
            .get(&format!("/api/v1/campaigns/{id}/ga4/funnel?download=true"))
            .await;
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
        let (status, _, body) = h
            .get(&format!("/api/v1/campaigns/{id}/ga4/report?download=true"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("\"spring-sale-2025\""));

        // Unknown campaigns and documents are 404s.
        let (status, _, _) = h
            .get("/api/v1/campaigns/nope/ga4/funnel?download=true")
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = h.get(&format!("/api/v1/campaigns/{id}/ga4/other")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
}

#[test]
fn import_and_audit_server_functions() {
    common::run(async {
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
        // The table the page shows comes rendered, every value escaped.
        let html = plan["html"].as_str().unwrap();
        assert!(html.contains(r#"data-testid="import-preview""#), "{html}");
        let (status, shown) = h
            .call(
                "preview_import",
                &[
                    ("campaign_id", &id),
                    ("text", "content\n<script>alert(1)</script>\n"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{shown}");
        let html = shown["html"].as_str().unwrap();
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");

        let token = plan["token"].as_str().unwrap().to_string();
        let (status, outcome) = h
            .call(
                "run_import",
                &[("campaign_id", &id), ("text", sheet), ("token", &token)],
            )
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
                &[
                    ("campaign_id", &id),
                    ("text", "nothing useful\n"),
                    ("token", ""),
                ],
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
    })
}

impl Harness {
    async fn rest(&self, method: &str, path: &str, body: &str) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(
                header::CONTENT_TYPE,
                if path.contains("/import") {
                    "text/csv"
                } else {
                    "application/json"
                },
            )
            .body(Body::from(body.to_string()))
            .unwrap();
        let response = within_limit(self.app.clone().oneshot(request)).await;
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }
}

/// The code a server function's error carries, whatever its variant.
fn page_error_code(error: &Value) -> String {
    if let Some(notices) = error["Invalid"].as_array() {
        return notices[0]["code"].as_str().unwrap_or_default().to_string();
    }
    if let Some(code) = error["Conflict"]["code"].as_str() {
        return code.to_string();
    }
    for variant in ["Refused", "NotFound"] {
        if let Some(code) = error[variant]["code"].as_str() {
            return code.to_string();
        }
    }
    format!("{error}")
}

/// The same bad input through a page's server function and through the REST API gets the same
/// status and the same code: one service decides.
#[test]
fn the_same_bad_input_gets_the_same_answer_through_every_door() {
    common::run(async {
        let h = harness("doors").await;
        let (_, campaign) = h.call("create_campaign", CAMPAIGN).await;
        let id = campaign["id"].as_str().unwrap().to_string();
        let (status, _) = h
            .call(
                "create_creative",
                &[("campaign_id", &id), ("draft[variant]", "Hero")],
            )
            .await;
        assert!(status.is_success(), "{status}");
        let too_many: Vec<String> = (0..10_001)
            .map(|i| format!("https://example.com/{i}"))
            .collect();
        let too_many_text = too_many.join("\n");
        let too_many_json = json!({ "urls": too_many }).to_string();
        let bad_campaign = json!({"name": "X", "buying_model": "cpc", "landing_url": "javascript:alert(1)", "conversion": "order_created"}).to_string();
        let mut bad_form = CAMPAIGN.to_vec();
        bad_form[4] = ("draft[landing_url]", "javascript:alert(1)");
        bad_form[0] = ("draft[name]", "X");

        type Door<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, String, &'a str);
        let cases: Vec<Door> = vec![
            // (server function, its fields, REST method, REST path, REST body)
            (
                "list_campaigns",
                vec![("filter[status]", "bogus")],
                "GET",
                "/api/v1/campaigns?status=bogus".into(),
                "",
            ),
            (
                "audit_urls",
                vec![("text", &too_many_text)],
                "POST",
                "/api/v1/lint".into(),
                &too_many_json,
            ),
            (
                "create_campaign",
                bad_form,
                "POST",
                "/api/v1/campaigns".into(),
                &bad_campaign,
            ),
            (
                "preview_import",
                vec![("campaign_id", &id), ("text", "link,name\nx,y\n")],
                "POST",
                format!("/api/v1/campaigns/{id}/import?dry_run=true"),
                "link,name\nx,y\n",
            ),
            (
                "get_campaign_head",
                vec![("id", "nope")],
                "GET",
                "/api/v1/campaigns/nope".into(),
                "",
            ),
            (
                "get_creative_history",
                vec![("id", "nope")],
                "GET",
                "/api/v1/creatives/nope/history".into(),
                "",
            ),
            // Switching utm_id on moves the active campaign's live link: unconfirmed, both
            // doors refuse it the same way.
            (
                "save_settings",
                UTM_ID_ON.to_vec(),
                "PUT",
                "/api/v1/settings".into(),
                r#"{"version": 0, "rules": {"utm_id": true}}"#,
            ),
        ];
        for (function, fields, method, path, body) in cases {
            let (fn_status, fn_error) = h.call(function, &fields).await;
            let (rest_status, rest_error) = h.rest(method, &path, body).await;
            assert!(
                fn_status.is_client_error(),
                "{function}: {fn_status} {fn_error}"
            );
            assert_eq!(
                fn_status, rest_status,
                "{function} vs {method} {path}: {rest_error}"
            );
            assert_eq!(
                page_error_code(&fn_error),
                rest_error["error"]["code"].as_str().unwrap(),
                "{function} vs {method} {path}"
            );
        }
        // The expected answers, for the record.
        let (status, e) = h.rest("POST", "/api/v1/lint", &too_many_json).await;
        assert_eq!(
            (status, e["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("too-many"))
        );
        assert_eq!(e["error"]["field"], "urls");
        let (status, e) = h.rest("GET", "/api/v1/campaigns?status=bogus", "").await;
        assert_eq!(
            (status, e["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
        );
        let (status, e) = h
            .rest(
                "PUT",
                "/api/v1/settings",
                r#"{"version": 0, "rules": {"utm_id": true}}"#,
            )
            .await;
        assert_eq!(
            (status, e["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("live-link-change"))
        );
        // Confirmed on the page: saved, and the creative's URL carries the campaign's utm_id.
        let (status, saved) = h
            .call(
                "save_settings",
                &[UTM_ID_ON, &[("confirm_live_change", "true")]].concat(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let (_, page) = h
            .call("search_campaign_page", &[("id", &id), ("q", "")])
            .await;
        let url = page["creatives"][0]["url"].as_str().unwrap();
        assert!(
            url.ends_with(&format!(
                "&utm_id={}",
                utmforge_core::campaign::utm_id_of(&id)
            )),
            "{url}"
        );
    })
}

/// A server-function body over the limit is a 413 the page can show, not a 500.
#[test]
fn a_server_function_body_over_the_limit_is_413() {
    common::run(async {
        let h = harness("fnlimit").await;
        let huge = "a".repeat(server::web::SERVER_FN_BODY_LIMIT + 1);
        let (status, error) = h.call("audit_urls", &[("text", &huge)]).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(error["Refused"]["code"], "body-too-large", "{error}");
        // A sheet under the body limit but over 10 MiB is refused by the import itself.
        let (_, campaign) = h.call("create_campaign", CAMPAIGN).await;
        let id = campaign["id"].as_str().unwrap();
        let line = format!("{}\n", "a".repeat(99));
        let sheet = format!("content\n{}", line.repeat(110_000)); // 11 MB, 11.2 MB form-encoded
        let (status, error) = h
            .call("preview_import", &[("campaign_id", id), ("text", &sheet)])
            .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{error}");
        assert_eq!(error["Refused"]["field"], "sheet");
    })
}

/// A colleague's edit between the preview and the import: the import is refused and saves
/// nothing; previewed again, it goes through.
#[test]
fn an_import_after_a_change_since_its_preview_is_refused() {
    common::run(async {
        let h = harness("importstale").await;
        let (_, campaign) = h.call("create_campaign", CAMPAIGN).await;
        let id = campaign["id"].as_str().unwrap().to_string();
        let (_, k) = h
            .call(
                "create_creative",
                &[
                    ("campaign_id", &id),
                    ("draft[variant]", "Headline A"),
                    ("draft[headline]", "Keep me"),
                ],
            )
            .await;
        let sheet = "content,url\nHeadline A,https://example.com/new\nHeadline B,\n";
        let (_, plan) = h
            .call("preview_import", &[("campaign_id", &id), ("text", sheet)])
            .await;
        assert_eq!(plan["rows"][0]["action"], "update");
        assert_eq!(plan["rows"][0]["changes"][0]["field"], "landing_url");
        assert!(plan["rows"][0]["previous_url"]
            .as_str()
            .unwrap()
            .starts_with("https://example.com/spring?"));
        let token = plan["token"].as_str().unwrap().to_string();

        // A colleague changes the headline meanwhile.
        let version = k["version"].as_i64().unwrap().to_string();
        let (status, _) = h
            .call(
                "update_creative",
                &[
                    ("id", k["id"].as_str().unwrap()),
                    ("version", &version),
                    ("draft[variant]", "Headline A"),
                    ("draft[headline]", "Colleague's"),
                ],
            )
            .await;
        assert!(status.is_success() || status.is_redirection());

        let run = [
            ("campaign_id", id.as_str()),
            ("text", sheet),
            ("token", token.as_str()),
        ];
        let (status, error) = h.call("run_import", &run).await;
        assert_eq!(status, StatusCode::CONFLICT, "{error}");
        assert_eq!(error["Conflict"]["code"], "stale");
        let (_, page) = h
            .call("search_campaign_page", &[("id", &id), ("q", "")])
            .await;
        assert_eq!(
            page["creatives"].as_array().unwrap().len(),
            1,
            "nothing imported"
        );

        let (_, plan) = h
            .call("preview_import", &[("campaign_id", &id), ("text", sheet)])
            .await;
        let token = plan["token"].as_str().unwrap().to_string();
        // The campaign is active and the sheet moves a live URL: the preview says so, and the
        // import needs the confirmation.
        assert_eq!(plan["live_changes"], 1);
        let unconfirmed = [
            ("campaign_id", id.as_str()),
            ("text", sheet),
            ("token", token.as_str()),
        ];
        let (status, error) = h.call("run_import", &unconfirmed).await;
        assert_eq!(status, StatusCode::CONFLICT, "{error}");
        assert_eq!(error["Conflict"]["code"], "live-link-change");
        let (status, done) = h
            .call(
                "run_import",
                &[
                    ("campaign_id", id.as_str()),
                    ("text", sheet),
                    ("token", token.as_str()),
                    ("confirm_live_change", "true"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{done}");
        let (_, page) = h
            .call("search_campaign_page", &[("id", &id), ("q", "")])
            .await;
        let a = &page["creatives"][0];
        assert_eq!(
            a["headline"], "Colleague's",
            "the sheet has no headline column: kept"
        );
        assert_eq!(a["landing_url"], "https://example.com/new");
        // The edit pages' data: the count, not the creatives.
        let (_, head) = h.call("get_campaign_head", &[("id", &id)]).await;
        assert_eq!(
            (
                head["matching"].as_u64(),
                head["creatives"].as_array().map(Vec::len)
            ),
            (
                Some(page["creatives"].as_array().unwrap().len() as u64),
                Some(0)
            )
        );
    })
}

#[test]
fn the_tracking_page_shows_snippets_only_for_valid_settings() {
    common::run(async {
        let h = harness("tracking").await;
        h.call("create_campaign", CAMPAIGN).await;

        // First visit: the form and the four layers, no snippet yet.
        let page = h.page("/tracking").await;
        assert!(page.contains("The four layers") && page.contains("Show the snippets"));
        assert!(!page.contains("data-snippet="));

        // Every value checked: the errors beside their fields (the page answers 422, as a
        // refused form does), nothing injected, no snippet.
        let (status, _, page) = h
            .get("/tracking?pixel_id=oai-px-%22%3C%2Fscript%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&measurement_id=UA-1&currency=dollars")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("is not an OpenAI ads pixel id"), "{page}");
        assert!(page.contains("is not a GA4 measurement id"));
        assert!(page.contains("is not an ISO 4217 currency code"));
        assert!(
            !page.contains("<script>alert(1)"),
            "the value is escaped wherever it is shown"
        );
        assert!(!page.contains("data-snippet="));

        // Valid settings: the campaign's conversion, every platform, first touch and survey.
        let page = h
            .page("/tracking?pixel_id=4Ab2xYz9Qw&measurement_id=g-abc123&currency=eur")
            .await;
        for key in [
            "html-base",
            "html-order_created",
            "shopify-order_created",
            "wordpress-base",
            "nextjs-order_created",
            "first-touch",
            "survey",
        ] {
            assert!(page.contains(&format!("data-snippet=\"{key}\"")), "{key}");
        }
        assert!(page.contains("Spring Sale 2025"));
        assert!(page.contains("G-ABC123"));
        assert!(page.contains("data-artifact=\"dimension-heard-about\""));
        assert!(page.contains("data-artifact=\"first-touch-report\""));
    })
}
