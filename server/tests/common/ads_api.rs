//! A strict test double of OpenAI's Advertiser API (`https://api.ads.openai.com/v1`), served on
//! loopback by the test process, built from the documentation (developers.openai.com/ads:
//! api-overview, api-reference/ad-account, campaigns, ad-groups, ads; `shared/openai-ads.md` §5)
//! and sharing no code with the product's client. One bearer key is one ad account (any other
//! is 401). Lists take only their documented parameters (`limit` 1–500, default 20; `after`,
//! `before`, `order`; the parent id required) and answer `{object, data, first_id, last_id,
//! has_more}`; `GET /ads/{id}` takes only `include[]=serving_issues`; an ad update takes only
//! `name`, `status` and a *full* `creative` (`type` chat_card, `title` 3–50, `body` ≤ 100,
//! `target_url` http(s) ≤ 2,048, `file_id`; nothing else — not `image_url`), and a creative
//! change sends the ad back to review (`in_review`). Past the per-minute limit (600 per
//! endpoint, 1,200 overall; a test may lower it) it answers 429 with `Retry-After`, and a call
//! before that time is a violation. Every refusal a test did not ask for is a violation, and
//! `assert_no_violations` fails the test on it.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

mod bulk;
mod insights;

#[derive(Default)]
pub struct Account {
    pub campaigns: Vec<Value>,
    pub ad_groups: Vec<Value>,
    /// Ads in creation order (ids sort as they were made).
    pub ads: Vec<Value>,
    /// Every call: (method, path with query, status).
    pub calls: Vec<(String, String, u16)>,
    /// Refusals no test asked for.
    pub violations: Vec<String>,
    /// Creates by `Idempotency-Key`: the body and the answer (a retry gets the same answer).
    pub created: Vec<(String, Value, Value)>,
    /// Answer the next create with 503 after making the ad (its answer lost).
    pub lose_next_create: bool,
    /// Images uploaded: their URL, or `file:<type>:<bytes>`.
    pub uploads: Vec<String>,
    /// Insights rows (one per ad and day, flattened keys), as a test put them in.
    pub insights: Vec<Value>,
    /// Bulk mutation jobs, in creation order.
    pub jobs: Vec<bulk::Job>,
    /// Ads whose bulk operations fail (validation and run), with OpenAI's message.
    pub bulk_fail: Vec<(String, String)>,
    /// The account has no Bulk API (a preview): its endpoints answer 404.
    pub no_bulk: bool,
    job_window: Vec<Instant>,
    job_retry_at: Option<Instant>,
    /// Calls allowed per window (None: the documented 600 per endpoint a minute).
    pub limit: Option<(usize, Duration)>,
    window: Vec<Instant>,
    retry_at: Option<Instant>,
    /// 401s answered (a wrong key).
    pub unauthorized: usize,
}

#[derive(Clone)]
pub struct AdsApi {
    pub port: u16,
    pub key: String,
    state: Arc<Mutex<Account>>,
}

impl AdsApi {
    /// The double for ad account `key`, with one campaign (`cmpn_1`, "Spring in ChatGPT") and
    /// one ad group (`adgrp_1`, "US English"), on a free loopback port.
    pub fn start(key: &str) -> AdsApi {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let api = AdsApi {
            port,
            key: key.to_owned(),
            state: Arc::new(Mutex::new(Account {
                campaigns: vec![
                    json!({"id": "cmpn_1", "name": "Spring in ChatGPT", "status": "active"}),
                    json!({"id": "cmpn_2", "name": "Brand", "status": "paused"}),
                ],
                ad_groups: vec![
                    json!({"id": "adgrp_1", "campaign_id": "cmpn_1", "name": "US English", "status": "active",
                           "bidding_config": {"billing_event_type": "impression", "max_bid_micros": 60000}}),
                    json!({"id": "adgrp_2", "campaign_id": "cmpn_2", "name": "Brand terms", "status": "active",
                           "bidding_config": {"billing_event_type": "impression", "max_bid_micros": 60000}}),
                ],
                ..Account::default()
            })),
        };
        let app = Router::new()
            .route("/v1/ad_account", get(ad_account))
            .route("/v1/campaigns", get(list_campaigns))
            .route("/v1/ad_groups", get(list_ad_groups))
            .route("/v1/ads", get(list_ads).post(create_ad))
            .route("/v1/upload", axum::routing::post(upload))
            .route("/v1/ads/{id}", get(get_ad).post(update_ad))
            .route("/v1/ad_groups/{id}/insights", get(insights::ad_group))
            .route("/v1/bulk_mutation_jobs", axum::routing::post(bulk::create))
            .route("/v1/bulk_mutation_jobs/{id}", get(bulk::get))
            .route(
                "/v1/bulk_mutation_jobs/{id}/operations",
                get(bulk::operations),
            )
            .fallback(unknown)
            .with_state(api.clone());
        super::site::serve(listener, app);
        api
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    pub fn state(&self) -> MutexGuard<'_, Account> {
        self.state.lock().unwrap()
    }

    /// Adds an ad to `adgrp_1` (approved, active) with `target_url`.
    pub fn add_ad(&self, id: &str, name: &str, target_url: &str) {
        self.state().ads.push(json!({
            "id": id, "name": name, "ad_group_id": "adgrp_1",
            "created_at": 1735689800, "updated_at": 1735689800,
            "creative": {"type": "chat_card", "title": "Spring sale", "body": "Up to 30% off.",
                         "file_id": "file_901", "image_url": "https://cdn.openai.com/ads/file_901.png",
                         "target_url": target_url},
            "status": "active", "review_status": "approved"
        }));
    }

    /// OpenAI's daily row for ad `ad` on the day starting at `start` (Unix seconds), named `day`,
    /// with `metrics` (e.g. `{"impressions": 1200, "spend": null}`); a later call for the same ad
    /// and day replaces it (finalized numbers).
    pub fn insight(&self, ad: &str, start: i64, day: &str, metrics: Value) {
        let mut row = json!({
            "id": format!("ins_{ad}_{day}"), "ad_id": ad, "start_time": start,
            "end_time": start + 86_400, "readable_time": day, "timezone": "America/New_York",
        });
        for (k, v) in metrics.as_object().unwrap() {
            row[k] = v.clone();
        }
        let mut s = self.state();
        s.insights.retain(|r| r["id"] != row["id"]);
        s.insights.push(row);
    }

    /// An edit in Ads Manager: the ad's `target_url` becomes `url`.
    pub fn edit_in_ads_manager(&self, id: &str, url: &str) {
        let mut s = self.state();
        let ad = s.ads.iter_mut().find(|a| a["id"] == id).expect("the ad");
        ad["creative"]["target_url"] = json!(url);
    }

    pub fn ad(&self, id: &str) -> Value {
        self.state()
            .ads
            .iter()
            .find(|a| a["id"] == id)
            .cloned()
            .expect("the ad")
    }

    /// OpenAI's review decides.
    pub fn review(&self, id: &str, status: &str) {
        let mut s = self.state();
        let ad = s.ads.iter_mut().find(|a| a["id"] == id).expect("the ad");
        ad["review_status"] = json!(status);
    }

    /// At most `calls` per `window` (then 429 with Retry-After).
    pub fn limit(&self, calls: usize, window: Duration) {
        self.state().limit = Some((calls, window));
    }

    pub fn updates(&self) -> usize {
        self.state()
            .calls
            .iter()
            .filter(|(m, p, s)| m == "POST" && p.starts_with("/v1/ads/") && *s == 200)
            .count()
    }

    pub fn assert_no_violations(&self) {
        let s = self.state();
        assert!(
            s.violations.is_empty(),
            "the Advertiser API would have refused:\n{}",
            s.violations.join("\n")
        );
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({"error": {"message": message.into(), "type": "invalid_request_error"}})),
    )
        .into_response()
}

/// Authentication, the rate limit and the record of the call: `Err` is the answer.
fn admit(
    api: &AdsApi,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Result<(), Box<Response>> {
    let mut s = api.state();
    let expected = format!("Bearer {}", api.key);
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        s.unauthorized += 1;
        s.calls.push((method.to_string(), path.into(), 401));
        return Err(Box::new(error(StatusCode::UNAUTHORIZED, "Invalid API key")));
    }
    let now = Instant::now();
    if let Some(at) = s.retry_at {
        if now < at {
            s.violations.push(format!(
                "{method} {path}: called before Retry-After had passed"
            ));
            s.calls.push((method.to_string(), path.into(), 429));
            return Err(Box::new(too_many(at - now)));
        }
        s.retry_at = None;
    }
    let (calls, window) = s.limit.unwrap_or((600, Duration::from_secs(60)));
    s.window.retain(|t| now.duration_since(*t) < window);
    if s.window.len() >= calls {
        let wait = window - now.duration_since(s.window[0]);
        s.retry_at = Some(now + Duration::from_secs(wait.as_secs_f64().ceil() as u64));
        s.calls.push((method.to_string(), path.into(), 429));
        return Err(Box::new(too_many(wait)));
    }
    s.window.push(now);
    Ok(())
}

fn too_many(wait: Duration) -> Response {
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    let mut r = error(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded");
    r.headers_mut()
        .insert("retry-after", seconds.to_string().parse().unwrap());
    r
}

fn record(api: &AdsApi, method: &str, path: &str, status: u16, violation: Option<String>) {
    let mut s = api.state();
    s.calls.push((method.into(), path.into(), status));
    if let Some(v) = violation {
        s.violations.push(v);
    }
}

/// A 400 the real service would answer: a violation.
/// A list's `limit` as documented: 1 to `max` (a refused request otherwise).
fn limit(api: &AdsApi, path: &str, value: &str, max: usize) -> Result<usize, Box<Response>> {
    match value.parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(Box::new(refuse(
            api,
            "GET",
            path,
            format!("limit must be between 1 and {max}, not {value:?}"),
        ))),
    }
}

fn refuse(api: &AdsApi, method: &str, path: &str, why: String) -> Response {
    record(
        api,
        method,
        path,
        400,
        Some(format!("{method} {path}: {why}")),
    );
    error(StatusCode::BAD_REQUEST, why)
}

fn query_pairs(query: &Option<String>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

fn full(path: &str, query: &Option<String>) -> String {
    match query {
        Some(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path.to_string(),
    }
}

async fn ad_account(
    State(api): State<AdsApi>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let path = full("/v1/ad_account", &query);
    if let Err(r) = admit(&api, &Method::GET, &path, &headers) {
        return *r;
    }
    if !query_pairs(&query).is_empty() {
        return refuse(
            &api,
            "GET",
            &path,
            "this endpoint takes no query parameters".into(),
        );
    }
    record(&api, "GET", &path, 200, None);
    Json(json!({
        "id": "act_123", "name": "Acme Ads", "url": "https://www.acme.example",
        "preview_url": "https://preview.acme.example", "status": "active",
        "timezone": "America/New_York", "currency_code": "USD", "review": {"status": "approved"}
    }))
    .into_response()
}

/// A list page as documented, of `items` filtered by `parent` (the required parent id).
fn page(
    api: &AdsApi,
    path: &str,
    query: &Option<String>,
    parent: Option<&str>,
    items: Vec<Value>,
) -> Response {
    let shown = full(path, query);
    let mut limit = 20;
    let mut after: Option<String> = None;
    let mut parent_value: Option<String> = None;
    for (key, value) in query_pairs(query) {
        match key.as_str() {
            "limit" => match self::limit(api, &shown, &value, 500) {
                Ok(n) => limit = n,
                Err(r) => return *r,
            },
            "after" => after = Some(value),
            "before" => {}
            "order" if value == "asc" || value == "desc" => {}
            k if Some(k) == parent => parent_value = Some(value),
            "name" if path == "/v1/campaigns" => {}
            other => return refuse(api, "GET", &shown, format!("unknown parameter {other:?}")),
        }
    }
    let mut items: Vec<Value> = match (parent, &parent_value) {
        (Some(p), None) => return refuse(api, "GET", &shown, format!("{p} is required")),
        (Some(p), Some(v)) => items.into_iter().filter(|i| i[p] == v.as_str()).collect(),
        (None, _) => items,
    };
    if let Some(after) = after {
        match items.iter().position(|i| i["id"] == after.as_str()) {
            Some(at) => items.drain(..=at).for_each(drop),
            None => return refuse(api, "GET", &shown, format!("no such cursor {after:?}")),
        }
    }
    let has_more = items.len() > limit;
    items.truncate(limit);
    record(api, "GET", &shown, 200, None);
    Json(json!({
        "object": "list",
        "first_id": items.first().map(|i| i["id"].clone()),
        "last_id": items.last().map(|i| i["id"].clone()),
        "has_more": has_more,
        "data": items,
    }))
    .into_response()
}

async fn list_campaigns(
    State(api): State<AdsApi>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(r) = admit(&api, &Method::GET, &full("/v1/campaigns", &query), &headers) {
        return *r;
    }
    let items = api.state().campaigns.clone();
    page(&api, "/v1/campaigns", &query, None, items)
}

async fn list_ad_groups(
    State(api): State<AdsApi>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(r) = admit(&api, &Method::GET, &full("/v1/ad_groups", &query), &headers) {
        return *r;
    }
    let items = api.state().ad_groups.clone();
    page(&api, "/v1/ad_groups", &query, Some("campaign_id"), items)
}

async fn list_ads(
    State(api): State<AdsApi>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(r) = admit(&api, &Method::GET, &full("/v1/ads", &query), &headers) {
        return *r;
    }
    let items = api.state().ads.clone();
    page(&api, "/v1/ads", &query, Some("ad_group_id"), items)
}

async fn get_ad(
    State(api): State<AdsApi>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let path = full(&format!("/v1/ads/{id}"), &query);
    if let Err(r) = admit(&api, &Method::GET, &path, &headers) {
        return *r;
    }
    let mut issues = false;
    for (key, value) in query_pairs(&query) {
        match (key.as_str(), value.as_str()) {
            ("include[]", "serving_issues") => issues = true,
            _ => {
                return refuse(
                    &api,
                    "GET",
                    &path,
                    format!("unknown parameter {key}={value}"),
                )
            }
        }
    }
    let Some(mut ad) = api
        .state()
        .ads
        .iter()
        .find(|a| a["id"] == id.as_str())
        .cloned()
    else {
        record(&api, "GET", &path, 404, None);
        return error(StatusCode::NOT_FOUND, format!("No ad with id {id}"));
    };
    if issues {
        let rejected = ad["review_status"] == "rejected";
        ad["serving_issues"] = if rejected {
            json!([{"code": "ad_rejected", "message": "The ad was rejected in review"}])
        } else {
            json!([])
        };
    }
    record(&api, "GET", &path, 200, None);
    Json(ad).into_response()
}

/// Why `creative` is not a full, valid chat_card creative.
fn creative_problem(creative: &Value) -> Option<String> {
    let Some(object) = creative.as_object() else {
        return Some("creative must be an object".into());
    };
    for key in object.keys() {
        if !["type", "title", "body", "target_url", "file_id"].contains(&key.as_str()) {
            return Some(format!("unknown creative field {key:?}"));
        }
    }
    for key in ["type", "title", "body", "target_url", "file_id"] {
        if !object.get(key).is_some_and(Value::is_string) {
            return Some(format!(
                "creative.{key} is required (an update sends the full creative object)"
            ));
        }
    }
    if creative["type"] != "chat_card" {
        return Some("creative.type must be chat_card".into());
    }
    let title = creative["title"].as_str().unwrap();
    if !(3..=50).contains(&title.chars().count()) || title.trim().is_empty() {
        return Some("creative.title must be 3 to 50 characters".into());
    }
    if creative["body"].as_str().unwrap().chars().count() > 100 {
        return Some("creative.body must be at most 100 characters".into());
    }
    let url = creative["target_url"].as_str().unwrap();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || url.chars().count() > 2048
    {
        return Some(
            "creative.target_url must be an http(s) URL of at most 2048 characters".into(),
        );
    }
    None
}

async fn update_ad(
    State(api): State<AdsApi>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let path = full(&format!("/v1/ads/{id}"), &query);
    if let Err(r) = admit(&api, &Method::POST, &path, &headers) {
        return *r;
    }
    if headers.get("content-type").and_then(|v| v.to_str().ok()) != Some("application/json") {
        return refuse(
            &api,
            "POST",
            &path,
            "Content-Type must be application/json".into(),
        );
    }
    if !query_pairs(&query).is_empty() {
        return refuse(
            &api,
            "POST",
            &path,
            "this endpoint takes no query parameters".into(),
        );
    }
    let Ok(Value::Object(update)) = serde_json::from_slice::<Value>(&body) else {
        return refuse(&api, "POST", &path, "the body must be a JSON object".into());
    };
    for key in update.keys() {
        if !["name", "status", "creative"].contains(&key.as_str()) {
            return refuse(&api, "POST", &path, format!("unknown field {key:?}"));
        }
    }
    if let Some(creative) = update.get("creative") {
        if let Some(why) = creative_problem(creative) {
            return refuse(&api, "POST", &path, why);
        }
    }
    let mut s = api.state();
    let Some(ad) = s.ads.iter_mut().find(|a| a["id"] == id.as_str()) else {
        drop(s);
        record(&api, "POST", &path, 404, None);
        return error(StatusCode::NOT_FOUND, format!("No ad with id {id}"));
    };
    if let Some(creative) = update.get("creative") {
        let image = ad["creative"]["image_url"].clone();
        ad["creative"] = creative.clone();
        ad["creative"]["image_url"] = image;
        ad["review_status"] = json!("in_review");
    }
    if let Some(name) = update.get("name") {
        ad["name"] = name.clone();
    }
    if let Some(status) = update.get("status") {
        ad["status"] = status.clone();
    }
    let answer = ad.clone();
    s.calls.push(("POST".into(), path, 200));
    Json(answer).into_response()
}

async fn upload(State(api): State<AdsApi>, headers: HeaderMap, body: Bytes) -> Response {
    let path = "/v1/upload";
    if let Err(r) = admit(&api, &Method::POST, path, &headers) {
        return *r;
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if content_type.starts_with("multipart/form-data") {
        return upload_file(&api, &content_type, body).await;
    }
    if content_type != "application/json" {
        return refuse(
            &api,
            "POST",
            path,
            "send image_url as JSON (or a multipart file)".into(),
        );
    }
    let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(&body) else {
        return refuse(&api, "POST", path, "the body must be a JSON object".into());
    };
    if o.keys().any(|k| k != "image_url") {
        return refuse(&api, "POST", path, "the only field is image_url".into());
    }
    let Some(url) = o.get("image_url").and_then(Value::as_str) else {
        return refuse(&api, "POST", path, "image_url is required".into());
    };
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return refuse(
            &api,
            "POST",
            path,
            "image_url must be an http(s) URL".into(),
        );
    }
    let mut s = api.state();
    s.uploads.push(url.to_string());
    let id = format!("file_{}", 900 + s.uploads.len());
    s.calls.push(("POST".into(), path.into(), 200));
    Json(json!({ "file_id": id })).into_response()
}

/// A create under an `Idempotency-Key` seen before (`earlier`: its body and answer): the same
/// body gets the first answer again; another body is refused (409, a violation). None: a new key.
fn replay(
    api: &AdsApi,
    path: &str,
    key: &str,
    request: &Value,
    earlier: Option<(Value, (StatusCode, Value))>,
) -> Option<Response> {
    let (body, (status, answer)) = earlier?;
    if &body != request {
        let why = format!("POST {path}: Idempotency-Key {key} reused with another body");
        record(api, "POST", path, 409, Some(why));
        return Some(error(
            StatusCode::CONFLICT,
            "Idempotency-Key reused with a different body",
        ));
    }
    record(api, "POST", path, status.as_u16(), None);
    Some((status, Json(answer)).into_response())
}

/// `POST /upload` as `multipart/form-data`: one part, `file`, an image of a documented format
/// (JPEG, PNG, WebP by their signatures) of at least 640×640 (read from a PNG's header; the
/// tests send PNGs).
async fn upload_file(api: &AdsApi, content_type: &str, body: Bytes) -> Response {
    let path = "/v1/upload";
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return refuse(
            api,
            "POST",
            path,
            "a multipart body needs its boundary".into(),
        );
    };
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut file: Option<(Option<String>, Vec<u8>)> = None;
    loop {
        let part = match form.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(e) => return refuse(api, "POST", path, format!("unreadable multipart body: {e}")),
        };
        if part.name() != Some("file") || file.is_some() {
            let name = part.name().unwrap_or_default().to_string();
            return refuse(
                api,
                "POST",
                path,
                format!("the only part is one file, not {name:?}"),
            );
        }
        let mime = part.content_type().map(|m| m.to_string());
        match part.bytes().await {
            Ok(bytes) => file = Some((mime, bytes.to_vec())),
            Err(e) => return refuse(api, "POST", path, format!("unreadable file part: {e}")),
        }
    }
    let Some((mime, bytes)) = file else {
        return refuse(api, "POST", path, "the file part is missing".into());
    };
    let kind = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else {
        return refuse(
            api,
            "POST",
            path,
            "the file must be a JPEG, PNG or WebP image".into(),
        );
    };
    if mime.as_deref() != Some(kind) {
        return refuse(
            api,
            "POST",
            path,
            format!("the part says {mime:?}, the file is {kind}"),
        );
    }
    if kind == "image/png" {
        let side = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
        if bytes.len() < 24 || side(16) < 640 || side(20) < 640 {
            return refuse(
                api,
                "POST",
                path,
                "the image must be at least 640×640".into(),
            );
        }
    }
    let mut s = api.state();
    s.uploads.push(format!("file:{kind}:{}", bytes.len()));
    let id = format!("file_{}", 900 + s.uploads.len());
    s.calls.push(("POST".into(), path.into(), 200));
    Json(json!({ "file_id": id })).into_response()
}

async fn create_ad(State(api): State<AdsApi>, headers: HeaderMap, body: Bytes) -> Response {
    let path = "/v1/ads";
    if let Err(r) = admit(&api, &Method::POST, path, &headers) {
        return *r;
    }
    if headers.get("content-type").and_then(|v| v.to_str().ok()) != Some("application/json") {
        return refuse(
            &api,
            "POST",
            path,
            "Content-Type must be application/json".into(),
        );
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return refuse(&api, "POST", path, "the body is not JSON".into());
    };
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    if let Some(key) = &key {
        let earlier = api
            .state()
            .created
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, b, a)| (b.clone(), (StatusCode::OK, a.clone())));
        if let Some(answer) = replay(&api, path, key, &request, earlier) {
            return answer;
        }
    }
    let Some(o) = request.as_object() else {
        return refuse(&api, "POST", path, "the body must be a JSON object".into());
    };
    for k in o.keys() {
        if !["ad_group_id", "name", "status", "creative"].contains(&k.as_str()) {
            return refuse(&api, "POST", path, format!("unknown field {k:?}"));
        }
    }
    let group = o
        .get("ad_group_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !api.state().ad_groups.iter().any(|g| g["id"] == group) {
        return refuse(&api, "POST", path, format!("no ad group {group:?}"));
    }
    let name = o.get("name").and_then(Value::as_str).unwrap_or_default();
    if !(3..=1000).contains(&name.chars().count()) || name.trim().is_empty() {
        return refuse(
            &api,
            "POST",
            path,
            "name must be 3 to 1000 characters".into(),
        );
    }
    if !matches!(
        o.get("status").and_then(Value::as_str),
        Some("active" | "paused")
    ) {
        return refuse(&api, "POST", path, "status must be active or paused".into());
    }
    if let Some(why) = creative_problem(o.get("creative").unwrap_or(&Value::Null)) {
        return refuse(&api, "POST", path, why);
    }
    let mut s = api.state();
    let id = format!("ad_{}", 7000 + s.ads.len());
    let mut ad = request.clone();
    ad["id"] = json!(id);
    ad["review_status"] = json!("in_review");
    ad["created_at"] = json!(1735689900);
    ad["updated_at"] = json!(1735689900);
    s.ads.push(ad.clone());
    if let Some(key) = key {
        s.created.push((key, request, ad.clone()));
    }
    if std::mem::take(&mut s.lose_next_create) {
        s.calls.push(("POST".into(), path.into(), 503));
        return error(StatusCode::SERVICE_UNAVAILABLE, "upstream timeout");
    }
    s.calls.push(("POST".into(), path.into(), 200));
    Json(ad).into_response()
}

async fn unknown(State(api): State<AdsApi>, method: Method, uri: axum::http::Uri) -> Response {
    let path = uri.to_string();
    record(
        &api,
        method.as_str(),
        &path,
        404,
        Some(format!("{method} {path}: no such endpoint")),
    );
    error(StatusCode::NOT_FOUND, "Not found")
}
