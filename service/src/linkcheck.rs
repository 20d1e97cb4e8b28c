//! Following a tagged URL like a browser: every hop by hand (status, `Location`, a meta
//! refresh), refusing private and local addresses unless allowed, then reading the final page.
//! The verdicts are core's (`utmforge_core::linkcheck`); this module only fetches.

use crate::Error;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use utmforge_core::linkcheck::page::{self, PageReport};
use utmforge_core::linkcheck::{self, CheckCode, CheckFinding, Hop, LinkReport, MAX_REDIRECTS};

/// Longest a connection may take to open.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest one URL's whole check may take (every hop and the page).
pub const URL_TIMEOUT: Duration = Duration::from_secs(20);

/// The HTTP client of the link check (one per process; clones share it and its limit of
/// [`MAX_CONCURRENT`] checks at once, whichever run they belong to).
#[derive(Clone)]
pub struct Checker {
    client: reqwest::Client,
    guard: Guard,
    slots: Arc<Semaphore>,
    url_timeout: Duration,
}

/// Which addresses may be connected to: public ones, private ones too when allowed, and
/// exactly these addresses besides (tests: one loopback address allowed, another refused).
#[derive(Clone, Debug, Default)]
pub(crate) struct Guard {
    allow_private: bool,
    also: Arc<Vec<IpAddr>>,
}

impl Guard {
    /// Public addresses only, or private ones too when `allow_private` (an operator's flag).
    pub(crate) fn new(allow_private: bool) -> Guard {
        Guard {
            allow_private,
            also: Arc::default(),
        }
    }

    fn allows(&self, ip: IpAddr) -> bool {
        self.allow_private || linkcheck::is_public_address(ip) || self.also.contains(&ip)
    }

    /// Why `url` must not be fetched when its host is an IP literal the guard refuses (names
    /// are refused by [`GuardedResolver`] when they resolve).
    pub(crate) fn refuse_literal(&self, url: &str) -> Option<String> {
        let parsed = reqwest::Url::parse(url).ok()?;
        let ip = match parsed.host()? {
            url::Host::Ipv4(ip) => std::net::IpAddr::V4(ip),
            url::Host::Ipv6(ip) => std::net::IpAddr::V6(ip),
            url::Host::Domain(_) => return None,
        };
        (!self.allows(ip))
            .then(|| format!("{url} is a private or local address ({ip}): not followed"))
    }
}

/// Resolves names, then keeps only addresses the checker may connect to: the address checked
/// is the one connected to, on every hop (a name that points at 127.0.0.1 is refused too).
pub(crate) struct GuardedResolver {
    pub(crate) guard: Guard,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.guard.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| guard.allows(a.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(Box::new(Refused(format!(
                    "{host} resolves to a private or local address ({}): not followed",
                    found
                        .first()
                        .map_or_else(|| "none".to_owned(), |a| a.ip().to_string())
                )))
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// Whether `e` is (or wraps, inside I/O errors) a TLS error.
fn is_tls(e: &(dyn std::error::Error + 'static)) -> bool {
    e.is::<rustls::Error>()
        || e.downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .is_some_and(|inner| is_tls(inner))
}

/// The most specific text of an error chain (reqwest's own says only "error sending request").
pub(crate) fn error_text(e: &(dyn std::error::Error + 'static)) -> (String, bool) {
    let mut refused = false;
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        if let Some(r) = inner.downcast_ref::<Refused>() {
            refused = true;
            text = r.0.clone();
            break;
        }
        text = inner.to_string();
        if is_tls(inner) {
            text = format!("TLS error (the https connection could not be set up): {text}");
            break;
        }
        source = inner.source();
    }
    (text, refused)
}

impl Checker {
    /// A checker; `allow_private` lets it reach loopback and private networks (intranets, tests).
    pub fn new(allow_private: bool) -> Result<Checker, Error> {
        Checker::build(Guard::new(allow_private))
    }

    /// A checker that refuses private addresses except exactly `allowed` (for tests of the
    /// guard: a site on 127.0.0.1 redirecting to 127.0.0.2 must be refused on that hop).
    pub fn allowing(allowed: Vec<IpAddr>) -> Result<Checker, Error> {
        Checker::build(Guard {
            allow_private: false,
            also: Arc::new(allowed),
        })
    }

    fn build(guard: Guard) -> Result<Checker, Error> {
        // rustls needs a crypto provider; the first call installs ring's (later calls find one).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(URL_TIMEOUT)
            .user_agent(concat!("utmforge-linkcheck/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver {
                guard: guard.clone(),
            }))
            .no_proxy()
            .build()
            .map_err(|e| Error::internal(format!("cannot start the link checker: {e}")))?;
        Ok(Checker {
            client,
            guard,
            slots: Arc::new(Semaphore::new(MAX_CONCURRENT)),
            url_timeout: URL_TIMEOUT,
        })
    }

    /// The same checker, giving each URL at most `limit` in all (below [`URL_TIMEOUT`]: tests of
    /// a slow site).
    pub fn with_url_timeout(mut self, limit: Duration) -> Checker {
        self.url_timeout = limit.min(URL_TIMEOUT);
        self
    }

    /// Follows `tagged` (at most [`URL_TIMEOUT`] in all) and judges what arrived.
    pub async fn check(&self, tagged: &str) -> LinkReport {
        let mut hops = Vec::new();
        let mut extra = Vec::new();
        let mut page = None;
        let followed = tokio::time::timeout(
            self.url_timeout,
            self.follow(tagged, &mut hops, &mut extra, &mut page),
        )
        .await;
        if followed.is_err() {
            extra.push(CheckFinding::new(
                CheckCode::Unreachable,
                Some(hops.len()),
                format!(
                    "no answer within {} s in all: the check stopped",
                    self.url_timeout.as_secs_f32()
                ),
            ));
        }
        LinkReport::judge(tagged, hops, extra, page)
    }

    async fn follow(
        &self,
        tagged: &str,
        hops: &mut Vec<Hop>,
        extra: &mut Vec<CheckFinding>,
        page: &mut Option<PageReport>,
    ) {
        let mut url = tagged.to_owned();
        loop {
            if let Some(refusal) = self.refuse_literal(&url) {
                extra.push(CheckFinding::new(
                    CheckCode::PrivateAddress,
                    Some(hops.len()),
                    refusal,
                ));
                return;
            }
            let response = match self.client.get(&url).send().await {
                Ok(r) => r,
                Err(e) => {
                    let (text, refused) = error_text(&e);
                    let code = if refused {
                        CheckCode::PrivateAddress
                    } else {
                        CheckCode::Unreachable
                    };
                    let what = if e.is_timeout() {
                        "timed out"
                    } else {
                        "failed"
                    };
                    extra.push(CheckFinding::new(
                        code,
                        Some(hops.len()),
                        format!("{url}: {what}: {text}"),
                    ));
                    return;
                }
            };
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let hop = Hop {
                url: url.clone(),
                status,
                location: location.clone(),
            };
            let seen = hops.iter().any(|h| h.url == url);
            hops.push(hop);
            if seen {
                return; // core reports the loop
            }
            if (300..400).contains(&status) {
                let Some(next) = location.and_then(|l| linkcheck::next_url(&url, &l).ok()) else {
                    return; // core reports the bad Location
                };
                if hops.len() > MAX_REDIRECTS {
                    return;
                }
                url = next;
                continue;
            }
            if !(200..300).contains(&status) {
                return;
            }
            let html = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.to_ascii_lowercase().contains("html"));
            if !html {
                extra.push(CheckFinding::new(
                    CheckCode::NotHtml,
                    Some(hops.len() - 1),
                    format!("{url} answered {status} but not with an HTML page"),
                ));
                return;
            }
            let body = match read_at_most(response, page::MAX_PAGE_BYTES).await {
                Ok(body) => body,
                Err(e) => {
                    let (text, _) = error_text(&e);
                    extra.push(CheckFinding::new(
                        CheckCode::Unreachable,
                        Some(hops.len() - 1),
                        format!("{url}: the page could not be read: {text}"),
                    ));
                    return;
                }
            };
            let report = page::inspect(&String::from_utf8_lossy(&body), &url);
            if let Some(target) = report.meta_refresh.clone() {
                if hops.len() <= MAX_REDIRECTS {
                    // A meta refresh is followed like a redirect: it is this hop's Location.
                    if let Some(last) = hops.last_mut() {
                        last.location = Some(target.clone());
                    }
                    url = target;
                    continue;
                }
            }
            *page = Some(report);
            return;
        }
    }

    /// A URL whose host is an IP address skips DNS: check it here.
    fn refuse_literal(&self, url: &str) -> Option<String> {
        self.guard.refuse_literal(url)
    }
}

/// The body, cut at `limit` bytes (the rest is never read).
async fn read_at_most(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= limit {
            break;
        }
    }
    Ok(body)
}

/// Most checks running at once, and most at once against one host.
pub const MAX_CONCURRENT: usize = 8;
pub const MAX_PER_HOST: usize = 2;

/// Checks every URL (at most [`MAX_CONCURRENT`] at once in the whole process,
/// [`MAX_PER_HOST`] at once per host within this call) and hands each report to `done` as it
/// arrives, with the URL's index in `urls`.
pub async fn check_each<F, Fut>(checker: &Checker, urls: &[String], mut done: F)
where
    F: FnMut(usize, LinkReport) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    use std::collections::HashMap;
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    let mut tasks = tokio::task::JoinSet::new();
    let mut ids = HashMap::new();
    for (i, url) in urls.iter().enumerate() {
        let host = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        let per_host = hosts
            .entry(host)
            .or_insert_with(|| Arc::new(Semaphore::new(MAX_PER_HOST)))
            .clone();
        let (checker, url) = (checker.clone(), url.clone());
        let task = tasks.spawn(async move {
            let _host = per_host.acquire_owned().await;
            let _slot = checker.slots.clone().acquire_owned().await;
            (i, checker.check(&url).await)
        });
        ids.insert(task.id(), i);
    }
    while let Some(finished) = tasks.join_next_with_id().await {
        match finished {
            Ok((_, (i, report))) => done(i, report).await,
            Err(e) => {
                if let Some(&i) = ids.get(&e.id()) {
                    done(
                        i,
                        LinkReport::failed(&urls[i], format!("{}: the check failed", urls[i])),
                    )
                    .await;
                }
            }
        }
    }
}

/// Checks every URL like [`check_each`] and answers the reports in the order of `urls`.
pub async fn check_all(checker: &Checker, urls: &[String]) -> Vec<LinkReport> {
    let mut reports: Vec<Option<LinkReport>> = vec![None; urls.len()];
    check_each(checker, urls, |i, report| {
        reports[i] = Some(report);
        std::future::ready(())
    })
    .await;
    reports
        .into_iter()
        .zip(urls)
        .map(|(r, url)| {
            r.unwrap_or_else(|| LinkReport::failed(url, format!("{url}: the check failed")))
        })
        .collect()
}
