//! Sending Conversions API batches: at most 1,000 events a call, the token as a bearer header
//! (never printed: this type has no `Debug` and no message contains it), 429 and 5xx retried
//! with backoff using the same ids (the API deduplicates by id, so a batch that arrived but
//! whose answer was lost is counted once), and a stop on 401/403.

use crate::linkcheck::{error_text, Guard, GuardedResolver};
use std::sync::Arc;
use std::time::Duration;
use utmforge_core::measure::capi::{batches, endpoint_url, CapiEvent};

/// How often and how long to try a batch again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries per batch, the first included.
    pub attempts: u32,
    /// The wait after the first failure; it doubles after each further one.
    pub first_wait: Duration,
    /// The longest wait, also for a `Retry-After` the API asks for.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            first_wait: Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
        }
    }
}

/// Longest one call may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// What became of one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    /// 1-based.
    pub number: usize,
    pub events: usize,
    pub attempts: u32,
    /// Why it was not accepted, when it was not.
    pub error: Option<String>,
}

/// What a send did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendSummary {
    /// Events the API accepted.
    pub sent: usize,
    /// Events not accepted (their batch was refused, kept failing, or was not tried after a stop).
    pub failed: usize,
    /// Calls tried again.
    pub retried: u32,
    /// Why sending stopped early (the token was refused).
    pub stopped: Option<String>,
}

/// Sends events to one pixel's Conversions API endpoint.
pub struct Sender {
    client: reqwest::Client,
    url: String,
    token: String,
    retry: RetryPolicy,
}

impl Sender {
    /// A sender to `endpoint` (`?pid=` is added) with `token`. The endpoint must be https and
    /// public, unless `allow_private` (a receiver on this machine or an intranet, where plain
    /// http is accepted too).
    pub fn new(
        endpoint: &str,
        pixel_id: &str,
        token: String,
        allow_private: bool,
    ) -> Result<Sender, String> {
        let parsed = reqwest::Url::parse(endpoint)
            .map_err(|e| format!("--endpoint “{endpoint}” is not a URL: {e}"))?;
        match parsed.scheme() {
            "https" => {}
            "http" if allow_private => {}
            "http" => {
                return Err(format!(
                    "--endpoint “{endpoint}” is plain http: the token would travel in clear text; use https (plain http only with --allow-private, for a receiver on this machine)"
                ))
            }
            other => return Err(format!("--endpoint has the scheme “{other}”: use https")),
        }
        let guard = Guard::new(allow_private);
        if let Some(refusal) = guard.refuse_literal(endpoint) {
            return Err(format!("{refusal} (add --allow-private to send there)"));
        }
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(crate::linkcheck::CONNECT_TIMEOUT)
            .timeout(CALL_TIMEOUT)
            .user_agent(concat!("utmforge-capi/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver { guard }))
            .no_proxy()
            .build()
            .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
        Ok(Sender {
            client,
            url: endpoint_url(endpoint, pixel_id),
            token,
            retry: RetryPolicy::default(),
        })
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Sender {
        self.retry = retry;
        self
    }

    /// The URL events are posted to (no secret in it).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Sends `events` in batches of at most 1,000, one after the other; `on_batch` hears of
    /// each batch as it ends.
    pub async fn send(
        &self,
        events: &[CapiEvent],
        mut on_batch: impl FnMut(&BatchOutcome),
    ) -> SendSummary {
        let mut summary = SendSummary::default();
        for (i, batch) in batches(events).enumerate() {
            let mut outcome = BatchOutcome {
                number: i + 1,
                events: batch.len(),
                attempts: 0,
                error: None,
            };
            if summary.stopped.is_some() {
                summary.failed += batch.len();
                outcome.error = Some("not sent: sending stopped".into());
                on_batch(&outcome);
                continue;
            }
            let body = serde_json::to_vec(batch).expect("events always serialize");
            loop {
                outcome.attempts += 1;
                let (retry, wait, error) = match self
                    .client
                    .post(&self.url)
                    .bearer_auth(&self.token)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone())
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => (false, None, None),
                    Ok(r) if matches!(r.status().as_u16(), 401 | 403) => {
                        let message = format!(
                            "the Conversions API refused the token ({}): check OPENAI_ADS_API_TOKEN and that it belongs to this pixel; nothing more was sent",
                            r.status()
                        );
                        summary.stopped = Some(message.clone());
                        (false, None, Some(message))
                    }
                    Ok(r) if r.status().as_u16() == 429 || r.status().is_server_error() => {
                        let wait = r
                            .headers()
                            .get(reqwest::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.trim().parse::<u64>().ok())
                            .map(Duration::from_secs);
                        (true, wait, Some(format!("the API answered {}", r.status())))
                    }
                    Ok(r) => {
                        let status = r.status();
                        let body = r.text().await.unwrap_or_default();
                        let excerpt: String = body.chars().take(300).collect();
                        (
                            false,
                            None,
                            Some(format!("the API refused the batch ({status}): {excerpt}")),
                        )
                    }
                    Err(e) => (true, None, Some(error_text(&e).0)),
                };
                if error.is_none() {
                    summary.sent += batch.len();
                    break;
                }
                if retry && outcome.attempts < self.retry.attempts {
                    summary.retried += 1;
                    let backoff = self.retry.first_wait * 2u32.pow(outcome.attempts - 1);
                    tokio::time::sleep(wait.unwrap_or(backoff).min(self.retry.max_wait)).await;
                    continue;
                }
                summary.failed += batch.len();
                outcome.error = error;
                break;
            }
            on_batch(&outcome);
        }
        summary
    }
}
