//! Link check verdicts: what a followed redirect chain says about a tagged URL — did every
//! `utm_*` parameter arrive unchanged, did a hop downgrade to http, loop, or end in an error.
//! Pure: fetching (DNS, the private-address guard, timeouts, bodies) happens elsewhere and
//! hands the hops here, so the rules are tested as tables and shared by every door.

use crate::lint::Severity;
use crate::query;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Most redirects followed before the chain is cut (`too-many-redirects`).
pub const MAX_REDIRECTS: usize = 10;

/// One request of a chain: the URL asked, the status answered, and for a redirect its
/// `Location` header as sent (possibly relative).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub url: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl Hop {
    /// A 3xx answer that names where to go next.
    pub fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status) && self.location.is_some()
    }
}

/// Stable link-check codes (kebab-case when serialized), each with its severity.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckCode {
    /// A hop lost a `utm_*` parameter: GA4 files the click under Direct or Unassigned.
    UtmDropped,
    /// A hop changed a `utm_*` value to another text.
    UtmChanged,
    /// The same value, encoded differently (`+` for `%20`): usually harmless, worth knowing.
    UtmReencoded,
    /// The same value in another letter case: GA4 reports it as a different value.
    UtmCaseChanged,
    /// A non-UTM parameter of the tagged URL (gclid-like ids, your own) was lost on the way.
    ParamDropped,
    /// An https page redirected to http.
    HttpsDowngrade,
    /// The chain came back to a URL it had already asked.
    RedirectLoop,
    /// More than [`MAX_REDIRECTS`] redirects.
    TooManyRedirects,
    /// A redirect whose `Location` is not a usable http(s) URL.
    BadLocation,
    /// The final answer is 4xx or 5xx.
    HttpError,
    /// The landing page has no GA4 tag (gtag.js with a `G-` id) and no Tag Manager container.
    NoGa4,
    /// A gtag.js id that is not a GA4 measurement id (`G-…`), e.g. a retired `UA-` one.
    BadGa4Id,
    /// The page does not load the OpenAI ads pixel.
    NoPixel,
    /// The pixel sits in `<body>`: it misses the events that happen before it loads.
    PixelInBody,
    /// A pixel id that is not one OpenAI issues (letters, digits, `-`, `_`).
    BadPixelId,
    /// The pixel installed as an outdated third-party guide describes it (another script,
    /// `init` with a string): OpenAI's SDK measures nothing.
    OutdatedPixel,
    /// The pixel is there but never measures `page_viewed`.
    NoPageViewed,
    /// The URL could not be fetched: a timeout, a refused connection, a TLS or DNS error.
    Unreachable,
    /// A hop leads to a loopback, private, link-local, multicast or unspecified address: not
    /// followed (the checker runs on a shared server; `--link-check-allow-private` lifts it).
    PrivateAddress,
    /// The final page answered 2xx but not with HTML.
    NotHtml,
}

impl CheckCode {
    pub fn severity(self) -> Severity {
        match self {
            CheckCode::UtmReencoded
            | CheckCode::UtmCaseChanged
            | CheckCode::ParamDropped
            | CheckCode::BadGa4Id
            | CheckCode::NoPixel
            | CheckCode::PixelInBody
            | CheckCode::BadPixelId
            | CheckCode::OutdatedPixel
            | CheckCode::NoPageViewed
            | CheckCode::NotHtml => Severity::Warning,
            _ => Severity::Error,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CheckCode::UtmDropped => "utm-dropped",
            CheckCode::UtmChanged => "utm-changed",
            CheckCode::UtmReencoded => "utm-reencoded",
            CheckCode::UtmCaseChanged => "utm-case-changed",
            CheckCode::ParamDropped => "param-dropped",
            CheckCode::HttpsDowngrade => "https-downgrade",
            CheckCode::RedirectLoop => "redirect-loop",
            CheckCode::TooManyRedirects => "too-many-redirects",
            CheckCode::BadLocation => "bad-location",
            CheckCode::HttpError => "http-error",
            CheckCode::NoGa4 => "no-ga4",
            CheckCode::BadGa4Id => "bad-ga4-id",
            CheckCode::NoPixel => "no-pixel",
            CheckCode::PixelInBody => "pixel-in-body",
            CheckCode::BadPixelId => "bad-pixel-id",
            CheckCode::OutdatedPixel => "outdated-pixel",
            CheckCode::NoPageViewed => "no-page-viewed",
            CheckCode::Unreachable => "unreachable",
            CheckCode::PrivateAddress => "private-address",
            CheckCode::NotHtml => "not-html",
        }
    }
}

/// One finding about a chain: its code and severity, the hop it concerns (index into the
/// hops: the one that redirected), and a sentence for a person.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckFinding {
    pub code: CheckCode,
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hop: Option<usize>,
    pub message: String,
}

impl CheckFinding {
    pub fn new(code: CheckCode, hop: Option<usize>, message: String) -> CheckFinding {
        CheckFinding {
            code,
            severity: code.severity(),
            hop,
            message,
        }
    }
}

/// A checked link's status, as a row shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    Warning,
    Broken,
}

impl Verdict {
    /// `ok`, `warning` or `broken`: as serialized, stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warning => "warning",
            Verdict::Broken => "broken",
        }
    }

    /// Broken with any error, warning with any warning, else ok.
    pub fn of(findings: &[CheckFinding]) -> Verdict {
        findings.iter().fold(Verdict::Ok, |v, f| {
            v.max(match f.severity {
                Severity::Error => Verdict::Broken,
                Severity::Warning => Verdict::Warning,
                Severity::Info => Verdict::Ok,
            })
        })
    }
}

/// What the landing page carries (`page::inspect`, server side, fills it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageReport {
    /// GA4 measurement ids (`G-…`) the page configures.
    pub ga4_ids: Vec<String>,
    /// Tag Manager containers (`GTM-…`).
    pub gtm_ids: Vec<String>,
    /// Ids given to `oaiq("init", …)`.
    pub pixel_ids: Vec<String>,
    /// Where the pixel sits: true in `<head>`, false in `<body>`, none without a pixel.
    pub pixel_in_head: Option<bool>,
    /// Whether the page measures `page_viewed` with the pixel.
    pub page_viewed: bool,
    /// Where a `<meta http-equiv=refresh>` sends the visitor (resolved against the page).
    pub meta_refresh: Option<String>,
    pub findings: Vec<CheckFinding>,
}

/// One URL's check: the hops as followed, the final page's report, every finding, the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkReport {
    pub url: String,
    pub verdict: Verdict,
    pub hops: Vec<Hop>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<PageReport>,
    pub findings: Vec<CheckFinding>,
}

impl LinkReport {
    /// The verdict on `tagged` from its followed `hops`, what the fetcher itself noticed
    /// (`fetch`: unreachable, refused, not HTML) and the final page's report.
    pub fn judge(
        tagged: &str,
        hops: Vec<Hop>,
        fetch: Vec<CheckFinding>,
        page: Option<PageReport>,
    ) -> LinkReport {
        let next_failed = fetch.iter().any(|f| f.hop == Some(hops.len()));
        let mut findings = chain_findings_until(tagged, &hops, next_failed);
        findings.extend(fetch);
        if let Some(report) = &page {
            findings.extend(report.findings.iter().cloned());
        }
        LinkReport {
            url: tagged.to_owned(),
            verdict: Verdict::of(&findings),
            hops,
            page,
            findings,
        }
    }

    /// A check that could not run at all (`message` says why).
    pub fn failed(tagged: &str, message: String) -> LinkReport {
        LinkReport::judge(
            tagged,
            Vec::new(),
            vec![CheckFinding::new(CheckCode::Unreachable, None, message)],
            None,
        )
    }

    /// The first finding of the highest severity: what a row shows beside its status.
    pub fn headline(&self) -> Option<&CheckFinding> {
        self.findings
            .iter()
            .find(|f| f.severity == Severity::Error)
            .or_else(|| {
                self.findings
                    .iter()
                    .find(|f| f.severity == Severity::Warning)
            })
    }
}

/// A creative's latest check, and since when its link has been broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkStatus {
    pub creative_id: String,
    /// When it was checked (Unix milliseconds).
    pub checked_at: i64,
    /// Broken in every check since this time (Unix milliseconds); none unless broken now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broken_since: Option<i64>,
    pub report: LinkReport,
}

/// Where a check run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    /// Results are still arriving.
    Running,
    /// Every URL was checked.
    Done,
    /// The instance running it stopped before the end (no result for
    /// [`RUN_STALE_AFTER_MS`]): start it again.
    Interrupted,
}

/// A running check that has not moved for this long is reported as interrupted (its
/// instance stopped): three times the longest one URL may take.
pub const RUN_STALE_AFTER_MS: i64 = 60_000;

/// Most URLs of one pasted-URL check (`POST /api/v1/check`, the Audit page, the CLI).
pub const MAX_CHECK_URLS: usize = 100;

/// A check of a campaign's creatives or of pasted URLs, run in the background, with the
/// results that have arrived (those from `from` on when a poll asked for only the new ones).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckRun {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<String>,
    pub state: RunState,
    /// URLs to check, and how many are checked.
    pub total: i64,
    pub done: i64,
    pub started_by: String,
    pub started_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<i64>,
    /// Results in the order they arrived; `seq` counts them from 0.
    pub results: Vec<RunResult>,
}

/// One URL's result within a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunResult {
    /// The URL's place in the run's list (a campaign's creatives in page order).
    pub position: i64,
    /// The order it finished in: poll with `from` = the last `seq` + 1 for only new results.
    pub seq: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creative_id: Option<String>,
    pub checked_at: i64,
    pub report: LinkReport,
}

/// Whether `urls` can be checked: at most [`MAX_CHECK_URLS`], each an absolute http(s) URL of
/// at most [`crate::campaign::MAX_URL_INPUT_LEN`] characters. Every problem, each naming the
/// URL's place in the list (1-based, like the lines of a pasted list).
pub fn check_targets(urls: &[String]) -> Result<(), Vec<crate::Notice>> {
    use crate::{Code, Field, Notice};
    if urls.is_empty() {
        return Err(vec![Notice::new(
            Code::Required,
            Field::Urls,
            "give at least one URL to check",
        )]);
    }
    if urls.len() > MAX_CHECK_URLS {
        return Err(vec![Notice::new(
            Code::TooMany,
            Field::Urls,
            format!(
                "{} URLs: at most {MAX_CHECK_URLS} are checked at a time; split the list",
                urls.len()
            ),
        )]);
    }
    let mut problems = Vec::new();
    for (i, raw) in urls.iter().enumerate() {
        let n = i + 1;
        let shown: String = raw.chars().take(80).collect();
        let problem = if raw.chars().count() > crate::campaign::MAX_URL_INPUT_LEN {
            Some((
                Code::TooLong,
                format!(
                    "URL {n} is longer than {} characters",
                    crate::campaign::MAX_URL_INPUT_LEN
                ),
            ))
        } else {
            match url::Url::parse(raw.trim()) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => None,
                Ok(u) => Some((
                    Code::SchemeNotAllowed,
                    format!(
                        "URL {n} (“{shown}”) is a {}: link, not a web page",
                        u.scheme()
                    ),
                )),
                Err(e) => Some((
                    Code::InvalidUrl,
                    format!("URL {n} (“{shown}”) is not an absolute http(s) URL: {e}"),
                )),
            }
        };
        if let Some((code, message)) = problem {
            problems.push(Notice::new(code, Field::Urls, message));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Whether the checker may connect to `ip`: not loopback, private (10/8, 172.16/12,
/// 192.168/16, fc00::/7), shared (100.64/10), link-local (169.254/16 with the cloud metadata
/// address, fe80::/10), multicast, broadcast, documentation or unspecified — also when
/// written as an IPv4-mapped IPv6 address.
pub fn is_public_address(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_unspecified()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_address(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// Where a redirect from `from` goes: `location` resolved against it (relative locations
/// allowed), only to http or https.
pub fn next_url(from: &str, location: &str) -> Result<String, String> {
    let base = url::Url::parse(from).map_err(|e| format!("{from} is not a URL: {e}"))?;
    let next = base
        .join(location.trim())
        .map_err(|e| format!("the Location “{location}” is not a URL: {e}"))?;
    match next.scheme() {
        "http" | "https" => Ok(next.into()),
        other => Err(format!(
            "the Location “{location}” leads to a {other}: URL, not a web page"
        )),
    }
}

/// The query parameters of `url` as (decoded key, raw value), in order.
fn params(url: &str) -> Vec<(String, String)> {
    let query = url
        .split('#')
        .next()
        .and_then(|u| u.split_once('?'))
        .map_or("", |(_, q)| q);
    query::pieces(query)
        .map(|p| {
            (
                query::decode(query::key_of(p)).into_owned(),
                query::value_of(p).to_owned(),
            )
        })
        .collect()
}

/// How a hop is named in a message: its path when the host stays the same (`/` → `/deals`),
/// else the whole URL without its query.
fn describe(from: &str, to: &str) -> (String, String) {
    let (Ok(a), Ok(b)) = (url::Url::parse(from), url::Url::parse(to)) else {
        return (from.to_owned(), to.to_owned());
    };
    if a.origin() == b.origin() {
        (a.path().to_owned(), b.path().to_owned())
    } else {
        let bare = |u: &url::Url| {
            format!(
                "{}://{}{}",
                u.scheme(),
                u.host_str().unwrap_or(""),
                u.path()
            )
        };
        (bare(&a), bare(&b))
    }
}

/// What the chain `hops` (the first asked for `tagged`, each next one the previous one's
/// `Location`) says about the tagged URL. Each lost or changed parameter is reported once, at
/// the hop that lost it.
pub fn chain_findings(tagged: &str, hops: &[Hop]) -> Vec<CheckFinding> {
    chain_findings_until(tagged, hops, false)
}

/// As [`chain_findings`]; `next_failed`: the fetcher could not follow the last redirect (its
/// own finding says why), so that hop is not reported as a chain that stopped by itself.
fn chain_findings_until(tagged: &str, hops: &[Hop], next_failed: bool) -> Vec<CheckFinding> {
    let mut findings = Vec::new();
    let wanted = params(tagged);
    // Parameters still to follow: those already reported lost are not reported again.
    let mut alive: Vec<bool> = vec![true; wanted.len()];
    for (i, pair) in hops.windows(2).enumerate() {
        let (from, to) = (&pair[0], &pair[1]);
        let (a, b) = describe(&from.url, &to.url);
        if from.url.starts_with("https:") && to.url.starts_with("http:") {
            findings.push(CheckFinding::new(
                CheckCode::HttpsDowngrade,
                Some(i),
                format!("{a} → {b} leaves https for http: browsers warn, and the referrer is lost"),
            ));
        }
        let before = params(&from.url);
        let after = params(&to.url);
        for (w, (key, tagged_value)) in wanted.iter().enumerate() {
            if !alive[w] || !before.iter().any(|(k, _)| k == key) {
                continue;
            }
            let utm = query::is_utm_key(key);
            let Some((_, now)) = after.iter().find(|(k, _)| k == key) else {
                alive[w] = false;
                findings.push(if utm {
                    CheckFinding::new(
                        CheckCode::UtmDropped,
                        Some(i),
                        format!(
                            "{a} → {b} dropped {key}: GA4 will not see this click as a ChatGPT ad"
                        ),
                    )
                } else {
                    CheckFinding::new(
                        CheckCode::ParamDropped,
                        Some(i),
                        format!("{a} → {b} dropped the parameter {key}"),
                    )
                });
                continue;
            };
            if !utm || now == tagged_value {
                continue;
            }
            let (was, is): (Cow<str>, Cow<str>) = (query::decode(tagged_value), query::decode(now));
            alive[w] = false;
            findings.push(if was == is {
                CheckFinding::new(
                    CheckCode::UtmReencoded,
                    Some(i),
                    format!("{a} → {b} re-encoded {key} ({tagged_value} → {now}); GA4 reads the same value"),
                )
            } else if was.to_lowercase() == is.to_lowercase() {
                CheckFinding::new(
                    CheckCode::UtmCaseChanged,
                    Some(i),
                    format!("{a} → {b} changed the case of {key} ({was} → {is}): GA4 reports it as another value"),
                )
            } else {
                CheckFinding::new(
                    CheckCode::UtmChanged,
                    Some(i),
                    format!("{a} → {b} changed {key} from {was} to {is}"),
                )
            });
        }
    }
    if let Some(last) = hops.last() {
        let seen_before = hops[..hops.len() - 1].iter().any(|h| h.url == last.url);
        if seen_before {
            findings.push(CheckFinding::new(
                CheckCode::RedirectLoop,
                Some(hops.len() - 1),
                format!("the redirects loop: {} was already asked", last.url),
            ));
        } else if last.is_redirect() && hops.len() > MAX_REDIRECTS {
            findings.push(CheckFinding::new(
                CheckCode::TooManyRedirects,
                Some(hops.len() - 1),
                format!("more than {MAX_REDIRECTS} redirects: the check stopped following them"),
            ));
        } else if (300..400).contains(&last.status) {
            let why = match &last.location {
                Some(location) => match next_url(&last.url, location) {
                    Err(e) => Some(e),
                    Ok(_) if next_failed => None,
                    Ok(_) => Some("the chain stopped here".to_owned()),
                },
                None => Some("a redirect without a Location header".to_owned()),
            };
            if let Some(why) = why {
                findings.push(CheckFinding::new(
                    CheckCode::BadLocation,
                    Some(hops.len() - 1),
                    format!("{} answered {}: {why}", last.url, last.status),
                ));
            }
        } else if last.status >= 400 {
            findings.push(CheckFinding::new(
                CheckCode::HttpError,
                Some(hops.len() - 1),
                format!(
                    "{} answered {}: visitors see an error page",
                    last.url, last.status
                ),
            ));
        }
    }
    findings
}

#[cfg(feature = "page-check")]
pub mod page;

#[cfg(test)]
mod tests {
    use super::*;

    const TAGGED: &str = "https://example.com/?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=headline-a&ref=ad";

    fn hop(url: &str, status: u16, location: Option<&str>) -> Hop {
        Hop {
            url: url.into(),
            status,
            location: location.map(Into::into),
        }
    }

    fn codes(hops: &[Hop]) -> Vec<(CheckCode, Option<usize>)> {
        chain_findings(TAGGED, hops)
            .into_iter()
            .map(|f| (f.code, f.hop))
            .collect()
    }

    #[test]
    fn a_chain_that_keeps_the_query_is_clean() {
        let kept = TAGGED.replace(".com/?", ".com/deals?");
        let hops = [hop(TAGGED, 301, Some("/deals")), hop(&kept, 200, None)];
        assert_eq!(codes(&hops), []);
        assert_eq!(codes(&[hop(TAGGED, 200, None)]), []);
    }

    #[test]
    fn each_change_of_a_parameter_is_named_at_its_hop() {
        let rows: [(&str, CheckCode, &str); 5] = [
            (
                "https://example.com/deals?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&ref=ad",
                CheckCode::UtmDropped,
                "/ → /deals dropped utm_content",
            ),
            (
                "https://example.com/deals?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=headline%2Da&ref=ad",
                CheckCode::UtmReencoded,
                "re-encoded utm_content",
            ),
            (
                "https://example.com/deals?utm_source=chatgpt&utm_medium=cpc&utm_campaign=Spring-Sale&utm_content=headline-a&ref=ad",
                CheckCode::UtmCaseChanged,
                "Spring-Sale",
            ),
            (
                "https://example.com/deals?utm_source=chatgpt&utm_medium=cpm&utm_campaign=spring-sale&utm_content=headline-a&ref=ad",
                CheckCode::UtmChanged,
                "changed utm_medium from cpc to cpm",
            ),
            (
                "https://example.com/deals?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=headline-a",
                CheckCode::ParamDropped,
                "dropped the parameter ref",
            ),
        ];
        for (next, code, text) in rows {
            let findings = chain_findings(
                TAGGED,
                &[hop(TAGGED, 302, Some("/deals")), hop(next, 200, None)],
            );
            assert_eq!(findings.len(), 1, "{next}: {findings:?}");
            assert_eq!((findings[0].code, findings[0].hop), (code, Some(0)));
            assert!(
                findings[0].message.contains(text),
                "{}",
                findings[0].message
            );
            assert_eq!(findings[0].severity, code.severity());
        }
        assert_eq!(CheckCode::UtmDropped.severity(), Severity::Error);
        assert_eq!(CheckCode::ParamDropped.severity(), Severity::Warning);
    }

    #[test]
    fn a_parameter_lost_early_is_reported_once_at_the_hop_that_lost_it() {
        let bare = "https://example.com/a";
        let hops = [
            hop(TAGGED, 301, Some("/a")),
            hop(bare, 301, Some("/b")),
            hop("https://example.com/b", 200, None),
        ];
        let found = codes(&hops);
        assert_eq!(
            found
                .iter()
                .filter(|(c, _)| *c == CheckCode::UtmDropped)
                .count(),
            4
        );
        assert!(found.iter().all(|(_, hop)| *hop == Some(0)), "{found:?}");
    }

    #[test]
    fn downgrades_loops_limits_and_errors() {
        let http = TAGGED.replace("https:", "http:");
        let found = codes(&[hop(TAGGED, 301, Some(&http)), hop(&http, 200, None)]);
        assert_eq!(found, [(CheckCode::HttpsDowngrade, Some(0))]);

        let other = TAGGED.replace(".com/?", ".com/x?");
        let found = codes(&[
            hop(TAGGED, 302, Some("/x")),
            hop(&other, 302, Some("/")),
            hop(TAGGED, 302, Some("/x")),
        ]);
        assert_eq!(found, [(CheckCode::RedirectLoop, Some(2))]);

        let many: Vec<Hop> = (0..=MAX_REDIRECTS)
            .map(|i| {
                let url = TAGGED.replace(".com/?", &format!(".com/{i}?"));
                hop(&url, 302, Some(&format!("/{}", i + 1)))
            })
            .collect();
        let found = chain_findings(TAGGED, &many);
        assert!(
            found.iter().any(|f| f.code == CheckCode::TooManyRedirects),
            "{found:?}"
        );

        assert_eq!(
            codes(&[hop(TAGGED, 404, None)]),
            [(CheckCode::HttpError, Some(0))]
        );
        assert_eq!(
            codes(&[hop(TAGGED, 302, None)]),
            [(CheckCode::BadLocation, Some(0))]
        );
        assert_eq!(
            codes(&[hop(TAGGED, 302, Some("javascript:alert(1)"))]),
            [(CheckCode::BadLocation, Some(0))]
        );
    }

    #[test]
    fn private_and_local_addresses_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "ff02::1",
        ] {
            assert!(!is_public_address(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public_address(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn the_verdict_is_the_worst_finding() {
        let f = |code: CheckCode| CheckFinding::new(code, None, String::new());
        assert_eq!(Verdict::of(&[]), Verdict::Ok);
        assert_eq!(Verdict::of(&[f(CheckCode::NoPixel)]), Verdict::Warning);
        assert_eq!(
            Verdict::of(&[f(CheckCode::NoPixel), f(CheckCode::UtmDropped)]),
            Verdict::Broken
        );
    }

    #[test]
    fn relative_locations_resolve_against_the_hop() {
        let from = "https://example.com/shop/item?utm_source=chatgpt";
        assert_eq!(
            next_url(from, "/deals?x=1").unwrap(),
            "https://example.com/deals?x=1"
        );
        assert_eq!(
            next_url(from, "other").unwrap(),
            "https://example.com/shop/other"
        );
        assert_eq!(
            next_url(from, "//cdn.example.net/a").unwrap(),
            "https://cdn.example.net/a"
        );
        assert_eq!(
            next_url(from, "http://example.com/").unwrap(),
            "http://example.com/"
        );
        assert!(next_url(from, "ftp://example.com/").is_err());
    }

    #[test]
    fn cross_host_hops_are_named_by_host() {
        let moved = TAGGED.replace("https://example.com/?", "https://www.example.com/?");
        let moved = moved.replace("&utm_content=headline-a", "");
        let findings = chain_findings(
            TAGGED,
            &[hop(TAGGED, 301, Some(&moved)), hop(&moved, 200, None)],
        );
        assert!(
            findings[0]
                .message
                .starts_with("https://example.com/ → https://www.example.com/ dropped utm_content"),
            "{}",
            findings[0].message
        );
    }
}
