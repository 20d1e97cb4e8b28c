//! Linting a URL that is already in use: findings with a stable code, a severity, a message
//! and, where a fix exists, the URL with that fix applied.
//!
//! Unlike [`crate::tag`], lint changes as little as possible: each fix touches one parameter and
//! keeps everything else where it was. The report's `fixed_url` applies every fix at once.

use crate::destination::{parse_destination, shorten};
use crate::medium::{BuyingModel, UTM_SOURCE};
use crate::notice::Code as TagCode;
use crate::slug::{is_slug, slugify_with, Separator, MAX_SLUG_LEN};
use crate::tag::{is_utm_key, URL_MAX_LEN, URL_WARN_LEN};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
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
        self.raw.split_once('=').map_or(&self.raw, |(k, _)| k)
    }
    fn value(&self) -> &str {
        self.raw.split_once('=').map_or("", |(_, v)| v)
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
        let query: Vec<&str> = self
            .query
            .iter()
            .filter(|p| !p.removed)
            .map(|p| p.raw.as_str())
            .collect();
        let query = query.join("&");
        url.set_query(if query.is_empty() { None } else { Some(&query) });
        let kept: Vec<&str> = self
            .fragment
            .iter()
            .filter(|p| !p.removed && !p.raw.is_empty())
            .map(|p| p.raw.as_str())
            .collect();
        let mut fragment = self.fragment_head.clone().unwrap_or_default();
        if !kept.is_empty() {
            if self.fragment_has_question {
                fragment.push('?');
            }
            fragment.push_str(&kept.join("&"));
        }
        // An empty fragment carries nothing: leave it out.
        url.set_fragment(if fragment.is_empty() {
            None
        } else {
            Some(&fragment)
        });
        url.into()
    }
}

fn decode(value: &str) -> Cow<'_, str> {
    if value.contains(['%', '+']) {
        let plus = value.replace('+', " ");
        Cow::Owned(
            percent_encoding::percent_decode_str(&plus)
                .decode_utf8_lossy()
                .into_owned(),
        )
    } else {
        Cow::Borrowed(value)
    }
}

fn split_pieces(s: &str) -> Vec<Piece> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| Piece {
            raw: p.to_string(),
            removed: false,
        })
        .collect()
}

/// Lints one URL.
pub fn lint(input: &str) -> LintReport {
    if input.trim().len() > MAX_LINT_INPUT_LEN {
        return LintReport {
            input: input.to_string(),
            findings: vec![Finding {
                code: LintCode::UrlTooLong,
                severity: Severity::Error,
                message: format!(
                    "the URL is {} characters long, over the {URL_MAX_LEN} that browsers and ad platforms accept; it was not checked further",
                    input.trim().chars().count()
                ),
                fixed_url: None,
            }],
            fixed_url: None,
        };
    }
    let mut findings: Vec<(LintCode, Severity, String, Option<Fix>)> = Vec::new();
    let destination = match parse_destination(input) {
        Ok(d) => d,
        Err(e) => {
            let code = match e.code {
                TagCode::RelativeUrl => LintCode::RelativeUrl,
                TagCode::SchemeNotAllowed => LintCode::SchemeNotAllowed,
                TagCode::CredentialsInUrl => LintCode::CredentialsInUrl,
                _ => LintCode::InvalidUrl,
            };
            return LintReport {
                input: input.to_string(),
                findings: vec![Finding {
                    code,
                    severity: Severity::Error,
                    message: e.message,
                    fixed_url: None,
                }],
                fixed_url: None,
            };
        }
    };
    for warning in &destination.warnings {
        match warning.code {
            TagCode::SchemeAdded => findings.push((
                LintCode::MissingScheme,
                Severity::Warning,
                "the URL has no scheme: ad platforms need the full address, with https://".into(),
                Some(Fix::Normalize),
            )),
            TagCode::InsecureHttp => findings.push((
                LintCode::NotHttps,
                Severity::Warning,
                "the landing page uses http, not https".into(),
                Some(Fix::UseHttps),
            )),
            _ => {}
        }
    }

    let url = destination.url;
    let query = split_pieces(url.query().unwrap_or(""));
    let (fragment_head, fragment_has_question, fragment) = match url.fragment() {
        None => (None, false, Vec::new()),
        Some(f) => match f.split_once('?') {
            Some((head, rest)) => (Some(head.to_string()), true, split_pieces(rest)),
            None if f
                .split('&')
                .any(|p| is_utm_key(p.split('=').next().unwrap_or(""))) =>
            {
                (None, false, split_pieces(f))
            }
            None => (Some(f.to_string()), false, Vec::new()),
        },
    };
    let parts = Parts {
        url,
        query,
        fragment_head,
        fragment_has_question,
        fragment,
    };

    // Keys present in the query (canonical), first occurrence.
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, piece) in parts.query.iter().enumerate() {
        if !is_utm_key(piece.key()) {
            continue;
        }
        let key = piece.canonical_key();
        if piece.key() != key {
            findings.push((
                LintCode::KeyCase,
                Severity::Error,
                format!(
                    "“{}” must be written “{key}”: GA4 only reads lowercase UTM keys",
                    piece.key()
                ),
                Some(Fix::LowercaseKey(i)),
            ));
        }
        if seen.iter().any(|(k, _)| *k == key) {
            findings.push((
                LintCode::DuplicateKey,
                Severity::Error,
                format!(
                    "{key} appears more than once: GA4 may read either value; the first is kept"
                ),
                Some(Fix::DropQuery(i)),
            ));
            continue;
        }
        seen.push((key, i));
    }
    let in_query = |key: &str| seen.iter().find(|(k, _)| k == key).map(|(_, i)| *i);

    let mut in_fragment: Vec<String> = Vec::new();
    for (i, piece) in parts.fragment.iter().enumerate() {
        if !is_utm_key(piece.key()) {
            continue;
        }
        let key = piece.canonical_key();
        let keep = in_query(&key).is_none() && !in_fragment.contains(&key);
        findings.push((
            LintCode::UtmInFragment,
            Severity::Error,
            format!(
                "{} is in the fragment (after #), where GA4 does not read it{}",
                shorten(&piece.raw),
                if keep {
                    "; the fix moves it into the query"
                } else {
                    "; the query already has it, the fix removes it"
                }
            ),
            Some(Fix::MoveFragment(i, keep)),
        ));
        in_fragment.push(key);
    }
    let present = |key: &str| in_query(key).is_some() || in_fragment.iter().any(|k| k == key);

    // Source and medium.
    match in_query("utm_source") {
        None if !present("utm_source") => findings.push((
            LintCode::SourceMissing,
            Severity::Error,
            format!("utm_source is missing: ChatGPT ad traffic must carry utm_source={UTM_SOURCE}"),
            Some(Fix::AddSource),
        )),
        None => {}
        Some(i) => {
            let value = decode(parts.query[i].value());
            let squashed: String = value
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            if value == UTM_SOURCE {
            } else if CHATGPT_SPELLINGS.contains(&squashed.as_str()) {
                let organic = squashed == "chatgptcom";
                findings.push((
                    LintCode::SourceNotCanonical,
                    Severity::Error,
                    if organic {
                        format!("utm_source={value} is how organic ChatGPT citations arrive; ads use utm_source={UTM_SOURCE} so the two never mix")
                    } else {
                        format!("utm_source={value} splits ChatGPT traffic into its own row in GA4: use utm_source={UTM_SOURCE}")
                    },
                    Some(Fix::SetValue(i, UTM_SOURCE)),
                ));
            } else {
                findings.push((
                    LintCode::SourceNotChatgpt,
                    Severity::Warning,
                    format!(
                        "utm_source={} is not ChatGPT: this is not a ChatGPT ad link",
                        shorten(&value)
                    ),
                    None,
                ));
            }
        }
    }
    match in_query("utm_medium") {
        None if !present("utm_medium") => findings.push((
            LintCode::MediumMissing,
            Severity::Error,
            "utm_medium is missing: use cpc or cpm, the campaign's buying model".into(),
            None,
        )),
        None => {}
        Some(i) => {
            let value = decode(parts.query[i].value());
            if value.parse::<BuyingModel>().is_err() {
                findings.push((
                    LintCode::MediumInvalid,
                    Severity::Error,
                    format!("utm_medium={} is neither cpc nor cpm: GA4 will not count it as paid ChatGPT traffic", shorten(&value)),
                    None,
                ));
            }
        }
    }
    for (key, code, severity, why) in [
        (
            "utm_campaign",
            LintCode::CampaignMissing,
            Severity::Error,
            "GA4 cannot tell campaigns apart",
        ),
        (
            "utm_content",
            LintCode::ContentMissing,
            Severity::Warning,
            "GA4 cannot tell creatives apart",
        ),
        (
            "utm_term",
            LintCode::TermMissing,
            Severity::Info,
            "GA4 cannot report by conversation topic",
        ),
    ] {
        let empty = in_query(key).is_some_and(|i| parts.query[i].value().is_empty());
        if !present(key) || empty {
            findings.push((
                code,
                severity,
                format!(
                    "{key} is {}: {why}",
                    if empty { "empty" } else { "missing" }
                ),
                None,
            ));
        }
    }

    // Values (all but utm_id, which is kept as written for cost-data import).
    for (key, i) in &seen {
        if key == "utm_id"
            || (key == "utm_source" && findings.iter().any(|f| f.0 == LintCode::SourceNotCanonical))
        {
            continue;
        }
        let raw = parts.query[*i].value();
        if raw.is_empty() {
            continue;
        }
        let value = decode(raw);
        let separator = if value.contains('_') && !value.contains('-') {
            Separator::Underscore
        } else {
            Separator::Hyphen
        };
        let fix = slugify_with(&value, separator)
            .ok()
            .map(|_| Fix::SlugValue(*i, separator));
        if value.chars().count() > MAX_SLUG_LEN {
            findings.push((
                LintCode::ValueTooLong,
                Severity::Warning,
                format!(
                    "{key} is {} characters long: GA4 keeps only {MAX_SLUG_LEN}",
                    value.chars().count()
                ),
                fix,
            ));
        } else if value.chars().any(char::is_uppercase) {
            findings.push((
                LintCode::ValueUppercase,
                Severity::Warning,
                format!(
                    "{key}={} has capitals: GA4 reports “Spring” and “spring” as two rows",
                    shorten(&value)
                ),
                fix,
            ));
        } else if value.contains(' ') || raw.contains("%20") || raw.contains('+') {
            findings.push((
                LintCode::ValueSpaces,
                Severity::Warning,
                format!(
                    "{key}={} contains spaces (or %20, +): use a slug",
                    shorten(raw)
                ),
                fix,
            ));
        } else if !is_slug(&value, separator) {
            findings.push((
                LintCode::ValueNotSlug,
                Severity::Info,
                format!(
                    "{key}={} is not a slug (lowercase letters, digits, one separator)",
                    shorten(raw)
                ),
                fix,
            ));
        }
    }

    let mut all = parts.clone();
    let mut any_fix = false;
    for (_, _, _, fix) in &findings {
        if let Some(fix) = fix {
            all.apply(*fix);
            any_fix = true;
        }
    }
    let fixed_url = any_fix.then(|| all.to_url());

    let normalized = parts.to_url();
    let len = normalized.chars().count();
    if len > URL_MAX_LEN {
        findings.push((LintCode::UrlTooLong, Severity::Error, format!("the URL is {len} characters long, over the {URL_MAX_LEN} that browsers and ad platforms accept"), None));
    } else if len > URL_WARN_LEN {
        findings.push((LintCode::UrlLong, Severity::Warning, format!("the URL is {len} characters long: GA4 keeps only the first {URL_WARN_LEN} of page_location"), None));
    }

    findings.sort_by_key(|f| f.1);
    let more = findings.len().saturating_sub(MAX_FINDINGS);
    findings.truncate(MAX_FINDINGS);
    let mut findings: Vec<Finding> = findings
        .into_iter()
        .map(|(code, severity, message, fix)| Finding {
            code,
            severity,
            message,
            fixed_url: fix.map(|fix| {
                let mut one = parts.clone();
                one.apply(fix);
                one.to_url()
            }),
        })
        .collect();
    if more > 0 {
        findings.push(Finding {
            code: LintCode::TooManyFindings,
            severity: Severity::Info,
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
