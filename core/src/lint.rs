//! Linting a URL that is already in use: findings with a stable code, a severity, a message
//! and, where a fix exists, the URL with that fix applied.
//!
//! Unlike [`crate::tag`], lint changes as little as possible: each fix touches one parameter and
//! keeps everything else where it was. The report's `fixed_url` applies every fix at once.

use crate::destination::{parse_destination, shorten};
use crate::medium::{BuyingModel, UTM_SOURCE};
use crate::notice::Code as TagCode;
use crate::query::{self, decode, is_utm_key};
use crate::slug::{is_slug, slugify_with, Separator, MAX_SLUG_LEN};
use crate::tag::{URL_MAX_LEN, URL_WARN_LEN};
use serde::{Deserialize, Serialize};
use url::Url;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// GA4 will misattribute or drop the traffic.
    Error,
    /// GA4 will split or cut the data, or visitors may be affected.
    Warning,
    /// Worth knowing; nothing breaks.
    Info,
}

/// Stable lint codes (kebab-case when serialized).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum LintCode {
    InvalidUrl,
    RelativeUrl,
    SchemeNotAllowed,
    CredentialsInUrl,
    MissingScheme,
    NotHttps,
    SourceMissing,
    SourceNotCanonical,
    SourceNotChatgpt,
    MediumMissing,
    MediumInvalid,
    CampaignMissing,
    ContentMissing,
    TermMissing,
    ValueUppercase,
    ValueSpaces,
    ValueNotSlug,
    ValueTooLong,
    DuplicateKey,
    KeyCase,
    UtmInFragment,
    UrlLong,
    UrlTooLong,
    /// More findings than one report lists ([`MAX_FINDINGS`]); the rest are counted.
    TooManyFindings,
}

impl LintCode {
    pub fn as_str(self) -> &'static str {
        match self {
            LintCode::InvalidUrl => "invalid-url",
            LintCode::RelativeUrl => "relative-url",
            LintCode::SchemeNotAllowed => "scheme-not-allowed",
            LintCode::CredentialsInUrl => "credentials-in-url",
            LintCode::MissingScheme => "missing-scheme",
            LintCode::NotHttps => "not-https",
            LintCode::SourceMissing => "source-missing",
            LintCode::SourceNotCanonical => "source-not-canonical",
            LintCode::SourceNotChatgpt => "source-not-chatgpt",
            LintCode::MediumMissing => "medium-missing",
            LintCode::MediumInvalid => "medium-invalid",
            LintCode::CampaignMissing => "campaign-missing",
            LintCode::ContentMissing => "content-missing",
            LintCode::TermMissing => "term-missing",
            LintCode::ValueUppercase => "value-uppercase",
            LintCode::ValueSpaces => "value-spaces",
            LintCode::ValueNotSlug => "value-not-slug",
            LintCode::ValueTooLong => "value-too-long",
            LintCode::DuplicateKey => "duplicate-key",
            LintCode::KeyCase => "key-case",
            LintCode::UtmInFragment => "utm-in-fragment",
            LintCode::UrlLong => "url-long",
            LintCode::UrlTooLong => "url-too-long",
            LintCode::TooManyFindings => "too-many-findings",
        }
    }
}

impl LintCode {
    /// How much a finding of this kind matters: the same for every URL.
    pub fn severity(self) -> Severity {
        use LintCode::*;
        match self {
            InvalidUrl | RelativeUrl | SchemeNotAllowed | CredentialsInUrl | SourceMissing
            | SourceNotCanonical | MediumMissing | MediumInvalid | CampaignMissing
            | DuplicateKey | KeyCase | UtmInFragment | UrlTooLong => Severity::Error,
            MissingScheme | NotHttps | SourceNotChatgpt | ContentMissing | ValueUppercase
            | ValueSpaces | ValueTooLong | UrlLong => Severity::Warning,
            TermMissing | ValueNotSlug | TooManyFindings => Severity::Info,
        }
    }
}

impl std::fmt::Display for LintCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    pub code: LintCode,
    pub severity: Severity,
    pub message: String,
    /// The URL with this finding's fix applied, when one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_url: Option<String>,
}

/// Most URLs one lint call takes (the Audit page, `POST /api/v1/lint`).
pub const MAX_LINT_URLS: usize = 10_000;

/// Longest input lint takes apart, in bytes: twice the longest usable URL. A longer input gets
/// one `url-too-long` finding and is not parsed (its findings and fixes would cost memory in
/// proportion to its length times their number).
pub const MAX_LINT_INPUT_LEN: usize = 2 * URL_MAX_LEN;

/// Most findings one report lists, each with its own fixed URL; more are counted in a last
/// `too-many-findings` finding.
pub const MAX_FINDINGS: usize = 20;

/// Everything lint found in one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LintReport {
    /// The URL as given.
    pub input: String,
    pub findings: Vec<Finding>,
    /// The URL with every available fix applied; absent when nothing can be fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_url: Option<String>,
}

impl LintReport {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Source values that mean ChatGPT but are spelled differently (compared without case and
/// without anything but letters and digits).
const CHATGPT_SPELLINGS: &[&str] = &["chatgpt", "openai", "chatgptcom", "openaicom", "chatgptads"];

/// One `key=value` piece of the query or the fragment.
#[derive(Debug, Clone)]
struct Piece {
    raw: String,
    removed: bool,
}

impl Piece {
    fn key(&self) -> &str {
        query::key_of(&self.raw)
    }
    fn value(&self) -> &str {
        query::value_of(&self.raw)
    }
    fn canonical_key(&self) -> String {
        decode(self.key()).to_ascii_lowercase()
    }
}

/// A URL taken apart so that single fixes can be applied and it can be put back together.
#[derive(Debug, Clone)]
struct Parts {
    url: Url,
    query: Vec<Piece>,
    fragment_head: Option<String>,
    fragment_has_question: bool,
    fragment: Vec<Piece>,
}

#[derive(Debug, Clone, Copy)]
enum Fix {
    /// Keep the URL as parsed (scheme added, host normalized).
    Normalize,
    UseHttps,
    AddSource,
    /// Replace the value of query piece `i`.
    SetValue(usize, &'static str),
    SlugValue(usize, Separator),
    LowercaseKey(usize),
    DropQuery(usize),
    /// Move fragment piece `i` to the query (or drop it when the query already has the key).
    MoveFragment(usize, bool),
}

impl Parts {
    fn apply(&mut self, fix: Fix) {
        match fix {
            Fix::Normalize => {}
            Fix::UseHttps => {
                let _ = self.url.set_scheme("https");
            }
            Fix::AddSource => self.query.push(Piece {
                raw: format!("utm_source={UTM_SOURCE}"),
                removed: false,
            }),
            Fix::SetValue(i, value) => {
                let key = self.query[i].key().to_string();
                self.query[i].raw = format!("{key}={value}");
            }
            Fix::SlugValue(i, sep) => {
                let key = self.query[i].key().to_string();
                if let Ok(slug) = slugify_with(&decode(self.query[i].value()), sep) {
                    self.query[i].raw = format!("{key}={slug}");
                }
            }
            Fix::LowercaseKey(i) => {
                let value = self.query[i].value().to_string();
                let key = self.query[i].canonical_key();
                self.query[i].raw = format!("{key}={value}");
            }
            Fix::DropQuery(i) => self.query[i].removed = true,
            Fix::MoveFragment(i, keep) => {
                self.fragment[i].removed = true;
                if keep {
                    let raw = self.fragment[i].raw.clone();
                    self.query.push(Piece {
                        raw,
                        removed: false,
                    });
                }
            }
        }
    }

    fn to_url(&self) -> String {
        let mut url = self.url.clone();
        let kept_query: Vec<&str> = self
            .query
            .iter()
            .filter(|p| !p.removed)
            .map(|p| p.raw.as_str())
            .collect();
        let joined = kept_query.join("&");
        url.set_query(if joined.is_empty() {
            None
        } else {
            Some(&joined)
        });
        let kept: Vec<&str> = self
            .fragment
            .iter()
            .filter(|p| !p.removed && !p.raw.is_empty())
            .map(|p| p.raw.as_str())
            .collect();
        let fragment = query::join_fragment(
            self.fragment_head.as_deref().unwrap_or(""),
            self.fragment_has_question,
            &kept,
        );
        // An empty fragment carries nothing: leave it out.
        url.set_fragment(if fragment.is_empty() {
            None
        } else {
            Some(&fragment)
        });
        url.into()
    }
}

fn split_pieces(s: &str) -> Vec<Piece> {
    query::pieces(s)
        .map(|p| Piece {
            raw: p.to_string(),
            removed: false,
        })
        .collect()
}

/// A finding before its fix is turned into a URL.
struct Pending {
    code: LintCode,
    message: String,
    fix: Option<Fix>,
}

/// One URL taken apart, and what the checks found so far.
struct Checker {
    parts: Parts,
    /// UTM keys of the query (canonical), each with the index of its first piece.
    seen: Vec<(String, usize)>,
    /// UTM keys found in the fragment (canonical).
    in_fragment: Vec<String>,
    findings: Vec<Pending>,
}

impl Checker {
    fn push(&mut self, code: LintCode, message: impl Into<String>, fix: Option<Fix>) {
        self.findings.push(Pending {
            code,
            message: message.into(),
            fix,
        });
    }

    fn in_query(&self, key: &str) -> Option<usize> {
        self.seen.iter().find(|(k, _)| k == key).map(|(_, i)| *i)
    }

    fn present(&self, key: &str) -> bool {
        self.in_query(key).is_some() || self.in_fragment.iter().any(|k| k == key)
    }

    fn has(&self, code: LintCode) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }

    /// No scheme, or http.
    fn check_scheme(&mut self, warnings: &[crate::notice::Notice]) {
        for warning in warnings {
            match warning.code {
                TagCode::SchemeAdded => self.push(
                    LintCode::MissingScheme,
                    "the URL has no scheme: ad platforms need the full address, with https://",
                    Some(Fix::Normalize),
                ),
                TagCode::InsecureHttp => self.push(
                    LintCode::NotHttps,
                    "the landing page uses http, not https",
                    Some(Fix::UseHttps),
                ),
                _ => {}
            }
        }
    }

    /// UTM keys in the wrong case, and keys given twice. Fills `seen`.
    fn check_keys(&mut self) {
        for i in 0..self.parts.query.len() {
            let piece = &self.parts.query[i];
            if !is_utm_key(piece.key()) {
                continue;
            }
            let key = piece.canonical_key();
            let written = piece.key().to_string();
            if written != key {
                self.push(
                    LintCode::KeyCase,
                    format!(
                        "“{written}” must be written “{key}”: GA4 only reads lowercase UTM keys"
                    ),
                    Some(Fix::LowercaseKey(i)),
                );
            }
            if self.seen.iter().any(|(k, _)| *k == key) {
                self.push(
                    LintCode::DuplicateKey,
                    format!("{key} appears more than once: GA4 may read either value; the first is kept"),
                    Some(Fix::DropQuery(i)),
                );
                continue;
            }
            self.seen.push((key, i));
        }
    }

    /// UTM parameters after `#`, where GA4 does not read them. Fills `in_fragment`.
    fn check_fragment(&mut self) {
        for i in 0..self.parts.fragment.len() {
            let piece = &self.parts.fragment[i];
            if !is_utm_key(piece.key()) {
                continue;
            }
            let key = piece.canonical_key();
            let raw = shorten(&piece.raw);
            let keep = self.in_query(&key).is_none() && !self.in_fragment.contains(&key);
            self.push(
                LintCode::UtmInFragment,
                format!(
                    "{raw} is in the fragment (after #), where GA4 does not read it{}",
                    if keep {
                        "; the fix moves it into the query"
                    } else {
                        "; the query already has it, the fix removes it"
                    }
                ),
                Some(Fix::MoveFragment(i, keep)),
            );
            self.in_fragment.push(key);
        }
    }

    /// utm_source: present, and exactly `chatgpt`.
    fn check_source(&mut self) {
        let Some(i) = self.in_query("utm_source") else {
            if !self.present("utm_source") {
                self.push(
                    LintCode::SourceMissing,
                    format!("utm_source is missing: ChatGPT ad traffic must carry utm_source={UTM_SOURCE}"),
                    Some(Fix::AddSource),
                );
            }
            return;
        };
        let value = decode(self.parts.query[i].value()).into_owned();
        if value == UTM_SOURCE {
            return;
        }
        let squashed: String = value
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        if CHATGPT_SPELLINGS.contains(&squashed.as_str()) {
            let message = if squashed == "chatgptcom" {
                format!("utm_source={value} is how organic ChatGPT citations arrive; ads use utm_source={UTM_SOURCE} so the two never mix")
            } else {
                format!("utm_source={value} splits ChatGPT traffic into its own row in GA4: use utm_source={UTM_SOURCE}")
            };
            self.push(
                LintCode::SourceNotCanonical,
                message,
                Some(Fix::SetValue(i, UTM_SOURCE)),
            );
        } else {
            self.push(
                LintCode::SourceNotChatgpt,
                format!(
                    "utm_source={} is not ChatGPT: this is not a ChatGPT ad link",
                    shorten(&value)
                ),
                None,
            );
        }
    }

    /// utm_medium: present, and cpc or cpm.
    fn check_medium(&mut self) {
        match self.in_query("utm_medium") {
            None if !self.present("utm_medium") => self.push(
                LintCode::MediumMissing,
                "utm_medium is missing: use cpc or cpm, the campaign's buying model",
                None,
            ),
            None => {}
            Some(i) => {
                let value = decode(self.parts.query[i].value()).into_owned();
                if value.parse::<BuyingModel>().is_err() {
                    self.push(
                        LintCode::MediumInvalid,
                        format!("utm_medium={} is neither cpc nor cpm: GA4 will not count it as paid ChatGPT traffic", shorten(&value)),
                        None,
                    );
                }
            }
        }
    }

    /// utm_campaign, utm_content, utm_term: present and not empty.
    fn check_missing(&mut self) {
        for (key, code, why) in [
            (
                "utm_campaign",
                LintCode::CampaignMissing,
                "GA4 cannot tell campaigns apart",
            ),
            (
                "utm_content",
                LintCode::ContentMissing,
                "GA4 cannot tell creatives apart",
            ),
            (
                "utm_term",
                LintCode::TermMissing,
                "GA4 cannot report by conversation topic",
            ),
        ] {
            let empty = self
                .in_query(key)
                .is_some_and(|i| self.parts.query[i].value().is_empty());
            if !self.present(key) || empty {
                self.push(
                    code,
                    format!(
                        "{key} is {}: {why}",
                        if empty { "empty" } else { "missing" }
                    ),
                    None,
                );
            }
        }
    }

    /// Values: slugs, lowercase, no spaces, at most 100 characters (all but utm_id, which is
    /// kept as written for cost-data import).
    fn check_values(&mut self) {
        let source_fixed = self.has(LintCode::SourceNotCanonical);
        for (key, i) in self.seen.clone() {
            if key == "utm_id" || (key == "utm_source" && source_fixed) {
                continue;
            }
            let raw = self.parts.query[i].value().to_string();
            if raw.is_empty() {
                continue;
            }
            let value = decode(&raw).into_owned();
            let separator = if value.contains('_') && !value.contains('-') {
                Separator::Underscore
            } else {
                Separator::Hyphen
            };
            let fix = slugify_with(&value, separator)
                .ok()
                .map(|_| Fix::SlugValue(i, separator));
            let length = value.chars().count();
            if length > MAX_SLUG_LEN {
                self.push(
                    LintCode::ValueTooLong,
                    format!("{key} is {length} characters long: GA4 keeps only {MAX_SLUG_LEN}"),
                    fix,
                );
            } else if value.chars().any(char::is_uppercase) {
                self.push(
                    LintCode::ValueUppercase,
                    format!(
                        "{key}={} has capitals: GA4 reports “Spring” and “spring” as two rows",
                        shorten(&value)
                    ),
                    fix,
                );
            } else if value.contains(' ') || raw.contains("%20") || raw.contains('+') {
                self.push(
                    LintCode::ValueSpaces,
                    format!(
                        "{key}={} contains spaces (or %20, +): use a slug",
                        shorten(&raw)
                    ),
                    fix,
                );
            } else if !is_slug(&value, separator) {
                self.push(
                    LintCode::ValueNotSlug,
                    format!(
                        "{key}={} is not a slug (lowercase letters, digits, one separator)",
                        shorten(&raw)
                    ),
                    fix,
                );
            }
        }
    }

    /// The URL's length, as it would be served.
    fn check_length(&mut self) {
        let len = self.parts.to_url().chars().count();
        if len > URL_MAX_LEN {
            self.push(LintCode::UrlTooLong, format!("the URL is {len} characters long, over the {URL_MAX_LEN} that browsers and ad platforms accept"), None);
        } else if len > URL_WARN_LEN {
            self.push(LintCode::UrlLong, format!("the URL is {len} characters long: GA4 keeps only the first {URL_WARN_LEN} of page_location"), None);
        }
    }

    /// The report: every fix applied at once, then the findings, worst first, at most
    /// [`MAX_FINDINGS`] with their own fixed URL.
    fn report(mut self, input: &str) -> LintReport {
        let mut all = self.parts.clone();
        let mut any_fix = false;
        for fix in self.findings.iter().filter_map(|f| f.fix) {
            all.apply(fix);
            any_fix = true;
        }
        let fixed_url = any_fix.then(|| all.to_url());
        self.findings.sort_by_key(|f| f.code.severity());
        let more = self.findings.len().saturating_sub(MAX_FINDINGS);
        self.findings.truncate(MAX_FINDINGS);
        let parts = &self.parts;
        let mut findings: Vec<Finding> = self
            .findings
            .into_iter()
            .map(|f| Finding {
                code: f.code,
                severity: f.code.severity(),
                message: f.message,
                fixed_url: f.fix.map(|fix| {
                    let mut one = parts.clone();
                    one.apply(fix);
                    one.to_url()
                }),
            })
            .collect();
        if more > 0 {
            findings.push(Finding {
                code: LintCode::TooManyFindings,
                severity: LintCode::TooManyFindings.severity(),
                message: format!(
                    "{more} more finding{} not listed: apply the fixed URL and check it again",
                    if more == 1 { " is" } else { "s are" }
                ),
                fixed_url: None,
            });
        }
        LintReport {
            input: input.to_string(),
            findings,
            fixed_url,
        }
    }
}

/// A report with one finding and no fix.
fn single(input: &str, code: LintCode, message: String) -> LintReport {
    LintReport {
        input: input.to_string(),
        findings: vec![Finding {
            code,
            severity: code.severity(),
            message,
            fixed_url: None,
        }],
        fixed_url: None,
    }
}

/// Lints one URL.
pub fn lint(input: &str) -> LintReport {
    if input.trim().len() > MAX_LINT_INPUT_LEN {
        return single(
            input,
            LintCode::UrlTooLong,
            format!(
                "the URL is {} characters long, over the {URL_MAX_LEN} that browsers and ad platforms accept; it was not checked further",
                input.trim().chars().count()
            ),
        );
    }
    let destination = match parse_destination(input) {
        Ok(d) => d,
        Err(e) => {
            let code = match e.code {
                TagCode::RelativeUrl => LintCode::RelativeUrl,
                TagCode::SchemeNotAllowed => LintCode::SchemeNotAllowed,
                TagCode::CredentialsInUrl => LintCode::CredentialsInUrl,
                _ => LintCode::InvalidUrl,
            };
            return single(input, code, e.message);
        }
    };
    let url = destination.url;
    let query = split_pieces(url.query().unwrap_or(""));
    let (fragment_head, fragment_has_question, fragment) = match url.fragment() {
        None => (None, false, Vec::new()),
        Some(f) => match f.split_once('?') {
            Some((head, rest)) => (Some(head.to_string()), true, split_pieces(rest)),
            None if f.split('&').any(|p| is_utm_key(query::key_of(p))) => {
                (None, false, split_pieces(f))
            }
            None => (Some(f.to_string()), false, Vec::new()),
        },
    };
    let mut checker = Checker {
        parts: Parts {
            url,
            query,
            fragment_head,
            fragment_has_question,
            fragment,
        },
        seen: Vec::new(),
        in_fragment: Vec::new(),
        findings: Vec::new(),
    };
    checker.check_scheme(&destination.warnings);
    checker.check_keys();
    checker.check_fragment();
    checker.check_source();
    checker.check_medium();
    checker.check_missing();
    checker.check_values();
    checker.check_length();
    checker.report(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(r: &LintReport) -> Vec<LintCode> {
        r.findings.iter().map(|f| f.code).collect()
    }

    fn finding(r: &LintReport, code: LintCode) -> &Finding {
        r.findings
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code} in {:?}", codes(r)))
    }

    const GOOD: &str = "https://example.com/p?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=headline-v2&utm_term=crm-tools";

    #[test]
    fn a_correct_url_is_clean() {
        let r = lint(GOOD);
        assert!(r.is_clean(), "{:?}", r.findings);
        assert_eq!(r.fixed_url, None);
    }

    #[test]
    fn a_url_tagged_by_utmforge_is_clean() {
        let tagged = crate::tag(&crate::TagRequest {
            url: "https://example.com/a?x=1#top".into(),
            campaign: "Spring Sale".into(),
            medium: BuyingModel::Cpm,
            content: Some("v1".into()),
            term: Some("crm".into()),
            id: Some("C-1".into()),
        })
        .unwrap();
        assert!(
            lint(&tagged.url).is_clean(),
            "{:?}",
            lint(&tagged.url).findings
        );
    }

    #[test]
    fn non_canonical_sources_are_fixed_to_chatgpt() {
        for source in [
            "ChatGPT",
            "chat-gpt",
            "chat_gpt",
            "openai",
            "Chat%20GPT",
            "chatgpt.com",
        ] {
            let url = GOOD.replace("utm_source=chatgpt", &format!("utm_source={source}"));
            let r = lint(&url);
            assert_eq!(codes(&r), [LintCode::SourceNotCanonical], "{source}");
            assert_eq!(
                finding(&r, LintCode::SourceNotCanonical)
                    .fixed_url
                    .as_deref(),
                Some(GOOD)
            );
            assert_eq!(r.fixed_url.as_deref(), Some(GOOD));
        }
        let organic = lint(&GOOD.replace("utm_source=chatgpt", "utm_source=chatgpt.com"));
        assert!(organic.findings[0].message.contains("organic"));
    }

    #[test]
    fn another_source_is_reported_without_a_fix() {
        let r = lint(&GOOD.replace("utm_source=chatgpt", "utm_source=google"));
        let f = finding(&r, LintCode::SourceNotChatgpt);
        assert_eq!(f.fixed_url, None);
    }

    #[test]
    fn medium_must_be_cpc_or_cpm() {
        let r = lint(&GOOD.replace("utm_medium=cpc", "utm_medium=paid"));
        assert_eq!(codes(&r), [LintCode::MediumInvalid]);
        assert_eq!(r.findings[0].severity, Severity::Error);
        let r = lint(&GOOD.replace("utm_medium=cpc", "utm_medium=CPC"));
        assert_eq!(codes(&r), [LintCode::ValueUppercase]);
        assert_eq!(r.fixed_url.as_deref(), Some(GOOD));
    }

    #[test]
    fn missing_parameters() {
        let r = lint("https://example.com/");
        assert_eq!(
            codes(&r),
            [
                LintCode::SourceMissing,
                LintCode::MediumMissing,
                LintCode::CampaignMissing,
                LintCode::ContentMissing,
                LintCode::TermMissing
            ]
        );
        assert_eq!(
            finding(&r, LintCode::SourceMissing).fixed_url.as_deref(),
            Some("https://example.com/?utm_source=chatgpt")
        );
        let r = lint(&GOOD.replace("utm_campaign=spring-sale", "utm_campaign="));
        assert_eq!(codes(&r), [LintCode::CampaignMissing]);
        assert!(r.findings[0].message.contains("empty"));
    }

    #[test]
    fn capitals_spaces_and_encoded_spaces_in_values() {
        let r = lint(&GOOD.replace("spring-sale", "Spring-Sale"));
        assert_eq!(codes(&r), [LintCode::ValueUppercase]);
        assert_eq!(r.fixed_url.as_deref(), Some(GOOD));
        for spaced in ["spring%20sale", "spring+sale"] {
            let r = lint(&GOOD.replace("spring-sale", spaced));
            assert_eq!(codes(&r), [LintCode::ValueSpaces], "{spaced}");
            assert_eq!(r.fixed_url.as_deref(), Some(GOOD));
        }
        let r = lint(&GOOD.replace("spring-sale", "spring--sale!"));
        assert_eq!(codes(&r), [LintCode::ValueNotSlug]);
        assert_eq!(r.findings[0].severity, Severity::Info);
    }

    #[test]
    fn duplicate_keys_keep_the_first() {
        let r = lint(&format!("{GOOD}&utm_source=facebook"));
        assert_eq!(codes(&r), [LintCode::DuplicateKey]);
        assert_eq!(r.fixed_url.as_deref(), Some(GOOD));
    }

    #[test]
    fn key_case_is_an_error_fixed_by_lowercasing() {
        let r = lint(&GOOD.replace("utm_term", "UTM_Term"));
        assert_eq!(codes(&r), [LintCode::KeyCase]);
        assert_eq!(r.fixed_url.as_deref(), Some(GOOD));
    }

    #[test]
    fn utms_in_the_fragment_move_to_the_query() {
        let r = lint("https://example.com/p?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=headline-v2#utm_term=crm-tools");
        assert_eq!(codes(&r), [LintCode::UtmInFragment]);
        assert_eq!(r.fixed_url.as_deref(), Some(GOOD));

        let r = lint(&format!("{GOOD}#/pricing?utm_source=x&tab=2"));
        assert_eq!(codes(&r), [LintCode::UtmInFragment]);
        assert_eq!(r.fixed_url, Some(format!("{GOOD}#/pricing?tab=2")));
    }

    #[test]
    fn long_values_and_urls() {
        let long = "a".repeat(120);
        let r = lint(&GOOD.replace("crm-tools", &long));
        assert_eq!(codes(&r), [LintCode::ValueTooLong]);
        let r = lint(&format!("{GOOD}&x={}", "b".repeat(1000)));
        assert_eq!(codes(&r), [LintCode::UrlLong]);
        let r = lint(&format!("{GOOD}&x={}", "b".repeat(2100)));
        assert_eq!(codes(&r), [LintCode::UrlTooLong]);
    }

    #[test]
    fn scheme_findings() {
        let r = lint(&GOOD.replace("https://", "http://"));
        assert_eq!(codes(&r), [LintCode::NotHttps]);
        assert_eq!(r.fixed_url.as_deref(), Some(GOOD));
        let r = lint(&GOOD.replace("https://", ""));
        assert_eq!(codes(&r), [LintCode::MissingScheme]);
        assert_eq!(r.fixed_url.as_deref(), Some(GOOD));
        let r = lint("javascript:alert(1)");
        assert_eq!(codes(&r), [LintCode::SchemeNotAllowed]);
        assert_eq!(r.fixed_url, None);
    }

    #[test]
    fn each_fix_applies_alone_and_the_report_applies_all() {
        let r = lint("http://example.com/?UTM_SOURCE=ChatGPT&utm_medium=cpc&utm_campaign=Spring%20Sale&utm_content=a&utm_term=b");
        let https = finding(&r, LintCode::NotHttps).fixed_url.clone().unwrap();
        assert!(
            https.starts_with("https://") && https.contains("UTM_SOURCE=ChatGPT"),
            "{https}"
        );
        assert_eq!(
            r.fixed_url.as_deref(),
            Some("https://example.com/?utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=a&utm_term=b")
        );
        // Errors come first.
        assert_eq!(r.findings[0].severity, Severity::Error);
    }

    #[test]
    fn codes_serialize_as_kebab_case() {
        assert_eq!(
            serde_json::to_string(&LintCode::SourceNotCanonical).unwrap(),
            "\"source-not-canonical\""
        );
        assert_eq!(
            serde_json::to_string(&Severity::Warning).unwrap(),
            "\"warning\""
        );
    }

    #[test]
    fn a_huge_input_gets_one_finding_and_is_not_parsed() {
        let url = format!("https://example.com/?{}", "utm_source=x&".repeat(8_000));
        let r = lint(&url);
        assert_eq!(codes(&r), [LintCode::UrlTooLong]);
        assert_eq!(r.findings[0].fixed_url, None);
        assert_eq!(r.fixed_url, None);
    }

    #[test]
    fn findings_are_capped_and_the_rest_counted() {
        // Under the input limit, but with hundreds of duplicate keys.
        let url = format!("https://example.com/?{}", "utm_source=x&".repeat(300));
        assert!(url.len() <= MAX_LINT_INPUT_LEN);
        let r = lint(&url);
        assert_eq!(r.findings.len(), MAX_FINDINGS + 1);
        let last = r.findings.last().unwrap();
        assert_eq!(last.code, LintCode::TooManyFindings);
        assert!(
            last.message.starts_with("285 more findings are not listed"),
            "{}",
            last.message
        );
        // The overall fix still applies every fix.
        assert!(lint(r.fixed_url.as_deref().unwrap())
            .findings
            .iter()
            .all(|f| f.code != LintCode::DuplicateKey));
    }
}
