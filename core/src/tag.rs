//! Tagging a destination URL with utmforge's UTM parameters.
//!
//! - Query parameters that are not `utm_*` are kept exactly as written (after WHATWG
//!   serialization): same bytes, same order, duplicates too. Empty pieces (`&&`) carry no
//!   parameter and are dropped.
//! - Existing `utm_*` parameters, any letter case, are removed (and reported unless identical to
//!   the one that replaces them); ours are appended once, in the order of [`UtmParams`].
//! - `utm_*` parameters in the fragment are removed and reported; other fragment content stays.
//! - Over 1,000 characters is a warning, over 2,048 an error.
//! - Tagging a correctly tagged URL returns it unchanged.

use crate::destination::{parse_destination, shorten};
use crate::medium::{BuyingModel, UTM_SOURCE};
use crate::notice::{Code, Field, Notice};
use crate::slug::{slug_with_report, Separator, MAX_SLUG_LEN};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Longer than this, a tagged URL is a warning: GA4 truncates `page_location` at 1,000.
pub const URL_WARN_LEN: usize = 1000;
/// Longer than this, a tagged URL is an error: browsers and ad platforms may cut it.
pub const URL_MAX_LEN: usize = 2048;

/// What to tag, as a person or a file gave it. Values are slugged here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRequest {
    /// The landing URL.
    pub url: String,
    /// Campaign name or slug → `utm_campaign`.
    pub campaign: String,
    /// Buying model → `utm_medium`.
    pub medium: BuyingModel,
    /// Creative variant → `utm_content`.
    pub content: Option<String>,
    /// Conversation topic → `utm_term`.
    pub term: Option<String>,
    /// Stable campaign id → `utm_id`, for GA4 cost-data import. Kept as written.
    pub id: Option<String>,
}

/// The parameters utmforge sets, in the order they appear in every URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UtmParams {
    pub utm_source: String,
    pub utm_medium: String,
    pub utm_campaign: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utm_content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utm_term: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utm_id: Option<String>,
}

impl UtmParams {
    /// `(key, value)` pairs in canonical order, present ones only.
    pub fn pairs(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("utm_source", Some(self.utm_source.as_str())),
            ("utm_medium", Some(self.utm_medium.as_str())),
            ("utm_campaign", Some(self.utm_campaign.as_str())),
            ("utm_content", self.utm_content.as_deref()),
            ("utm_term", self.utm_term.as_deref()),
            ("utm_id", self.utm_id.as_deref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
    }
}

/// A tagged URL, the parameters it carries, and what to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaggedUrl {
    pub url: String,
    pub params: UtmParams,
    pub warnings: Vec<Notice>,
}

/// Why nothing could be tagged: every error found, each naming its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagErrors(pub Vec<Notice>);

impl TagErrors {
    /// The first error, which the CLI reports.
    pub fn first(&self) -> &Notice {
        &self.0[0]
    }

    /// The error about `field`, if any.
    pub fn for_field(&self, field: Field) -> Option<&Notice> {
        self.0.iter().find(|n| n.field == field)
    }
}

impl std::fmt::Display for TagErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let messages: Vec<&str> = self.0.iter().map(|n| n.message.as_str()).collect();
        f.write_str(&messages.join("; "))
    }
}

impl std::error::Error for TagErrors {}

/// Options a workspace may set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TagOptions {
    pub separator: Separator,
}

/// Tags a landing URL with the default options.
pub fn tag(request: &TagRequest) -> Result<TaggedUrl, TagErrors> {
    tag_with(request, TagOptions::default())
}

/// Tags a landing URL.
pub fn tag_with(request: &TagRequest, options: TagOptions) -> Result<TaggedUrl, TagErrors> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();

    let destination = match parse_destination(&request.url) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let mut value = |field: Field, key: &str, input: Option<&str>| -> Option<String> {
        let input = input?.trim();
        if input.is_empty() {
            return None;
        }
        match slug_with_report(input, options.separator) {
            Ok((slug, truncated)) => {
                if truncated {
                    warnings.push(Notice::new(
                        Code::ValueTruncated,
                        field,
                        format!("{field} is longer than {MAX_SLUG_LEN} characters as a slug (GA4 cuts longer values): cut to “{slug}”"),
                    ));
                } else if slug != input {
                    warnings.push(Notice::new(
                        Code::ValueNormalized,
                        field,
                        format!("{field} “{}” becomes {key}={slug}", shorten(input)),
                    ));
                }
                Some(slug)
            }
            Err(_) => {
                errors.push(Notice::new(
                    Code::EmptyValue,
                    field,
                    format!(
                        "{field} “{}” has no letters or digits to make a {key} value from",
                        shorten(input)
                    ),
                ));
                None
            }
        }
    };
    let campaign = value(Field::Campaign, "utm_campaign", Some(&request.campaign));
    let content = value(Field::Content, "utm_content", request.content.as_deref());
    let term = value(Field::Term, "utm_term", request.term.as_deref());
    if request.campaign.trim().is_empty() {
        errors.push(Notice::new(
            Code::EmptyValue,
            Field::Campaign,
            "campaign is required: it gives utm_campaign",
        ));
    }
    let id = match request
        .id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(id) if is_valid_id(id) => Some(id.to_string()),
        Some(id) => {
            errors.push(Notice::new(
                Code::InvalidId,
                Field::Id,
                format!(
                    "id “{}” may only contain letters, digits, “.”, “_”, “~” and “-”, at most {MAX_SLUG_LEN} characters",
                    shorten(id)
                ),
            ));
            None
        }
    };

    // Field errors come in the order of the form: url, campaign, content, term, id.
    let (Some(destination), Some(campaign), true) = (destination, campaign, errors.is_empty())
    else {
        sort_by_field(&mut errors);
        return Err(TagErrors(errors));
    };

    let params = UtmParams {
        utm_source: UTM_SOURCE.to_string(),
        utm_medium: request.medium.utm_medium().to_string(),
        utm_campaign: campaign,
        utm_content: content,
        utm_term: term,
        utm_id: id,
    };

    let mut url = destination.url;
    let mut all_warnings = destination.warnings;

    let mut query = String::new();
    if let Some(existing) = url.query() {
        for piece in existing.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            if is_utm_key(key) {
                let same = params.pairs().any(|(k, v)| k == key && v == value);
                if !same {
                    all_warnings.push(Notice::new(
                        Code::UtmReplaced,
                        Field::Url,
                        format!(
                            "removed {} from the landing URL: utmforge sets the UTM parameters",
                            shorten(piece)
                        ),
                    ));
                }
            } else {
                query.push_str(piece);
                query.push('&');
            }
        }
    }
    for (key, value) in params.pairs() {
        query.push_str(key);
        query.push('=');
        query.push_str(value);
        query.push('&');
    }
    query.pop();
    url.set_query(Some(&query));

    if let Some(fragment) = url.fragment() {
        let (kept, removed) = strip_fragment_utms(fragment);
        if !removed.is_empty() {
            for piece in &removed {
                all_warnings.push(Notice::new(
                    Code::UtmInFragment,
                    Field::Url,
                    format!(
                        "removed {} from the fragment (#…): GA4 does not read UTM parameters there",
                        shorten(piece)
                    ),
                ));
            }
            let kept = kept.into_owned();
            url.set_fragment(if kept.is_empty() { None } else { Some(&kept) });
        }
    }

    let url: String = url.into();
    let len = url.chars().count();
    if len > URL_MAX_LEN {
        return Err(TagErrors(vec![Notice::new(
            Code::UrlTooLong,
            Field::Url,
            format!("the tagged URL is {len} characters long, over the {URL_MAX_LEN} that browsers and ad platforms accept: shorten the landing URL"),
        )]));
    }
    if len > URL_WARN_LEN {
        all_warnings.push(Notice::new(
            Code::UrlLong,
            Field::Url,
            format!("the tagged URL is {len} characters long: GA4 keeps only the first {URL_WARN_LEN} of page_location"),
        ));
    }
    all_warnings.extend(warnings);
    sort_by_field(&mut all_warnings);
    Ok(TaggedUrl {
        url,
        params,
        warnings: all_warnings,
    })
}

fn sort_by_field(notices: &mut [Notice]) {
    // Stable: notices about one field keep their order.
    notices.sort_by_key(|n| match n.field {
        Field::Url => 0,
        Field::Campaign => 1,
        Field::Medium => 2,
        Field::Content => 3,
        Field::Term => 4,
        Field::Id => 5,
        _ => 6,
    });
}

fn is_valid_id(id: &str) -> bool {
    id.len() <= MAX_SLUG_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-'))
}

/// True for a query or fragment key that names a UTM parameter, in any letter case and with
/// any percent-encoding (`UTM_Source`, `utm%5Fsource`).
pub fn is_utm_key(raw_key: &str) -> bool {
    let key: Cow<str> = if raw_key.contains('%') {
        percent_encoding::percent_decode_str(raw_key).decode_utf8_lossy()
    } else {
        Cow::Borrowed(raw_key)
    };
    key.len() > 4 && key.as_bytes()[..4].eq_ignore_ascii_case(b"utm_")
}

/// Splits UTM parameters out of a fragment. Handles `#utm_source=x&section`,
/// `#section&utm_medium=cpc` and `#/route?utm_source=x&b=2`. Returns the fragment without them
/// and the removed pieces.
pub fn strip_fragment_utms(fragment: &str) -> (Cow<'_, str>, Vec<&str>) {
    if !fragment.to_ascii_lowercase().contains("utm") {
        return (Cow::Borrowed(fragment), Vec::new());
    }
    // A "head" before a '?' (a client-side route) is kept whole.
    let (head, params, had_question) = match fragment.split_once('?') {
        Some((head, params)) => (head, params, true),
        None => ("", fragment, false),
    };
    let mut removed = Vec::new();
    let mut kept = Vec::new();
    for piece in params.split('&') {
        let key = piece.split_once('=').map_or(piece, |(k, _)| k);
        if is_utm_key(key) {
            removed.push(piece);
        } else {
            kept.push(piece);
        }
    }
    if removed.is_empty() {
        return (Cow::Borrowed(fragment), removed);
    }
    let kept: Vec<&str> = kept.into_iter().filter(|p| !p.is_empty()).collect();
    let mut out = String::from(head);
    if !kept.is_empty() {
        if had_question {
            out.push('?');
        }
        out.push_str(&kept.join("&"));
    }
    (Cow::Owned(out), removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(url: &str) -> TagRequest {
        TagRequest {
            url: url.into(),
            campaign: "spring-sale".into(),
            medium: BuyingModel::Cpc,
            content: Some("headline-v2".into()),
            term: Some("project-management-tools".into()),
            id: None,
        }
    }

    const OURS: &str = "utm_source=chatgpt&utm_medium=cpc&utm_campaign=spring-sale&utm_content=headline-v2&utm_term=project-management-tools";

    fn tagged(url: &str) -> TaggedUrl {
        tag(&req(url)).unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    fn codes(t: &TaggedUrl) -> Vec<Code> {
        t.warnings.iter().map(|w| w.code).collect()
    }

    #[test]
    fn clean_input_is_tagged_in_canonical_order_without_warnings() {
        let t = tagged("https://example.com/pricing");
        assert_eq!(t.url, format!("https://example.com/pricing?{OURS}"));
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    }

    #[test]
    fn optional_parameters_are_left_out_and_id_comes_last() {
        let mut r = req("https://example.com/");
        r.content = None;
        r.term = Some("  ".into());
        r.id = Some("CMP-2025.04_a".into());
        r.medium = BuyingModel::Cpm;
        let t = tag(&r).unwrap();
        assert_eq!(
            t.url,
            "https://example.com/?utm_source=chatgpt&utm_medium=cpm&utm_campaign=spring-sale&utm_id=CMP-2025.04_a"
        );
    }

    #[test]
    fn foreign_parameters_keep_their_bytes_and_order() {
        let t = tagged("https://example.com/s?q=a%20b&x=1+2&flag&empty=&x=3&gclid=Cj0KCQ");
        assert_eq!(
            t.url,
            format!("https://example.com/s?q=a%20b&x=1+2&flag&empty=&x=3&gclid=Cj0KCQ&{OURS}")
        );
        assert!(t.warnings.is_empty());
    }

    #[test]
    fn existing_utms_of_any_case_are_replaced_and_reported() {
        let t = tagged("https://example.com/?UTM_Source=ChatGPT&a=1&utm_medium=email&utm%5Fterm=x&utm_creative_format=video");
        assert_eq!(t.url, format!("https://example.com/?a=1&{OURS}"));
        assert_eq!(codes(&t), [Code::UtmReplaced; 4]);
        assert!(t.warnings[0].message.contains("UTM_Source=ChatGPT"));
    }

    #[test]
    fn utms_in_the_fragment_are_removed_other_fragment_content_kept() {
        let t = tagged("https://example.com/p#utm_source=x&utm_medium=y");
        assert_eq!(t.url, format!("https://example.com/p?{OURS}"));
        assert_eq!(codes(&t), [Code::UtmInFragment, Code::UtmInFragment]);

        let t = tagged("https://example.com/p?a=1#pricing&utm_campaign=old");
        assert_eq!(t.url, format!("https://example.com/p?a=1&{OURS}#pricing"));

        let t = tagged("https://example.com/app#/checkout?utm_source=x&step=2");
        assert_eq!(
            t.url,
            format!("https://example.com/app?{OURS}#/checkout?step=2")
        );

        let t = tagged("https://example.com/doc#section-2");
        assert_eq!(t.url, format!("https://example.com/doc?{OURS}#section-2"));
        assert!(t.warnings.is_empty());
    }

    #[test]
    fn tagging_a_tagged_url_changes_nothing() {
        let once = tagged("example.com/a?x=1#top");
        let twice = tagged(&once.url);
        assert_eq!(once.url, twice.url);
        assert!(twice.warnings.is_empty(), "{:?}", twice.warnings);
    }

    #[test]
    fn values_are_slugged_with_a_warning() {
        let mut r = req("https://example.com/");
        r.campaign = "Spring Sale 2025".into();
        r.content = Some("Café Crème".into());
        let t = tag(&r).unwrap();
        assert_eq!(t.params.utm_campaign, "spring-sale-2025");
        assert_eq!(t.params.utm_content.as_deref(), Some("cafe-creme"));
        assert_eq!(codes(&t), [Code::ValueNormalized, Code::ValueNormalized]);
        assert_eq!(t.warnings[0].field, Field::Campaign);
    }

    #[test]
    fn separator_option_applies_to_every_value() {
        let mut r = req("https://example.com/");
        r.campaign = "Spring Sale".into();
        let t = tag_with(
            &r,
            TagOptions {
                separator: Separator::Underscore,
            },
        )
        .unwrap();
        assert!(t.url.ends_with("utm_campaign=spring_sale&utm_content=headline_v2&utm_term=project_management_tools"), "{}", t.url);
    }

    #[test]
    fn every_error_is_reported_with_its_field() {
        let r = TagRequest {
            url: "javascript:alert(1)".into(),
            campaign: "!!!".into(),
            medium: BuyingModel::Cpc,
            content: Some(" — ".into()),
            term: None,
            id: Some("a b".into()),
        };
        let errors = tag(&r).unwrap_err();
        let got: Vec<(Field, Code)> = errors.0.iter().map(|n| (n.field, n.code)).collect();
        assert_eq!(
            got,
            [
                (Field::Url, Code::SchemeNotAllowed),
                (Field::Campaign, Code::EmptyValue),
                (Field::Content, Code::EmptyValue),
                (Field::Id, Code::InvalidId),
            ]
        );
        assert_eq!(errors.first().code, Code::SchemeNotAllowed);
    }

    #[test]
    fn a_missing_campaign_is_an_error() {
        let mut r = req("https://example.com/");
        r.campaign = " ".into();
        let e = tag(&r).unwrap_err();
        assert_eq!(e.first().field, Field::Campaign);
        assert_eq!(e.first().code, Code::EmptyValue);
    }

    #[test]
    fn length_limits() {
        let long = format!("https://example.com/{}", "a".repeat(900));
        let t = tagged(&long);
        assert!(t.url.len() > URL_WARN_LEN);
        assert_eq!(codes(&t), [Code::UrlLong]);

        let too_long = format!("https://example.com/{}", "a".repeat(2000));
        let e = tag(&req(&too_long)).unwrap_err();
        assert_eq!(e.first().code, Code::UrlTooLong);
    }

    #[test]
    fn real_world_landing_pages() {
        // A Shopify product page with a variant and an existing Google Ads click id.
        let t = tagged("https://shop.example.com/products/trail-runner?variant=4242&gclid=EAIaIQ&utm_source=google&utm_medium=cpc");
        assert_eq!(
            t.url,
            format!(
                "https://shop.example.com/products/trail-runner?variant=4242&gclid=EAIaIQ&{OURS}"
            )
        );
        // A HubSpot landing page with a hash route.
        let t = tagged("HTTPS://Offers.Example.COM/lp/demo?_hsenc=p2ANqtz&_hsmi=123#/form");
        assert_eq!(
            t.url,
            format!("https://offers.example.com/lp/demo?_hsenc=p2ANqtz&_hsmi=123&{OURS}#/form")
        );
        // Spaces in a path are encoded by the WHATWG serializer.
        let t = tagged("https://example.com/summer sale/");
        assert_eq!(t.url, format!("https://example.com/summer%20sale/?{OURS}"));
    }
}
