//! Sending Conversions API batches as OpenAI documents them: `POST …/v1/events?pid=…` with
//! `{"validate_only": …, "events": […]}`, at most 1,000 events a call, the Conversions API key
//! as a bearer header (never printed: this type has no `Debug` and no message contains it),
//! 429 and 5xx retried with backoff (or the `Retry-After` asked for) using the same ids (the
//! API deduplicates by event name and id, so a batch that arrived but whose answer was lost is
//! counted once), and a stop on 401/403.
//!
//! One invalid event fails its whole batch. When the API refuses a batch that passed every
//! documented rule utmforge checks, the sender finds the refused events by halves — each half
//! sent again with the same ids — so one bad row never loses the other 999.

use crate::linkcheck::{error_text, Guard, GuardedResolver};
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;
use utmforge_core::measure::capi::{endpoint_url, Batch, CapiEvent, MAX_EVENTS_PER_CALL};

/// How often and how long to try a call again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries per call, the first included.
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

/// What became of one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// The API accepted it (with `validate_only`: found it valid).
    Accepted,
    /// The API refused it: its batch was refused, and so was the event sent alone.
    Refused(String),
    /// It could not be sent: the API kept failing, or sending stopped.
    NotSent(String),
}

/// What became of one batch of up to 1,000 events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    /// 1-based.
    pub number: usize,
    pub events: usize,
    /// Calls made for it (retries and halves included).
    pub calls: u32,
    pub accepted: usize,
    pub refused: usize,
    pub not_sent: usize,
    /// The API's word when it refused the whole batch at first.
    pub refusal: Option<String>,
}

/// What a send did, with each event's fate (in the order given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendSummary {
    pub fates: Vec<Option<Fate>>,
    /// Events the API accepted.
    pub sent: usize,
    /// Events the API refused.
    pub refused: usize,
    /// Events not sent (the API kept failing, or sending stopped).
    pub failed: usize,
    /// Calls tried again after a 429, a 5xx or a network failure.
    pub retried: u32,
    /// Why sending stopped early (the key was refused).
    pub stopped: Option<String>,
}

/// What one call ended with.
enum Answer {
    Accepted,
    Refused(String),
    Failed(String),
    Stopped(String),
}

/// Sends events to one pixel's Conversions API endpoint.
pub struct Sender {
    client: reqwest::Client,
    url: String,
    key: String,
    retry: RetryPolicy,
    validate_only: bool,
}

impl Sender {
    /// A sender to `endpoint` (`?pid=` is added) with the Conversions API `key`. The endpoint
    /// must be https and public, unless `allow_private` (a receiver on this machine or an
    /// intranet, where plain http is accepted too).
    pub fn new(
        endpoint: &str,
        pixel_id: &str,
        key: String,
        allow_private: bool,
    ) -> Result<Sender, String> {
        let parsed = reqwest::Url::parse(endpoint)
            .map_err(|e| format!("--endpoint “{endpoint}” is not a URL: {e}"))?;
        match parsed.scheme() {
            "https" => {}
            "http" if allow_private => {}
            "http" => {
                return Err(format!(
                    "--endpoint “{endpoint}” is plain http: the key would travel in clear text; use https (plain http only with --allow-private, for a receiver on this machine)"
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
            key,
            retry: RetryPolicy::default(),
            validate_only: false,
        })
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Sender {
        self.retry = retry;
        self
    }

    /// Every call with `validate_only: true`: the API checks the events and saves nothing.
    pub fn validate_only(mut self, yes: bool) -> Sender {
        self.validate_only = yes;
        self
    }

    /// The URL events are posted to (no secret in it).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The API's own words, short, with the key taken out should it ever echo it.
    fn excerpt(&self, text: &str) -> String {
        let short: String = text.chars().take(300).collect();
        if self.key.is_empty() {
            short
        } else {
            short.replace(&self.key, "[key]")
        }
    }

    /// One call with `events`, tried again on 429, 5xx and network failures.
    async fn call(&self, events: &[CapiEvent], calls: &mut u32, retried: &mut u32) -> Answer {
        let body = serde_json::to_vec(&Batch {
            validate_only: self.validate_only,
            events,
        })
        .expect("events always serialize");
        let mut attempt = 0;
        loop {
            attempt += 1;
            *calls += 1;
            let (retry, wait, answer) = match self
                .client
                .post(&self.url)
                .bearer_auth(&self.key)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone())
                .send()
                .await
            {
                Ok(r) if r.status().is_success() => return Answer::Accepted,
                Ok(r) if matches!(r.status().as_u16(), 401 | 403) => {
                    return Answer::Stopped(format!(
                        "the Conversions API refused the key ({}): check OPENAI_CONVERSIONS_API_KEY — the Conversions API key of this pixel (Ads Manager › conversions tab), not the Advertiser API key; nothing more was sent",
                        r.status()
                    ))
                }
                Ok(r) if r.status().as_u16() == 429 || r.status().is_server_error() => {
                    let wait = r
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    (true, wait, format!("the API answered {}", r.status()))
                }
                Ok(r) => {
                    let status = r.status();
                    let text = r.text().await.unwrap_or_default();
                    return Answer::Refused(format!("{status}: {}", self.excerpt(&text)));
                }
                Err(e) => (true, None, error_text(&e).0),
            };
            if retry && attempt < self.retry.attempts {
                *retried += 1;
                let backoff = self.retry.first_wait * 2u32.pow(attempt - 1);
                tokio::time::sleep(wait.unwrap_or(backoff).min(self.retry.max_wait)).await;
                continue;
            }
            return Answer::Failed(answer);
        }
    }

    /// Sends `events` in batches of at most 1,000, one after the other; a refused batch is
    /// split in halves until each refused event stands alone. `on_batch` hears of each batch
    /// as it ends.
    pub async fn send(
        &self,
        events: &[CapiEvent],
        mut on_batch: impl FnMut(&BatchOutcome),
    ) -> SendSummary {
        let mut summary = SendSummary {
            fates: vec![None; events.len()],
            ..SendSummary::default()
        };
        let mut start = 0;
        let mut number = 0;
        while start < events.len() {
            let end = (start + MAX_EVENTS_PER_CALL).min(events.len());
            number += 1;
            let mut outcome = BatchOutcome {
                number,
                events: end - start,
                calls: 0,
                accepted: 0,
                refused: 0,
                not_sent: 0,
                refusal: None,
            };
            // Ranges still to send, the next one last.
            let mut pending: Vec<Range<usize>> = Vec::new();
            pending.push(start..end);
            while let Some(range) = pending.pop() {
                let fate = if let Some(stop) = &summary.stopped {
                    Some(Fate::NotSent(format!("not sent: {stop}")))
                } else {
                    match self
                        .call(
                            &events[range.clone()],
                            &mut outcome.calls,
                            &mut summary.retried,
                        )
                        .await
                    {
                        Answer::Accepted => Some(Fate::Accepted),
                        Answer::Failed(why) => Some(Fate::NotSent(why)),
                        Answer::Stopped(why) => {
                            summary.stopped = Some(why.clone());
                            Some(Fate::NotSent(why))
                        }
                        Answer::Refused(why) if range.len() == 1 => Some(Fate::Refused(why)),
                        Answer::Refused(why) => {
                            outcome.refusal.get_or_insert(why);
                            let middle = range.start + range.len() / 2;
                            pending.push(middle..range.end);
                            pending.push(range.start..middle);
                            None
                        }
                    }
                };
                if let Some(fate) = fate {
                    for slot in &mut summary.fates[range.clone()] {
                        *slot = Some(fate.clone());
                    }
                    match fate {
                        Fate::Accepted => outcome.accepted += range.len(),
                        Fate::Refused(_) => outcome.refused += range.len(),
                        Fate::NotSent(_) => outcome.not_sent += range.len(),
                    }
                }
            }
            summary.sent += outcome.accepted;
            summary.refused += outcome.refused;
            summary.failed += outcome.not_sent;
            on_batch(&outcome);
            start = end;
        }
        summary
    }
}
