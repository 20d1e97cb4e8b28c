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
use crate::query;
pub use crate::query::{is_utm_key, strip_fragment_utms};
use crate::slug::{slug_with_report, Separator, MAX_SLUG_LEN};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use url::Position;

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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    Tagger::uncached(options)
        .tag(request.as_input())
        .map(|t| t.to_owned())
}

/// A [`TagRequest`] that borrows its text, for callers that already hold it (a CSV row).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TagInput<'a> {
    pub url: &'a str,
    pub campaign: &'a str,
    pub medium: BuyingModel,
    pub content: Option<&'a str>,
    pub term: Option<&'a str>,
    pub id: Option<&'a str>,
}

impl TagRequest {
    pub fn as_input(&self) -> TagInput<'_> {
        TagInput {
            url: &self.url,
            campaign: &self.campaign,
            medium: self.medium,
            content: self.content.as_deref(),
            term: self.term.as_deref(),
            id: self.id.as_deref(),
        }
    }
}

/// How many distinct landing URLs, and values per field, a [`Tagger`] remembers. Beyond this
/// it forgets everything and starts again, so memory stays bounded whatever the input.
pub const TAGGER_MEMORY: usize = 1 << 15;

/// How many bytes of text (per kind) a [`Tagger`] remembers before it starts again; a text
/// longer than [`TAGGER_MEMORY_LONGEST`] is never remembered (it is not worth it, and a file
/// of long distinct texts would otherwise hold memory in proportion to its size).
pub const TAGGER_MEMORY_BYTES: usize = 8 << 20;
/// The longest text a [`Tagger`] remembers.
pub const TAGGER_MEMORY_LONGEST: usize = 4096;

/// The tagging engine. [`tag`] uses a fresh one per call; a batch (a CSV file) keeps one for
/// all its rows, so that the work that depends only on a landing URL (parsing, checking,
/// splitting the query) or only on a value (slugging) is done once per distinct text, not once
/// per row. Results are identical either way: what it remembers are pure functions of the text.
pub struct Tagger {
    options: TagOptions,
    destinations: Memo<Result<Prepared, Notice>>,
    campaigns: Memo<SlugOutcome>,
    contents: Memo<SlugOutcome>,
    terms: Memo<SlugOutcome>,
    url: String,
    replaced: Vec<Notice>,
    long: Option<Notice>,
}

impl Tagger {
    /// A tagger for a batch: it remembers up to [`TAGGER_MEMORY`] texts per kind.
    pub fn new(options: TagOptions) -> Self {
        Self::with_memory(options, TAGGER_MEMORY)
    }

    /// A tagger that remembers nothing between calls.
    pub fn uncached(options: TagOptions) -> Self {
        Self::with_memory(options, 0)
    }

    /// A tagger that remembers up to `capacity` texts per kind.
    pub fn with_memory(options: TagOptions, capacity: usize) -> Self {
        Tagger {
            options,
            destinations: Memo::new(capacity),
            campaigns: Memo::new(capacity),
            contents: Memo::new(capacity),
            terms: Memo::new(capacity),
            url: String::new(),
            replaced: Vec::new(),
            long: None,
        }
    }

    /// Tags one landing URL. The result borrows from the tagger until the next call.
    pub fn tag<'t>(&'t mut self, input: TagInput<'t>) -> Result<Tagged<'t>, TagErrors> {
        let separator = self.options.separator;
        let destination = self
            .destinations
            .get_or_insert_with(input.url, prepare_destination);
        let campaign = slug_of(
            &mut self.campaigns,
            Field::Campaign,
            "utm_campaign",
            Some(input.campaign),
            separator,
        );
        let content = slug_of(
            &mut self.contents,
            Field::Content,
            "utm_content",
            input.content,
            separator,
        );
        let term = slug_of(
            &mut self.terms,
            Field::Term,
            "utm_term",
            input.term,
            separator,
        );
        let id = input.id.map(str::trim).filter(|s| !s.is_empty());
        let id_error = id.filter(|id| !is_valid_id(id)).map(|id| {
            Notice::new(
                Code::InvalidId,
                Field::Id,
                format!(
                    "id “{}” may only contain letters, digits, “.”, “_”, “~” and “-”, at most {MAX_SLUG_LEN} characters",
                    shorten(id)
                ),
            )
        });

        let (Ok(destination), Some(Ok(campaign)), Ok(content), Ok(term), None) = (
            destination.as_ref(),
            campaign.map(Result::as_ref),
            content.map(Result::as_ref).transpose(),
            term.map(Result::as_ref).transpose(),
            &id_error,
        ) else {
            // Every error, in the order of the form: url, campaign, content, term, id.
            let mut errors: Vec<Notice> = Vec::new();
            if let Err(e) = destination {
                errors.push(e.clone());
            }
            match campaign {
                Some(Err(e)) => errors.push(e.clone()),
                Some(Ok(_)) => {}
                None => errors.push(Notice::new(
                    Code::EmptyValue,
                    Field::Campaign,
                    "campaign is required: it gives utm_campaign",
                )),
            }
            for outcome in [content, term].into_iter().flatten() {
                if let Err(e) = outcome {
                    errors.push(e.clone());
                }
            }
            errors.extend(id_error);
            return Err(TagErrors(errors));
        };

        let params = Params {
            utm_source: UTM_SOURCE,
            utm_medium: input.medium.utm_medium(),
            utm_campaign: &campaign.0,
            utm_content: content.map(|c| c.0.as_str()),
            utm_term: term.map(|t| t.0.as_str()),
            utm_id: id,
        };

        self.replaced.clear();
        for piece in &destination.utm_pieces {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            if !params.pairs().any(|(k, v)| k == key && v == value) {
                self.replaced.push(Notice::new(
                    Code::UtmReplaced,
                    Field::Url,
                    format!(
                        "removed {} from the landing URL: utmforge sets the UTM parameters",
                        shorten(piece)
                    ),
                ));
            }
        }

        let url = &mut self.url;
        url.clear();
        url.push_str(&destination.head);
        url.push('?');
        if !destination.foreign.is_empty() {
            url.push_str(&destination.foreign);
            url.push('&');
        }
        for (i, (key, value)) in params.pairs().enumerate() {
            if i > 0 {
                url.push('&');
            }
            url.push_str(key);
            url.push('=');
            url.push_str(value);
        }
        if let Some(fragment) = &destination.fragment {
            url.push('#');
            url.push_str(fragment);
        }

        // A serialized URL is ASCII (the WHATWG serializer percent-encodes the rest, the host is
        // punycode) and so are our values: bytes are characters.
        debug_assert!(url.is_ascii());
        let len = url.len();
        if len > URL_MAX_LEN {
            return Err(TagErrors(vec![Notice::new(
                Code::UrlTooLong,
                Field::Url,
                format!("the tagged URL is {len} characters long, over the {URL_MAX_LEN} that browsers and ad platforms accept: shorten the landing URL"),
            )]));
        }
        self.long = (len > URL_WARN_LEN).then(|| {
            Notice::new(
                Code::UrlLong,
                Field::Url,
                format!("the tagged URL is {len} characters long: GA4 keeps only the first {URL_WARN_LEN} of page_location"),
            )
        });
        Ok(Tagged {
            url: url.as_str(),
            params,
            // Grouped by field (url, campaign, content, term), as everywhere.
            warnings: [
                &destination.warnings,
                &self.replaced,
                &destination.fragment_warnings,
                self.long.as_slice(),
                campaign.1.as_slice(),
                content.map_or(&[], |c| c.1.as_slice()),
                term.map_or(&[], |t| t.1.as_slice()),
            ],
        })
    }
}

/// The parameters of a [`Tagged`] URL, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params<'t> {
    pub utm_source: &'static str,
    pub utm_medium: &'static str,
    pub utm_campaign: &'t str,
    pub utm_content: Option<&'t str>,
    pub utm_term: Option<&'t str>,
    pub utm_id: Option<&'t str>,
}

impl<'t> Params<'t> {
    /// `(key, value)` pairs in canonical order, present ones only.
    pub fn pairs(&self) -> impl Iterator<Item = (&'static str, &'t str)> {
        [
            ("utm_source", Some(self.utm_source)),
            ("utm_medium", Some(self.utm_medium)),
            ("utm_campaign", Some(self.utm_campaign)),
            ("utm_content", self.utm_content),
            ("utm_term", self.utm_term),
            ("utm_id", self.utm_id),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
    }
}

/// A tagged URL borrowed from a [`Tagger`]: see [`TaggedUrl`] for the owned form.
#[derive(Debug, Clone, Copy)]
pub struct Tagged<'t> {
    pub url: &'t str,
    pub params: Params<'t>,
    warnings: [&'t [Notice]; 7],
}

impl<'t> Tagged<'t> {
    /// The warnings, grouped by field in the order url, campaign, content, term.
    pub fn warnings(&self) -> impl Iterator<Item = &'t Notice> {
        self.warnings.into_iter().flatten()
    }

    pub fn to_owned(&self) -> TaggedUrl {
        TaggedUrl {
            url: self.url.to_string(),
            params: UtmParams {
                utm_source: self.params.utm_source.to_string(),
                utm_medium: self.params.utm_medium.to_string(),
                utm_campaign: self.params.utm_campaign.to_string(),
                utm_content: self.params.utm_content.map(str::to_string),
                utm_term: self.params.utm_term.map(str::to_string),
                utm_id: self.params.utm_id.map(str::to_string),
            },
            warnings: self.warnings().cloned().collect(),
        }
    }
}

/// A value's slug and the warning about it, or the error.
type SlugOutcome = Result<(String, Option<Notice>), Notice>;

fn slug_of<'m>(
    memo: &'m mut Memo<SlugOutcome>,
    field: Field,
    key: &str,
    value: Option<&str>,
    separator: Separator,
) -> Option<&'m SlugOutcome> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    Some(memo.get_or_insert_with(value, |v| slug_outcome(field, key, v, separator)))
}

fn slug_outcome(field: Field, key: &str, input: &str, separator: Separator) -> SlugOutcome {
    match slug_with_report(input, separator) {
        Ok((slug, truncated)) => {
            let warning = if truncated {
                Some(Notice::new(
                    Code::ValueTruncated,
                    field,
                    format!("{field} is longer than {MAX_SLUG_LEN} characters as a slug (GA4 cuts longer values): cut to “{slug}”"),
                ))
            } else if slug != input {
                Some(Notice::new(
                    Code::ValueNormalized,
                    field,
                    format!("{field} “{}” becomes {key}={slug}", shorten(input)),
                ))
            } else {
                None
            };
            Ok((slug, warning))
        }
        Err(_) => Err(Notice::new(
            Code::EmptyValue,
            field,
            format!(
                "{field} “{}” has no letters or digits to make a {key} value from",
                shorten(input)
            ),
        )),
    }
}

/// What tagging needs from a landing URL, whatever the parameters.
struct Prepared {
    /// The serialization up to the end of the path.
    head: String,
    /// Query pieces that are not UTM parameters, as serialized, joined by `&`.
    foreign: String,
    /// `utm_*` pieces found in the query (replaced; reported unless identical to ours).
    utm_pieces: Vec<String>,
    /// The fragment without its UTM parameters; `None` when there is none left.
    fragment: Option<String>,
    /// Warnings about the URL itself (scheme added, http, host).
    warnings: Vec<Notice>,
    /// One per UTM parameter removed from the fragment.
    fragment_warnings: Vec<Notice>,
}

fn prepare_destination(input: &str) -> Result<Prepared, Notice> {
    let destination = parse_destination(input)?;
    let url = destination.url;
    let mut foreign = String::new();
    let mut utm_pieces = Vec::new();
    if let Some(existing) = url.query() {
        for piece in query::pieces(existing) {
            if is_utm_key(query::key_of(piece)) {
                utm_pieces.push(piece.to_string());
            } else {
                if !foreign.is_empty() {
                    foreign.push('&');
                }
                foreign.push_str(piece);
            }
        }
    }
    let mut fragment_warnings = Vec::new();
    let fragment = url.fragment().and_then(|fragment| {
        let (kept, removed) = strip_fragment_utms(fragment);
        if removed.is_empty() {
            return Some(fragment.to_string());
        }
        for piece in &removed {
            fragment_warnings.push(Notice::new(
                Code::UtmInFragment,
                Field::Url,
                format!(
                    "removed {} from the fragment (#…): GA4 does not read UTM parameters there",
                    shorten(piece)
                ),
            ));
        }
        Some(kept.into_owned()).filter(|k| !k.is_empty())
    });
    Ok(Prepared {
        head: url[..Position::AfterPath].to_string(),
        foreign,
        utm_pieces,
        fragment,
        warnings: destination.warnings,
        fragment_warnings,
    })
}

/// Remembers the results of a pure function of a text, up to a number of texts and of bytes.
struct Memo<V> {
    index: HashMap<Box<str>, usize, foldhash::fast::RandomState>,
    values: Vec<V>,
    capacity: usize,
    /// Bytes of the texts remembered.
    bytes: usize,
}

impl<V> Memo<V> {
    fn new(capacity: usize) -> Self {
        Memo {
            index: HashMap::default(),
            values: Vec::new(),
            capacity,
            bytes: 0,
        }
    }

    fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce(&str) -> V) -> &V {
        if let Some(&i) = self.index.get(key) {
            return &self.values[i];
        }
        if self.values.len() >= self.capacity.max(1) || self.bytes + key.len() > TAGGER_MEMORY_BYTES
        {
            self.index.clear();
            self.values.clear();
            self.bytes = 0;
        }
        if self.capacity > 0 && key.len() <= TAGGER_MEMORY_LONGEST {
            self.index.insert(key.into(), self.values.len());
            self.bytes += key.len();
        }
        self.values.push(make(key));
        &self.values[self.values.len() - 1]
    }
}

fn is_valid_id(id: &str) -> bool {
    id.len() <= MAX_SLUG_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-'))
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

    /// Found by the fuzzer: a fragment whose head reads as a UTM parameter, followed by `?`
    /// and UTM parameters only. Tagging the tagged URL must not change it.
    #[test]
    fn a_fragment_head_that_looks_like_utm_survives_retagging() {
        let once = tag(&req("https://0.0.0.1/?,#\r\rutm_souSS%00=3?utm_\0SSS")).unwrap();
        let twice = tag(&req(&once.url)).unwrap();
        assert_eq!(twice.url, once.url);
        assert!(once.url.ends_with("#utm_souSS%00=3?"), "{}", once.url);
    }
}
