//! The Advertiser API client (`https://api.ads.openai.com/v1`, OpenAI's documentation:
//! api-overview, api-reference/*): the key as a bearer header (never printed: this type has no
//! `Debug`, and an answer that echoed the key has it replaced), calls paced under the documented
//! per-minute limits (600 per endpoint, 1,200 overall: one call every 100 ms at most), 429 and
//! 5xx tried again after the `Retry-After` asked for (or a doubling wait), lists read page by
//! page with the documented cursors (`limit`, `after` = the page's `last_id`, `has_more`).

use crate::capi::RetryPolicy;
use crate::linkcheck::{error_text, Guard, GuardedResolver};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use utmforge_core::ads::bulk::{BulkJob, BulkOperation, OperationsPage, OPERATIONS_PAGE};
use utmforge_core::ads::insights::{self, InsightRow};
use utmforge_core::ads::{
    Ad, AdAccount, AdGroup, AdsCampaign, ImageKind, Page, MAX_ANSWER_LEN, MAX_PAGE,
};

/// Longest one call may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// The least time between two calls: 600 a minute, the documented per-endpoint limit (and
/// half the overall one).
pub const PACE: Duration = Duration::from_millis(100);
/// Most pages one list reads (500 items each): past it the list is cut, and says so.
pub const MAX_PAGES: usize = 200;
/// The least time between two bulk job creations: 10 per 10 seconds is the documented limit.
pub const BULK_PACE: Duration = Duration::from_secs(1);
/// How long a publish waits for a bulk job to end before it says the job is still running.
pub const BULK_PATIENCE: Duration = Duration::from_secs(600);

/// What one call sends.
enum Payload<'a> {
    None,
    Json(Vec<u8>),
    /// `multipart/form-data` with the image as `file`.
    Image(&'a [u8], ImageKind),
}

/// Why a call did not give an answer to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdsError {
    /// 401/403: the key is wrong, revoked, or for another service.
    KeyRefused(String),
    /// 404: no such object in this ad account.
    NotFound(String),
    /// Another 4xx: OpenAI refused the request (its words).
    Refused(String),
    /// The API could not be reached or kept failing (429/5xx past the retries, the network).
    Unreachable(String),
}

impl AdsError {
    pub fn message(&self) -> &str {
        match self {
            AdsError::KeyRefused(m)
            | AdsError::NotFound(m)
            | AdsError::Refused(m)
            | AdsError::Unreachable(m) => m,
        }
    }
}

/// One ad account's Advertiser API.
pub struct AdsClient {
    client: reqwest::Client,
    base: String,
    key: String,
    retry: RetryPolicy,
    pace: Duration,
    last_call: tokio::sync::Mutex<Option<Instant>>,
    /// The first wait between two polls of a bulk job (doubling, at most 10 s).
    poll: Duration,
    last_job: tokio::sync::Mutex<Option<Instant>>,
}

impl AdsClient {
    /// A client of the API at `base` with `key`. `base` must be https and public, unless
    /// `allow_private` (a test double on this machine, where plain http is accepted too).
    pub fn new(base: &str, key: String, allow_private: bool) -> Result<AdsClient, String> {
        let parsed = reqwest::Url::parse(base)
            .map_err(|e| format!("the Advertiser API address “{base}” is not a URL: {e}"))?;
        match parsed.scheme() {
            "https" => {}
            "http" if allow_private => {}
            other => {
                return Err(format!(
                    "the Advertiser API address has the scheme “{other}”: use https (the key would travel in clear text)"
                ))
            }
        }
        if key.trim().is_empty() {
            return Err("the Advertiser API key is empty".into());
        }
        let guard = Guard::new(allow_private);
        if let Some(refusal) = guard.refuse_literal(base) {
            return Err(refusal);
        }
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(crate::linkcheck::CONNECT_TIMEOUT)
            .timeout(CALL_TIMEOUT)
            .user_agent(concat!("utmforge/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver { guard }))
            .no_proxy()
            .build()
            .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
        Ok(AdsClient {
            client,
            base: base.trim_end_matches('/').to_string(),
            key: key.trim().to_string(),
            retry: RetryPolicy::default(),
            pace: PACE,
            last_call: tokio::sync::Mutex::new(None),
            poll: Duration::from_secs(1),
            last_job: tokio::sync::Mutex::new(None),
        })
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> AdsClient {
        self.retry = retry;
        self
    }

    /// The least time between calls (tests against a double use less).
    pub fn with_pace(mut self, pace: Duration) -> AdsClient {
        self.pace = pace;
        self
    }

    /// The first wait between two polls of a bulk job (tests against a double use less).
    pub fn with_poll(mut self, poll: Duration) -> AdsClient {
        self.poll = poll;
        self
    }

    /// The API's words, short, with the key taken out should it ever echo it.
    fn excerpt(&self, text: &str) -> String {
        let text = serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|v| {
                v["error"]["message"]
                    .as_str()
                    .or_else(|| v["message"].as_str())
                    .map(String::from)
            })
            .unwrap_or_else(|| text.to_string());
        let short: String = text.chars().take(MAX_ANSWER_LEN).collect();
        short.replace(&self.key, "[key]")
    }

    /// Waits until the pace allows the next call.
    async fn wait_turn(&self) {
        pace(&self.last_call, self.pace).await;
    }

    /// One call, tried again on 429, 5xx and network failures.
    async fn call<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<T, AdsError> {
        let body = match body {
            Some(b) => Payload::Json(serde_json::to_vec(b).expect("JSON values always serialize")),
            None => Payload::None,
        };
        self.call_with(method, path, query, body, None).await
    }

    /// [`call`](Self::call) with an `Idempotency-Key` (a create): every try sends the same key
    /// and body, so a create whose answer was lost is answered, not made twice.
    async fn call_with<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, String)],
        body: Payload<'_>,
        idempotency_key: Option<&str>,
    ) -> Result<T, AdsError> {
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.base))
            .map_err(|e| AdsError::Refused(format!("cannot build the request: {e}")))?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.wait_turn().await;
            let mut request = self
                .client
                .request(method.clone(), url.clone())
                .bearer_auth(&self.key);
            match &body {
                Payload::None => {}
                Payload::Json(body) => {
                    request = request
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(body.clone());
                }
                Payload::Image(bytes, kind) => {
                    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
                        .file_name(kind.file_name())
                        .mime_str(kind.mime())
                        .map_err(|e| AdsError::Refused(format!("cannot build the upload: {e}")))?;
                    request = request.multipart(reqwest::multipart::Form::new().part("file", part));
                }
            }
            if let Some(key) = idempotency_key {
                request = request.header("Idempotency-Key", key);
            }
            let (wait, failure) = match request.send().await {
                Ok(r) if r.status().is_success() => {
                    let text = r.text().await.unwrap_or_default();
                    return serde_json::from_str(&text).map_err(|e| {
                        AdsError::Refused(format!(
                            "the Advertiser API answered something unexpected ({e})"
                        ))
                    });
                }
                Ok(r) if matches!(r.status().as_u16(), 401 | 403) => {
                    let status = r.status();
                    let text = r.text().await.unwrap_or_default();
                    return Err(AdsError::KeyRefused(format!(
                        "the Advertiser API refused the key ({status}: {}): check OPENAI_ADS_API_KEY — an Advertiser API key from Ads Manager › Settings",
                        self.excerpt(&text)
                    )));
                }
                Ok(r) if r.status().as_u16() == 404 => {
                    let text = r.text().await.unwrap_or_default();
                    return Err(AdsError::NotFound(format!(
                        "not found in this ad account: {}",
                        self.excerpt(&text)
                    )));
                }
                Ok(r) if r.status().as_u16() == 429 || r.status().is_server_error() => {
                    let wait = r
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    (wait, format!("the Advertiser API answered {}", r.status()))
                }
                Ok(r) => {
                    let status = r.status();
                    let text = r.text().await.unwrap_or_default();
                    return Err(AdsError::Refused(format!(
                        "{status}: {}",
                        self.excerpt(&text)
                    )));
                }
                Err(e) => (None, error_text(&e).0),
            };
            if attempt < self.retry.attempts {
                let backoff = self.retry.first_wait * 2u32.pow(attempt - 1);
                tokio::time::sleep(wait.unwrap_or(backoff).min(self.retry.max_wait)).await;
                continue;
            }
            return Err(AdsError::Unreachable(format!(
                "{failure} ({attempt} tries): nothing was changed by this call"
            )));
        }
    }

    /// Every item of a list, page by page (`limit=500`, `after` = the last page's `last_id`).
    async fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        filter: &[(&str, String)],
    ) -> Result<Vec<T>, AdsError> {
        let mut items = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query: Vec<(&str, String)> = filter.to_vec();
            query.push(("limit", MAX_PAGE.to_string()));
            if let Some(after) = &after {
                query.push(("after", after.clone()));
            }
            let page: Page<T> = self.call(reqwest::Method::GET, path, &query, None).await?;
            items.extend(page.data);
            match (page.has_more, page.last_id) {
                (true, Some(last)) if after.as_deref() != Some(last.as_str()) => after = Some(last),
                _ => return Ok(items),
            }
        }
        Ok(items)
    }

    /// `GET /ad_account`: the account this key belongs to.
    pub async fn account(&self) -> Result<AdAccount, AdsError> {
        self.call(reqwest::Method::GET, "/ad_account", &[], None)
            .await
    }

    /// `GET /campaigns`, every page.
    pub async fn campaigns(&self) -> Result<Vec<AdsCampaign>, AdsError> {
        self.list("/campaigns", &[]).await
    }

    /// `GET /ad_groups?campaign_id=`, every page.
    pub async fn ad_groups(&self, campaign_id: &str) -> Result<Vec<AdGroup>, AdsError> {
        self.list("/ad_groups", &[("campaign_id", campaign_id.to_string())])
            .await
    }

    /// `GET /ads?ad_group_id=`, every page.
    pub async fn ads(&self, ad_group_id: &str) -> Result<Vec<Ad>, AdsError> {
        self.list("/ads", &[("ad_group_id", ad_group_id.to_string())])
            .await
    }

    /// `GET /ads/{id}?include[]=serving_issues`.
    pub async fn ad(&self, id: &str) -> Result<Ad, AdsError> {
        self.call(
            reqwest::Method::GET,
            &format!("/ads/{}", path_segment(id)),
            &[("include[]", "serving_issues".to_string())],
            None,
        )
        .await
    }

    /// `POST /ads/{id}` with the ad's whole creative, `target_url` replaced by `url` (the API
    /// takes only the full creative object; the update sends the ad to review again).
    pub async fn set_target_url(&self, ad: &Ad, url: &str) -> Result<Ad, AdsError> {
        let body = serde_json::json!({ "creative": ad.creative.with_target_url(url) });
        self.call(
            reqwest::Method::POST,
            &format!("/ads/{}", path_segment(&ad.id)),
            &[],
            Some(&body),
        )
        .await
    }
}

impl AdsClient {
    /// `POST /upload` with `{"image_url"}`: OpenAI fetches the image; answers its `file_id`.
    pub async fn upload_image_url(&self, image_url: &str) -> Result<String, AdsError> {
        let body = serde_json::json!({ "image_url": image_url });
        let uploaded: Uploaded = self
            .call(reqwest::Method::POST, "/upload", &[], Some(&body))
            .await?;
        Ok(uploaded.file_id)
    }

    /// `POST /upload` with the image as a `multipart/form-data` `file` (checked first:
    /// [`check_image`]); answers its `file_id`.
    pub async fn upload_image_file(
        &self,
        bytes: &[u8],
        kind: ImageKind,
    ) -> Result<String, AdsError> {
        let uploaded: Uploaded = self
            .call_with(
                reqwest::Method::POST,
                "/upload",
                &[],
                Payload::Image(bytes, kind),
                None,
            )
            .await?;
        Ok(uploaded.file_id)
    }

    /// `POST /ads` with `body`, under `idempotency_key`.
    pub async fn create_ad(&self, body: &Value, idempotency_key: &str) -> Result<Ad, AdsError> {
        self.call_with(
            reqwest::Method::POST,
            "/ads",
            &[],
            Payload::Json(serde_json::to_vec(body).expect("JSON values always serialize")),
            Some(idempotency_key),
        )
        .await
    }
}

/// Insights.
impl AdsClient {
    /// `GET /ad_groups/{id}/insights`: a daily row per ad of the ad group over the `days` before
    /// `now_ms` (see [`insights::query`]), every page (`after` = the page's `last_id`).
    pub async fn insights(
        &self,
        ad_group_id: &str,
        now_ms: i64,
        days: i64,
    ) -> Result<Vec<InsightRow>, AdsError> {
        let path = format!("/ad_groups/{}/insights", path_segment(ad_group_id));
        let mut rows = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let query = insights::query(now_ms, days, after.as_deref());
            let page: Page<InsightRow> =
                self.call(reqwest::Method::GET, &path, &query, None).await?;
            rows.extend(page.data);
            match (page.has_more, page.last_id) {
                (true, Some(last)) if after.as_deref() != Some(last.as_str()) => after = Some(last),
                _ => return Ok(rows),
            }
        }
        Ok(rows)
    }
}

/// Bulk mutation jobs.
impl AdsClient {
    /// `POST /bulk_mutation_jobs` with `body` under `idempotency_key` (at most one creation a
    /// second: the documented 10 per 10 seconds); answers the job (202).
    pub async fn submit_job(
        &self,
        body: &Value,
        idempotency_key: &str,
    ) -> Result<BulkJob, AdsError> {
        pace(&self.last_job, BULK_PACE).await;
        self.call_with(
            reqwest::Method::POST,
            "/bulk_mutation_jobs",
            &[],
            Payload::Json(serde_json::to_vec(body).expect("JSON values always serialize")),
            Some(idempotency_key),
        )
        .await
    }

    /// Polls job `id` until it ends (waits of [`with_poll`](Self::with_poll), doubling up to
    /// 10 s) or `patience` has passed: the job as last read.
    pub async fn wait_job(&self, id: &str, patience: Duration) -> Result<BulkJob, AdsError> {
        let path = format!("/bulk_mutation_jobs/{}", path_segment(id));
        let give_up = Instant::now() + patience;
        let mut wait = self.poll;
        loop {
            let job: BulkJob = self.call(reqwest::Method::GET, &path, &[], None).await?;
            if job.is_done() || Instant::now() + wait > give_up {
                return Ok(job);
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(10));
        }
    }

    /// Every operation of ended job `id`, page by page.
    pub async fn job_operations(&self, id: &str) -> Result<Vec<BulkOperation>, AdsError> {
        let path = format!("/bulk_mutation_jobs/{}/operations", path_segment(id));
        let mut items = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query = vec![("limit", OPERATIONS_PAGE.to_string())];
            if let Some(after) = &after {
                query.push(("after", after.clone()));
            }
            let page: OperationsPage = self.call(reqwest::Method::GET, &path, &query, None).await?;
            items.extend(page.data);
            match (page.has_more, page.last_id) {
                (true, Some(last)) if after.as_deref() != Some(last.as_str()) => after = Some(last),
                _ => return Ok(items),
            }
        }
        Ok(items)
    }
}

#[derive(serde::Deserialize)]
struct Uploaded {
    file_id: String,
}

/// Waits until `every` has passed since the last call `last` holds, and marks this one.
async fn pace(last: &tokio::sync::Mutex<Option<Instant>>, every: Duration) {
    let mut last = last.lock().await;
    if let Some(at) = *last {
        let next = at + every;
        let now = Instant::now();
        if next > now {
            tokio::time::sleep(next - now).await;
        }
    }
    *last = Some(Instant::now());
}

/// An id as one path segment (ids are OpenAI's; anything else is escaped, never a new path).
fn path_segment(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("%{:02X}", c as u32 & 0xff)
            }
        })
        .collect()
}
