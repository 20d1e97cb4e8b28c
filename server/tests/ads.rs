//! ChatGPT Ads through the REST API and the command line, against the strict double of the
//! Advertiser API (`common/ads_api.rs`): connect, link a campaign and its creatives (with the
//! proposed matches), publish (dry run, then for real: only drifted ads touched, a second
//! publish does nothing), drift after an edit in Ads Manager, review, 429 backing off, cursor
//! pages, and a key that never shows.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};
use utmforge_testkit::http::{send, Reply};

mod common;

use common::ads_api::AdsApi;

const KEY: &str = "sk-ads-TEST-0123456789-secret";

struct Harness {
    app: axum::Router,
    api: AdsApi,
    editor: String,
    viewer: String,
    campaign: String,
    /// Creative ids by variant.
    creatives: Vec<(String, String)>,
    urls: Vec<(String, String)>,
    _dir: common::TempDir,
}

impl Harness {
    async fn call(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let body = body.map_or(Body::empty(), |b| Body::from(b.to_string()));
        send(&self.app, request.body(body).unwrap()).await
    }

    /// `utmforge ARGS` on this test's database, connected to the double (the key from the
    /// environment, as an operator sets it).
    fn utmforge(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_utmforge"))
            .args(args)
            .env("UTMFORGE_DATABASE_URL", self._dir.database_url())
            .env("OPENAI_ADS_API_KEY", KEY)
            .env("UTMFORGE_ADS_API_BASE", self.api.base())
            .env("UTMFORGE_ADS_API_ALLOW_PRIVATE", "true")
            .output()
            .unwrap()
    }

    /// Links the campaign to `cmpn_1` › `adgrp_1`.
    async fn link(&self) {
        let r = self
            .call(
                Method::PUT,
                &format!("/campaigns/{}/ads/link", self.campaign),
                &self.editor,
                Some(json!({"ads_campaign_id": "cmpn_1", "ad_group_id": "adgrp_1"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }

    /// `POST path` as `multipart/form-data`: text `fields`, and the file `image` when given.
    async fn form(&self, path: &str, fields: &[(&str, &str)], image: Option<&[u8]>) -> Reply {
        let boundary = "utmforge-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes());
        }
        if let Some(image) = image {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"card.png\"\r\nContent-Type: image/png\r\n\r\n").bytes());
            body.extend(image);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").bytes());
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.editor))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        send(&self.app, request).await
    }

    /// OpenAI's results row of ad `ad_{6000 + i}` (see [`drifted`]) for the day `k` days
    /// before the server's today.
    fn insight(&self, i: i64, k: i64, metrics: Value) {
        self.api.insight(
            &format!("ad_{}", 6000 + i),
            common::TODAY_MS / 1000 - k * 86_400,
            &days_ago(k),
            metrics,
        );
    }

    fn creative(&self, variant: &str) -> &str {
        &self.creatives.iter().find(|(v, _)| v == variant).unwrap().1
    }

    fn url(&self, variant: &str) -> &str {
        &self.urls.iter().find(|(v, _)| v == variant).unwrap().1
    }
}

/// A campaign with three creatives, and the double with an ad for each: one already carrying
/// the creative's URL, one with the right UTMs on an old landing page, one matched by name.
async fn harness(name: &str, key: &str) -> Harness {
    let dir = common::TempDir::new(&format!("ads-{name}"));
    let api = AdsApi::start(KEY);
    let store = utmforge_store::Store::open(&dir.database_url())
        .await
        .unwrap();
    let (app, cli) = common::bare_app_with_ads(
        store,
        utmforge_service::Clock::Fixed(common::TODAY_MS),
        Some(common::ads_client(&api.base(), key)),
    );
    let (_, editor) = common::person(&cli, "editor@example.com", "editor").await;
    let (_, viewer) = common::person(&cli, "viewer@example.com", "viewer").await;
    let mut h = Harness {
        app,
        api,
        editor,
        viewer,
        campaign: String::new(),
        creatives: Vec::new(),
        urls: Vec::new(),
        _dir: dir,
    };
    let r = h
        .call(
            Method::POST,
            "/campaigns",
            &h.editor,
            Some(json!({"name": "Spring Sale", "buying_model": "cpc", "landing_url": "https://shop.example.com/spring",
                        "conversion": "order_created", "status": "active"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    h.campaign = r.json()["id"].as_str().unwrap().to_string();
    for variant in ["Hero", "Sidebar", "Tall card"] {
        let r = h
            .call(
                Method::POST,
                &format!("/campaigns/{}/creatives", h.campaign),
                &h.editor,
                Some(json!({"variant": variant})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let k = r.json();
        h.creatives
            .push((variant.into(), k["id"].as_str().unwrap().into()));
        h.urls
            .push((variant.into(), k["url"].as_str().unwrap().into()));
    }
    h.api.add_ad("ad_501", "Hero card", h.url("Hero"));
    h.api.add_ad(
        "ad_502",
        "Right column",
        "https://shop.example.com/old-spring?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=sidebar",
    );
    h.api.add_ad(
        "ad_503",
        "tall  CARD",
        "https://shop.example.com/hand-typed",
    );
    h.api
        .add_ad("ad_599", "Somebody else's", "https://other.example/");
    h
}

#[test]
fn link_publish_and_watch_drift() {
    common::run(async {
        let h = harness("flow", KEY).await;

        // Connected: the account as OpenAI describes it.
        let c = h
            .call(Method::GET, "/ads/connection", &h.viewer, None)
            .await;
        assert_eq!(c.status, StatusCode::OK, "{}", c.body);
        let c = c.json();
        assert_eq!(
            (
                &c["state"],
                &c["account"]["name"],
                &c["account"]["currency_code"],
                &c["account"]["timezone"]
            ),
            (
                &json!("connected"),
                &json!("Acme Ads"),
                &json!("USD"),
                &json!("America/New_York")
            )
        );

        // Link the campaign: the lists come from the API; a wrong ad group is refused by name.
        let list = h
            .call(Method::GET, "/ads/campaigns", &h.viewer, None)
            .await
            .json();
        assert_eq!(list[0]["name"], "Spring in ChatGPT");
        let groups = h
            .call(
                Method::GET,
                "/ads/campaigns/cmpn_1/ad-groups",
                &h.viewer,
                None,
            )
            .await
            .json();
        assert_eq!(groups.as_array().unwrap().len(), 1, "{groups}");
        let path = format!("/campaigns/{}/ads/link", h.campaign);
        let wrong = h
            .call(
                Method::PUT,
                &path,
                &h.editor,
                Some(json!({"ads_campaign_id": "cmpn_1", "ad_group_id": "adgrp_2"})),
            )
            .await;
        assert_eq!(
            (wrong.status, wrong.json()["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("ad-group")),
            "{}",
            wrong.body
        );
        let viewer = h
            .call(
                Method::PUT,
                &path,
                &h.viewer,
                Some(json!({"ads_campaign_id": "cmpn_1", "ad_group_id": "adgrp_1"})),
            )
            .await;
        assert_eq!(viewer.status, StatusCode::FORBIDDEN);
        let linked = h
            .call(
                Method::PUT,
                &path,
                &h.editor,
                Some(json!({"ads_campaign_id": "cmpn_1", "ad_group_id": "adgrp_1"})),
            )
            .await;
        assert_eq!(linked.status, StatusCode::OK, "{}", linked.body);
        assert_eq!(linked.json()["ad_group_name"], "US English");

        // The proposals: same URL, same UTMs, same name; the fourth ad is nobody's.
        let view = h
            .call(
                Method::GET,
                &format!("/campaigns/{}/ads", h.campaign),
                &h.viewer,
                None,
            )
            .await
            .json();
        let proposals: Vec<(String, String, String)> = view["proposals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["creative_id"].as_str().unwrap().into(),
                    p["ad_id"].as_str().unwrap().into(),
                    p["reason"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(
            proposals,
            [
                (
                    h.creative("Hero").into(),
                    "ad_501".into(),
                    "same-url".into()
                ),
                (
                    h.creative("Sidebar").into(),
                    "ad_502".into(),
                    "same-utm".into()
                ),
                (
                    h.creative("Tall card").into(),
                    "ad_503".into(),
                    "same-name".into()
                ),
            ]
        );
        assert_eq!(view["ads"].as_array().unwrap().len(), 4);

        // Confirm them; the page then knows at once which ads carry utmforge's URL.
        let links: Vec<Value> = proposals
            .iter()
            .map(|(k, a, _)| json!({"creative_id": k, "ad_id": a}))
            .collect();
        let saved = h
            .call(
                Method::PUT,
                &format!("/campaigns/{}/ads", h.campaign),
                &h.editor,
                Some(json!({"links": links})),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let view = h
            .call(
                Method::GET,
                &format!("/campaigns/{}/ads", h.campaign),
                &h.viewer,
                None,
            )
            .await
            .json();
        let states: Vec<&str> = view["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["sync"].as_str().unwrap())
            .collect();
        assert_eq!(states, ["in-sync", "drifted", "drifted"]);

        // A dry run lists old → new and changes nothing (a viewer may look).
        let publish = format!("/campaigns/{}/ads/publish", h.campaign);
        let dry = h
            .call(
                Method::POST,
                &format!("{publish}?dry_run=true"),
                &h.viewer,
                None,
            )
            .await;
        assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
        let dry = dry.json();
        assert_eq!(dry["changes"].as_array().unwrap().len(), 2, "{dry}");
        assert_eq!(dry["changes"][0]["before"], "https://shop.example.com/old-spring?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=sidebar");
        assert_eq!(dry["changes"][0]["after"], h.url("Sidebar"));
        assert_eq!(dry["in_sync"], 1);
        assert_eq!(h.api.updates(), 0, "a dry run changes nothing");
        assert_eq!(
            h.call(Method::POST, &publish, &h.viewer, None).await.status,
            StatusCode::FORBIDDEN
        );

        // Publish: only the two drifted ads are updated, with their whole creative, and go
        // back to review.
        let done = h.call(Method::POST, &publish, &h.editor, None).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let done = done.json();
        assert!(
            done["changes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["done"] == true),
            "{done}"
        );
        assert_eq!(done["changes"][0]["outcome"], "updated (review: in_review)");
        assert_eq!(h.api.updates(), 2);
        let ad = h.api.ad("ad_502");
        assert_eq!(ad["creative"]["target_url"], h.url("Sidebar"));
        assert_eq!(
            (&ad["creative"]["title"], &ad["creative"]["file_id"]),
            (&json!("Spring sale"), &json!("file_901"))
        );
        assert_eq!(ad["review_status"], "in_review");
        assert_eq!(
            h.api.ad("ad_501")["review_status"],
            "approved",
            "an ad in sync is not touched"
        );
        // In the activity log: who, which ads, old → new, OpenAI's answer.
        let log = h
            .call(
                Method::GET,
                &format!("/activity?campaign_id={}&action=ads-published", h.campaign),
                &h.viewer,
                None,
            )
            .await
            .json();
        assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
        assert_eq!(log[0]["actor"], "editor (token “tests”)");
        assert_eq!(log[0]["urls_changed"], 2);
        assert_eq!(log[0]["urls"][0]["after"], h.url("Sidebar"));
        let outcomes: Vec<&str> = log[0]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["after"].as_str().unwrap())
            .collect();
        assert_eq!(outcomes, ["updated (review: in_review)"; 2], "{log}");
        // A second publish has nothing to do.
        let again = h.call(Method::POST, &publish, &h.editor, None).await.json();
        assert_eq!(
            (
                again["changes"].as_array().unwrap().len(),
                &again["in_sync"]
            ),
            (0, &json!(3))
        );
        assert_eq!(h.api.updates(), 2);

        // Someone edits an ad in Ads Manager, and review rejects another: the sync sees both.
        h.api
            .edit_in_ads_manager("ad_501", "https://shop.example.com/typo");
        h.api.review("ad_503", "rejected");
        let rows = h
            .call(
                Method::POST,
                &format!("/campaigns/{}/ads/sync", h.campaign),
                &h.viewer,
                None,
            )
            .await;
        assert_eq!(rows.status, StatusCode::OK, "{}", rows.body);
        let rows = rows.json();
        assert_eq!(rows[0]["sync"], "drifted");
        assert_eq!(rows[0]["ad"]["target_url"], "https://shop.example.com/typo");
        assert_eq!(rows[2]["ad"]["review_status"], "rejected");
        assert_eq!(
            rows[2]["ad"]["serving_issues"],
            json!(["The ad was rejected in review"])
        );
        // The campaigns list's problems filter shows both.
        let list = h
            .call(Method::GET, "/campaigns?problems=true", &h.viewer, None)
            .await
            .json();
        assert_eq!(list["items"][0]["problems"]["drifted"], 1, "{list}");
        assert_eq!(list["items"][0]["problems"]["rejected"], 1, "{list}");

        // The command line reads the ads again and says the same; exit 1.
        let status = h.utmforge(&["ads", "status", "--campaign", "spring-sale"]);
        let out = String::from_utf8_lossy(&status.stdout).to_string();
        assert_eq!(
            status.status.code(),
            Some(1),
            "{out} {}",
            String::from_utf8_lossy(&status.stderr)
        );
        assert!(out.contains("Hero\tdrifted\tHero card (ad_501)"), "{out}");
        assert!(
            out.contains("ad carries https://shop.example.com/typo"),
            "{out}"
        );
        assert!(
            out.contains("review rejected")
                && out.contains("serving issue: The ad was rejected in review"),
            "{out}"
        );
        // A dry run from the command line lists the one ad to fix and changes nothing.
        let dry = h.utmforge(&["ads", "publish", "--campaign", "spring-sale", "--dry-run"]);
        let text = String::from_utf8_lossy(&dry.stdout).to_string();
        assert_eq!(dry.status.code(), Some(0), "{text}");
        assert!(
            text.contains("1 ads would change") && text.contains("https://shop.example.com/typo →"),
            "{text}"
        );
        assert_eq!(h.api.updates(), 2);
        let published = h.utmforge(&["ads", "publish", "--campaign", "spring-sale"]);
        let text = String::from_utf8_lossy(&published.stdout).to_string();
        assert!(text.contains("1 of 1 ads changed"), "{text}");
        assert_eq!(h.api.updates(), 3);
        for run in [&status, &dry, &published] {
            for stream in [&run.stdout, &run.stderr] {
                assert!(
                    !String::from_utf8_lossy(stream).contains(KEY),
                    "the key is never printed"
                );
            }
        }

        h.api.assert_no_violations();
    })
}

#[test]
fn a_rate_limited_publish_waits_and_finishes() {
    common::run(async {
        let h = harness("limit", KEY).await;
        let path = format!("/campaigns/{}/ads/link", h.campaign);
        h.call(
            Method::PUT,
            &path,
            &h.editor,
            Some(json!({"ads_campaign_id": "cmpn_1", "ad_group_id": "adgrp_1"})),
        )
        .await;
        let links = json!({"links": [
            {"creative_id": h.creative("Hero"), "ad_id": "ad_501"},
            {"creative_id": h.creative("Sidebar"), "ad_id": "ad_502"},
            {"creative_id": h.creative("Tall card"), "ad_id": "ad_503"},
        ]});
        let r = h
            .call(
                Method::PUT,
                &format!("/campaigns/{}/ads", h.campaign),
                &h.editor,
                Some(links),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Three calls a second from now on: a publish reads three ads and updates two.
        h.api.limit(3, std::time::Duration::from_secs(1));
        let done = h
            .call(
                Method::POST,
                &format!("/campaigns/{}/ads/publish", h.campaign),
                &h.editor,
                None,
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let done = done.json();
        assert_eq!(done["changes"].as_array().unwrap().len(), 2, "{done}");
        assert!(
            done["changes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["done"] == true),
            "{done}"
        );
        let throttled = h.api.state().calls.iter().filter(|c| c.2 == 429).count();
        assert!(throttled >= 1, "the limit was reached");
        // Every retry waited as long as Retry-After said.
        h.api.assert_no_violations();
    })
}

#[test]
fn lists_are_read_page_by_page() {
    common::run(async {
        let h = harness("pages", KEY).await;
        for i in 0..1_203 {
            h.api.add_ad(
                &format!("ad_{:05}", 10_000 + i),
                &format!("Extra {i}"),
                "https://shop.example.com/x",
            );
        }
        h.call(
            Method::PUT,
            &format!("/campaigns/{}/ads/link", h.campaign),
            &h.editor,
            Some(json!({"ads_campaign_id": "cmpn_1", "ad_group_id": "adgrp_1"})),
        )
        .await;
        let view = h
            .call(
                Method::GET,
                &format!("/campaigns/{}/ads", h.campaign),
                &h.viewer,
                None,
            )
            .await
            .json();
        assert_eq!(view["ads"].as_array().unwrap().len(), 1_207);
        let pages = h
            .api
            .state()
            .calls
            .iter()
            .filter(|c| c.1.starts_with("/v1/ads?"))
            .count();
        assert_eq!(pages, 3, "500 + 500 + 207");
        h.api.assert_no_violations();
    })
}

#[test]
fn a_refused_key_says_so_and_never_shows() {
    common::run(async {
        let h = harness("key", "sk-ads-WRONG-key-0000").await;
        let c = h
            .call(Method::GET, "/ads/connection", &h.viewer, None)
            .await;
        assert_eq!(c.status, StatusCode::OK);
        let c = c.json();
        assert_eq!(c["state"], "key-refused", "{c}");
        assert!(
            c["problem"]
                .as_str()
                .unwrap()
                .contains("OPENAI_ADS_API_KEY"),
            "{c}"
        );
        let r = h.call(Method::GET, "/ads/campaigns", &h.viewer, None).await;
        assert_eq!(
            (r.status, r.json()["error"]["code"].as_str()),
            (StatusCode::SERVICE_UNAVAILABLE, Some("ads-key-refused"))
        );
        for text in [c.to_string(), r.body] {
            assert!(!text.contains("WRONG") && !text.contains(KEY), "{text}");
        }
        assert!(h.api.state().unauthorized >= 2);
    })
}

#[test]
fn without_a_key_the_pages_say_the_server_is_not_connected() {
    common::run(async {
        let dir = common::TempDir::new("ads-none");
        let app = common::app(&dir).await;
        let r = send(
            &app,
            Request::get("/api/v1/ads/connection")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.json()["state"], "not-configured");
        let r = send(
            &app,
            Request::get("/api/v1/ads/campaigns")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(
            (r.status, r.json()["error"]["code"].as_str()),
            (StatusCode::SERVICE_UNAVAILABLE, Some("ads-not-connected"))
        );
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("OPENAI_ADS_API_KEY"));
    })
}

#[test]
fn a_retried_create_makes_one_ad_paused_and_linked() {
    common::run(async {
        let h = harness("create", KEY).await;
        h.link().await;
        let path = format!("/campaigns/{}/ads/create", h.campaign);
        // The documented rules first, each named; nothing is sent.
        let bad = h
            .call(Method::POST, &path, &h.editor, Some(json!({"creative_id": h.creative("Hero"), "title": "Hi", "body": "x".repeat(101), "image_url": "ftp://img"})))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let fields: Vec<String> = bad.json()["error"]["all"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["field"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, ["ad-title", "ad-body", "ad"], "{}", bad.body);
        assert_eq!(h.api.state().uploads.len(), 0);
        // OpenAI makes the ad but its answer is lost: the retry (same Idempotency-Key, same
        // body) gets the same ad.
        h.api.state().lose_next_create = true;
        let good = json!({"creative_id": h.creative("Hero"), "title": "Spring sale", "body": "Up to 30% off.", "image_url": "https://shop.example.com/card.png"});
        let made = h
            .call(Method::POST, &path, &h.editor, Some(good.clone()))
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let made = made.json();
        let created: Vec<Value> = h
            .api
            .state()
            .ads
            .iter()
            .filter(|a| a["name"] == "Hero")
            .cloned()
            .collect();
        assert_eq!(created.len(), 1, "one ad, not two");
        assert_eq!(
            (&created[0]["status"], &created[0]["creative"]["target_url"]),
            (&json!("paused"), &json!(h.url("Hero")))
        );
        assert_eq!(made["ad_id"], created[0]["id"]);
        assert_eq!(made["review_status"], "in_review");
        // A second click is the same create: still one ad, and the creative already has it.
        let again = h.call(Method::POST, &path, &h.editor, Some(good)).await;
        assert_eq!(
            (again.status, again.json()["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("duplicate"))
        );
        assert_eq!(
            h.api
                .state()
                .ads
                .iter()
                .filter(|a| a["name"] == "Hero")
                .count(),
            1
        );
        let view = h
            .call(
                Method::GET,
                &format!("/campaigns/{}/ads", h.campaign),
                &h.viewer,
                None,
            )
            .await
            .json();
        assert_eq!(view["rows"][0]["sync"], "in-sync");
        h.api.assert_no_violations();
    })
}

/// The field each notice of a 422 names, in order.
/// The server's day `k` days before its today (`YYYY-MM-DD`).
fn days_ago(k: i64) -> String {
    utmforge_core::time::date(common::TODAY_MS - k * 86_400_000)
}

/// `r` is a 422 naming exactly `field`.
fn assert_refused(r: &Reply, field: &str) {
    assert_eq!(
        (r.status, fields(r)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec![field.to_string()]),
        "{}",
        r.body
    );
}

fn fields(r: &Reply) -> Vec<String> {
    let error = &r.json()["error"];
    match error["all"].as_array() {
        Some(all) => all
            .iter()
            .map(|n| n["field"].as_str().unwrap().to_owned())
            .collect(),
        None => vec![error["field"].as_str().unwrap_or("(none)").to_owned()],
    }
}

#[test]
fn a_creative_becomes_an_ad_with_its_headline_description_and_an_image_file() {
    common::run(async {
        let h = harness("image", KEY).await;
        h.link().await;
        let creative = format!("/creatives/{}", h.creative("Sidebar"));
        // The description is a creative field, at most what an ad's body takes.
        let long = h
            .call(
                Method::PATCH,
                &creative,
                &h.editor,
                Some(json!({"version": 1, "description": "d".repeat(101)})),
            )
            .await;
        assert_eq!(fields(&long), ["description"], "{}", long.body);
        let path = format!("/campaigns/{}/ads/create", h.campaign);
        let png = utmforge_core::ads::samples::png(1200, 1200);
        // A headline too long for an ad's title is named as the creative's headline.
        let r = h
            .call(
                Method::PATCH,
                &creative,
                &h.editor,
                Some(json!({"version": 1,
                "headline": "Spring sale: every planner, notebook and pen at up to 30% off",
                "description": "Free delivery on orders over $30."})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let sidebar = h.creative("Sidebar").to_string();
        let too_long = h
            .form(&path, &[("creative_id", &sidebar)], Some(&png))
            .await;
        assert_eq!(
            too_long.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            too_long.body
        );
        assert_eq!(fields(&too_long), ["headline"], "{}", too_long.body);
        assert!(
            too_long.body.contains("the creative's headline"),
            "{}",
            too_long.body
        );
        // An image too small, not an image, or both a file and an address: refused, named
        // `ad`, nothing uploaded.
        let small = h
            .form(
                &path,
                &[("creative_id", &sidebar), ("title", "Spring sale")],
                Some(&utmforge_core::ads::samples::png(800, 600)),
            )
            .await;
        assert_eq!(fields(&small), ["ad"], "{}", small.body);
        assert!(
            small.body.contains("800×600") && small.body.contains("640×640"),
            "{}",
            small.body
        );
        let gif = h
            .form(
                &path,
                &[("creative_id", &sidebar), ("title", "Spring sale")],
                Some(b"GIF89a-not-what-ads-take"),
            )
            .await;
        assert!(gif.body.contains("not a JPEG, PNG or WebP"), "{}", gif.body);
        let both = h
            .form(
                &path,
                &[
                    ("creative_id", &sidebar),
                    ("title", "Spring sale"),
                    ("image_url", "https://shop.example.com/a.png"),
                ],
                Some(&png),
            )
            .await;
        assert!(both.body.contains("not both"), "{}", both.body);
        let unknown = h
            .form(
                &path,
                &[("creative_id", &sidebar), ("colour", "red")],
                Some(&png),
            )
            .await;
        assert!(
            unknown.body.contains("unknown field “colour”"),
            "{}",
            unknown.body
        );
        assert_eq!(h.api.state().uploads.len(), 0);
        // A headline that fits: the ad takes it and the description, the image sent as a file.
        let r = h
            .call(
                Method::PATCH,
                &creative,
                &h.editor,
                Some(json!({"version": 2, "headline": "Spring sale: 30% off"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let made = h
            .form(&path, &[("creative_id", &sidebar)], Some(&png))
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let ad = h.api.ad(made.json()["ad_id"].as_str().unwrap());
        assert_eq!(
            (
                &ad["creative"]["title"],
                &ad["creative"]["body"],
                &ad["creative"]["target_url"],
                &ad["status"]
            ),
            (
                &json!("Spring sale: 30% off"),
                &json!("Free delivery on orders over $30."),
                &json!(h.url("Sidebar")),
                &json!("paused")
            )
        );
        assert_eq!(
            h.api.state().uploads,
            [format!("file:image/png:{}", png.len())]
        );
        // The export and the creative carry the description.
        let k = h.call(Method::GET, &creative, &h.viewer, None).await.json();
        assert_eq!(k["description"], "Free delivery on orders over $30.");
        h.api.assert_no_violations();
    })
}

/// `n` more creatives, each linked to an ad of its own whose URL is an older one.
async fn drifted(h: &mut Harness, n: usize) {
    let mut pairs = Vec::new();
    for i in 0..n {
        let r = h
            .call(
                Method::POST,
                &format!("/campaigns/{}/creatives", h.campaign),
                &h.editor,
                Some(json!({"variant": format!("Card {i:02}")})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_str().unwrap().to_string();
        let ad = format!("ad_{}", 6000 + i);
        h.api.add_ad(
            &ad,
            &format!("Card {i:02}"),
            &format!("https://shop.example.com/old-{i}"),
        );
        pairs.push(json!({"creative_id": id, "ad_id": ad}));
    }
    let r = h
        .call(
            Method::PUT,
            &format!("/campaigns/{}/ads", h.campaign),
            &h.editor,
            Some(json!({"links": pairs})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[test]
fn many_drifted_ads_are_published_in_a_validated_bulk_job() {
    common::run(async {
        let mut h = harness("bulk", KEY).await;
        h.link().await;
        drifted(&mut h, 60).await;
        h.api.state().bulk_fail = vec![(
            "ad_6007".into(),
            "target_url is not reachable by OAI-AdsBot".into(),
        )];
        let path = format!("/campaigns/{}/ads/publish", h.campaign);
        let plan = h.call(Method::POST, &path, &h.editor, None).await;
        assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
        let plan = plan.json();
        let changes = plan["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 60);
        assert_eq!(changes.iter().filter(|c| c["done"] == true).count(), 59);
        let failed = changes.iter().find(|c| c["ad_id"] == "ad_6007").unwrap();
        assert_eq!(
            failed["outcome"],
            "not changed: target_url is not reachable by OAI-AdsBot"
        );
        // One validation job, then one job with the 59 valid updates; no update one by one.
        let jobs: Vec<(bool, usize)> = h
            .api
            .state()
            .jobs
            .iter()
            .map(|j| {
                (
                    j.validate_only,
                    j.body["operations"].as_array().unwrap().len(),
                )
            })
            .collect();
        assert_eq!(jobs, [(true, 60), (false, 59)]);
        assert_eq!(plan["bulk_jobs"], json!(["bmj_101"]));
        assert_eq!(h.api.updates(), 0);
        let ad = h.api.ad("ad_6003");
        assert_eq!(
            (&ad["review_status"], &ad["creative"]["title"]),
            (&json!("in_review"), &json!("Spring sale"))
        );
        assert!(
            ad["creative"]["target_url"]
                .as_str()
                .unwrap()
                .contains("utm_content=card-03"),
            "{ad}"
        );
        // The page shows each as published (in sync, in review) but the refused one.
        let view = h
            .call(
                Method::GET,
                &format!("/campaigns/{}/ads", h.campaign),
                &h.viewer,
                None,
            )
            .await
            .json();
        let rows = view["rows"].as_array().unwrap();
        let synced = rows
            .iter()
            .filter(|r| r["sync"] == "in-sync" && r["ad"]["review_status"] == "in_review")
            .count();
        assert_eq!(synced, 59, "{view}");
        // The activity log names the job's outcome per ad.
        let log = h
            .call(
                Method::GET,
                &format!("/activity?campaign_id={}", h.campaign),
                &h.viewer,
                None,
            )
            .await;
        assert!(
            log.body.contains("updated by bulk job bmj_101"),
            "{}",
            log.body
        );
        // What is left (one ad) goes one call at a time: below the bulk threshold.
        h.api.state().bulk_fail.clear();
        let again = h.call(Method::POST, &path, &h.editor, None).await.json();
        assert_eq!(again["changes"].as_array().unwrap().len(), 1, "{again}");
        assert_eq!(again["changes"][0]["done"], true);
        assert_eq!((h.api.updates(), h.api.state().jobs.len()), (1, 2));
        h.api.assert_no_violations();
    })
}

#[test]
fn without_the_bulk_api_a_large_publish_goes_ad_by_ad() {
    common::run(async {
        let mut h = harness("nobulk", KEY).await;
        h.link().await;
        drifted(&mut h, 55).await;
        h.api.state().no_bulk = true;
        let plan = h
            .call(
                Method::POST,
                &format!("/campaigns/{}/ads/publish", h.campaign),
                &h.editor,
                None,
            )
            .await
            .json();
        let done = plan["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["done"] == true)
            .count();
        assert_eq!(done, 55, "{plan}");
        assert_eq!(h.api.updates(), 55);
        h.api.assert_no_violations();
    })
}

#[test]
fn results_are_pulled_per_ad_and_day_and_a_day_read_again_replaces_it() {
    common::run(async {
        let mut h = harness("insights", KEY).await;
        h.link().await;
        drifted(&mut h, 25).await;
        // OpenAI has 93 days of rows for each of the 25 ads, up to the server's today; one day
        // of one ad has no spend yet (null: not finalized).
        for i in 0..25 {
            for k in 0..=92 {
                let spend = if i == 0 && k == 1 {
                    json!(null)
                } else {
                    json!(2.5)
                };
                h.insight(
                    i,
                    k,
                    json!({"impressions": 1200, "clicks": 30, "spend": spend, "conversions": null}),
                );
            }
        }
        let pull = format!("/campaigns/{}/ads/results/pull", h.campaign);
        // The first pull reads 90 days back (the window's first, cut day aside), in two pages.
        let first = h.call(Method::POST, &pull, &h.viewer, None).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        assert_eq!(
            (first.json()["days"].as_i64(), first.json()["rows"].as_i64()),
            (Some(90), Some(25 * 90))
        );
        let pages = h
            .api
            .state()
            .calls
            .iter()
            .filter(|(m, p, _)| m == "GET" && p.contains("/insights"))
            .count();
        assert_eq!(pages, 2);
        let results = format!(
            "/campaigns/{}/ads/results?from={}&to={}",
            h.campaign,
            days_ago(90),
            days_ago(1)
        );
        let r = h.call(Method::GET, &results, &h.viewer, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = r.json();
        let card = |r: &Value, v: &str| {
            r["creatives"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["variant"] == v)
                .cloned()
                .unwrap()
        };
        let c0 = card(&r, "Card 00");
        assert_eq!(c0["days"].as_array().unwrap().len(), 90);
        assert_eq!(c0["totals"]["impressions"], 90 * 1200);
        // The null day stays unknown: the sum is of the 89 known days, and the day says null.
        assert_eq!(c0["totals"]["spend_micros"], 89 * 2_500_000);
        let yesterday = c0["days"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["day"] == days_ago(1))
            .cloned()
            .unwrap();
        assert_eq!(yesterday["spend_micros"], Value::Null);
        assert_eq!(c0["totals"]["conversions"], Value::Null);
        assert_eq!(c0["rates"]["ctr"], 0.025);
        // A creative without an ad has no results, and says so by having no ad.
        let hero = card(&r, "Hero");
        assert_eq!(
            (&hero["ad_id"], hero["days"].as_array().unwrap().len()),
            (&Value::Null, 0)
        );
        assert_eq!(r["totals"]["impressions"], 25 * 90 * 1200);
        // Each day, the creatives summed (the chart's numbers): yesterday's spend leaves out the
        // unknown one.
        let daily = r["daily"].as_array().unwrap();
        assert_eq!(daily.len(), 90);
        let y = daily.iter().find(|d| d["day"] == days_ago(1)).unwrap();
        assert_eq!(
            (&y["totals"]["impressions"], &y["totals"]["spend_micros"]),
            (&json!(25 * 1200), &json!(24 * 2_500_000))
        );
        // The same as a file: a row per creative and day, the unknown spend an empty cell.
        let file = h
            .call(
                Method::GET,
                &results.replace("/ads/results?", "/ads/results.csv?"),
                &h.viewer,
                None,
            )
            .await;
        assert_eq!(file.status, StatusCode::OK, "{}", file.body);
        let lines: Vec<&str> = file.body.lines().collect();
        assert_eq!(
            lines[0],
            "day,creative,ad_id,impressions,clicks,spend,conversions,attributed_sales,currency"
        );
        assert_eq!(lines.len(), 1 + 25 * 90);
        let y = days_ago(1);
        assert!(
            lines.contains(&format!("{y},Card 00,ad_6000,1200,30,,,,USD").as_str()),
            "{}",
            &file.body[..400]
        );
        assert!(lines.contains(&format!("{y},Card 01,ad_6001,1200,30,2.500000,,,USD").as_str()));
        // Spend is finalized later: the next pull reads the last two days again and replaces them.
        h.insight(
            0,
            1,
            json!({"impressions": 1250, "clicks": 31, "spend": 7.25}),
        );
        let again = h.call(Method::POST, &pull, &h.viewer, None).await.json();
        assert_eq!(
            (again["days"].as_i64(), again["rows"].as_i64()),
            (Some(2), Some(25 * 2))
        );
        let r = h.call(Method::GET, &results, &h.viewer, None).await.json();
        let c0 = card(&r, "Card 00");
        let yesterday = c0["days"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["day"] == days_ago(1))
            .cloned()
            .unwrap();
        assert_eq!(
            (&yesterday["spend_micros"], &yesterday["impressions"]),
            (&json!(7_250_000), &json!(1250))
        );
        assert_eq!(
            c0["days"].as_array().unwrap().len(),
            90,
            "replaced, not added"
        );
        // The sums follow the new pull (they are kept in memory until the campaign is pulled
        // again): 89 days at 2.50 and yesterday at 7.25.
        assert_eq!(c0["totals"]["spend_micros"], 89 * 2_500_000 + 7_250_000);
        // A range the server cannot read is refused by name.
        let bad = h
            .call(
                Method::GET,
                &format!("/campaigns/{}/ads/results?from=yesterday", h.campaign),
                &h.viewer,
                None,
            )
            .await;
        assert_refused(&bad, "date");
        h.api.assert_no_violations();
    })
}

#[test]
fn the_ga4_cost_data_file_sums_each_campaign_and_day_and_needs_utm_id() {
    common::run(async {
        let mut h = harness("cost-data", KEY).await;
        h.link().await;
        drifted(&mut h, 3).await;
        // Three ads, three days: ad_6000 has no spend yet two days ago, nobody has three days ago.
        for i in 0..3_i64 {
            for k in 1..=3 {
                let spend = if k == 3 || (i == 0 && k == 2) {
                    json!(null)
                } else {
                    json!(1.25 + i as f64)
                };
                h.insight(
                    i,
                    k,
                    json!({"impressions": 1000, "clicks": 10 + i, "spend": spend}),
                );
            }
        }
        let pull = format!("/campaigns/{}/ads/results/pull", h.campaign);
        let r = h.call(Method::POST, &pull, &h.viewer, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let range = ["--from", &days_ago(3), "--to", &days_ago(1)];
        let url = format!("/ga4/cost-data.csv?from={}&to={}", days_ago(3), days_ago(1));
        // Links without utm_id: GA4 could match nothing, so there is no file, and it says why.
        let refused = h.call(Method::GET, &url, &h.viewer, None).await;
        assert_refused(&refused, "id");
        assert!(
            refused.body.contains("Links carry utm_id"),
            "{}",
            refused.body
        );
        let cli = h.utmforge(&[&["ga4", "cost-data"][..], &range[..]].concat());
        assert_eq!(cli.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&cli.stderr).contains("utm_id"));
        assert!(cli.stdout.is_empty());
        // utm_id on (the campaign is active: its ads carry the old links, confirmed).
        let mut set = std::process::Command::new(env!("CARGO_BIN_EXE_utmforge"))
            .args(["settings", "set", "--file", "-", "--confirm-live-change"])
            .env("UTMFORGE_DATABASE_URL", h._dir.database_url())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        set.stdin
            .take()
            .unwrap()
            .write_all(br#"{"utm_id": true}"#)
            .unwrap();
        let set = set.wait_with_output().unwrap();
        assert!(
            set.status.success(),
            "{}",
            String::from_utf8_lossy(&set.stderr)
        );
        let file = h.call(Method::GET, &url, &h.viewer, None).await;
        assert_eq!(file.status, StatusCode::OK, "{}", file.body);
        assert_eq!(
            file.headers
                .get(header::CONTENT_DISPOSITION)
                .and_then(|v| v.to_str().ok()),
            Some(
                format!(
                    "attachment; filename=\"chatgpt-ads-cost-data-{}-{}.csv\"",
                    days_ago(3),
                    days_ago(1)
                )
                .as_str()
            )
        );
        // A row per utm_id, source, medium and day: the three ads summed, an unknown spend left
        // out of the sum, the day without any known spend left out of the file.
        let id = utmforge_core::campaign::utm_id_of(&h.campaign);
        assert_eq!(
            file.body,
            format!(
                "campaign_id,campaign_name,source,medium,date,impressions,clicks,cost\n\
                 {id},spring-sale,chatgpt,cpc,{},3000,33,5.50\n\
                 {id},spring-sale,chatgpt,cpc,{},3000,33,6.75\n",
                days_ago(2),
                days_ago(1)
            )
        );
        // The campaigns list says what each campaign's ads cost over the last 30 days.
        let list = h
            .call(Method::GET, "/campaigns", &h.viewer, None)
            .await
            .json();
        let row = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == h.campaign.as_str())
            .cloned()
            .unwrap();
        assert_eq!(row["spend_30_days_micros"], 12_250_000);
        // The command line prints the same file.
        let cli = h.utmforge(&[&["ga4", "cost-data"][..], &range[..]].concat());
        assert_eq!(
            cli.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&cli.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&cli.stdout), file.body);
        // A range it cannot read is refused by name.
        let bad = h
            .call(
                Method::GET,
                "/ga4/cost-data.csv?from=2025-01-01&to=2026-12-31",
                &h.viewer,
                None,
            )
            .await;
        assert_refused(&bad, "date");
        h.api.assert_no_violations();
    })
}
