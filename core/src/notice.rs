//! Errors and warnings as values: a stable machine `code`, a human `message`, and the `field`
//! of the input they concern. The UI shows the message beside the field; the API and the CLI
//! report the code.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The input a notice is about. Read back by its name ([`Field::as_str`], one table): a
/// derived deserializer would compile three more tables of every name into the browser's
/// first load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    /// The landing URL.
    Url,
    /// The campaign value (`utm_campaign`): a campaign's slug.
    Campaign,
    /// The buying model (`utm_medium`).
    Medium,
    /// The creative value (`utm_content`): a creative's variant name.
    Content,
    /// The topic (`utm_term`).
    Term,
    /// The campaign id (`utm_id`).
    Id,
    /// A campaign's display name.
    Name,
    /// A campaign's primary conversion event.
    Conversion,
    /// A campaign's status.
    Status,
    /// Free-text notes.
    Notes,
    /// A creative's headline (a ChatGPT ad's title).
    Headline,
    /// A creative's description (a ChatGPT ad's body).
    Description,
    /// The row version a save was based on.
    Version,
    /// A GA4 property id.
    Property,
    /// The list of URLs of an audit (`/api/v1/lint`, the Audit page).
    Urls,
    /// An imported sheet as a whole (its header, its size).
    Sheet,
    /// The request body as a whole (a field it lacks or should not have).
    Body,
    /// A person's email address.
    Email,
    /// A password.
    Password,
    /// A person's or a token's role.
    Role,
    /// A setup link, an invitation or an API token.
    Token,
    /// The OpenAI ads pixel id (`oai-px-…`).
    PixelId,
    /// A GA4 measurement id (`G-…`).
    MeasurementId,
    /// An ISO 4217 currency code.
    Currency,
    /// The events of a Conversions API batch.
    Events,
    /// The team's approved landing domains (Settings).
    Domains,
    /// What happens to a landing URL outside them.
    DomainMode,
    /// The team's topic vocabulary (Settings).
    Topics,
    /// What happens to a topic outside it.
    TopicMode,
    /// The confirmation that ads carry the old link (`confirm_live_change`).
    ConfirmLiveChange,
    /// A day (`YYYY-MM-DD`), e.g. which links were live on it.
    Date,
    /// A list's search text (`q`).
    Query,
    /// A list's order (`sort`).
    Sort,
    /// Rows per page (`limit`).
    Limit,
    /// Where a page starts (`cursor`).
    Cursor,
    /// The campaigns list's "changed since" day.
    UpdatedSince,
    /// A ChatGPT Ads campaign (`ads_campaign_id`).
    AdsCampaign,
    /// A ChatGPT Ads ad group (`ad_group_id`).
    AdGroup,
    /// A ChatGPT Ads ad (`ad_id`), or what OpenAI said of one.
    Ad,
    /// A new ad's title.
    AdTitle,
    /// A new ad's body.
    AdBody,
}

impl Field {
    /// Every field, in declaration order.
    pub const ALL: [Field; 41] = [
        Field::Url,
        Field::Campaign,
        Field::Medium,
        Field::Content,
        Field::Term,
        Field::Id,
        Field::Name,
        Field::Conversion,
        Field::Status,
        Field::Notes,
        Field::Headline,
        Field::Description,
        Field::Version,
        Field::Property,
        Field::Urls,
        Field::Sheet,
        Field::Body,
        Field::Email,
        Field::Password,
        Field::Role,
        Field::Token,
        Field::PixelId,
        Field::MeasurementId,
        Field::Currency,
        Field::Events,
        Field::Domains,
        Field::DomainMode,
        Field::Topics,
        Field::TopicMode,
        Field::ConfirmLiveChange,
        Field::Date,
        Field::Query,
        Field::Sort,
        Field::Limit,
        Field::Cursor,
        Field::UpdatedSince,
        Field::AdsCampaign,
        Field::AdGroup,
        Field::Ad,
        Field::AdTitle,
        Field::AdBody,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Url => "url",
            Field::Campaign => "campaign",
            Field::Medium => "medium",
            Field::Content => "content",
            Field::Term => "term",
            Field::Id => "id",
            Field::Name => "name",
            Field::Conversion => "conversion",
            Field::Status => "status",
            Field::Notes => "notes",
            Field::Headline => "headline",
            Field::Description => "description",
            Field::Version => "version",
            Field::Property => "property",
            Field::Urls => "urls",
            Field::Sheet => "sheet",
            Field::Body => "body",
            Field::Email => "email",
            Field::Password => "password",
            Field::Role => "role",
            Field::Token => "token",
            Field::PixelId => "pixel-id",
            Field::MeasurementId => "measurement-id",
            Field::Currency => "currency",
            Field::Events => "events",
            Field::Domains => "domains",
            Field::DomainMode => "domain-mode",
            Field::Topics => "topics",
            Field::TopicMode => "topic-mode",
            Field::ConfirmLiveChange => "confirm-live-change",
            Field::Date => "date",
            Field::Query => "query",
            Field::Sort => "sort",
            Field::Limit => "limit",
            Field::Cursor => "cursor",
            Field::AdsCampaign => "ads-campaign",
            Field::AdGroup => "ad-group",
            Field::Ad => "ad",
            Field::AdTitle => "ad-title",
            Field::AdBody => "ad-body",
            Field::UpdatedSince => "updated-since",
        }
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Field::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown field name {name:?}")))
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every stable code utmforge reports while tagging. Serialized in kebab-case
/// (`Code::SchemeNotAllowed` → `"scheme-not-allowed"`); never rename one, automation matches on
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    // --- errors: nothing is produced ---
    /// The landing URL is empty or cannot be parsed as a URL.
    InvalidUrl,
    /// A relative URL (`/pricing`, `//example.com`): there is no landing page to tag.
    RelativeUrl,
    /// A scheme other than http or https (`javascript:`, `data:`, `ftp:`).
    SchemeNotAllowed,
    /// `user:pass@` in the URL.
    CredentialsInUrl,
    /// The tagged URL is longer than 2,048 characters.
    UrlTooLong,
    /// A campaign, content or term value with no letters or digits.
    EmptyValue,
    /// A medium other than cpc or cpm.
    InvalidMedium,
    /// A campaign id with characters other than letters, digits, `.`, `_`, `~`, `-`.
    InvalidId,

    // --- warnings: a URL is produced, but look at it ---
    /// No scheme was given; `https://` was assumed.
    SchemeAdded,
    /// The landing page is served over plain http.
    InsecureHttp,
    /// The host is an IP address.
    HostIsIp,
    /// The host is `localhost` or a single-label name: not a public landing page.
    HostNotPublic,
    /// The tagged URL is longer than 1,000 characters (GA4 truncates `page_location` there).
    UrlLong,
    /// A `utm_*` parameter already in the query was removed (ours replace it).
    UtmReplaced,
    /// A `utm_*` parameter in the fragment was removed.
    UtmInFragment,
    /// A campaign, content or term value was not a slug and was normalized.
    ValueNormalized,
    /// A value was longer than 100 characters as a slug and was cut.
    ValueTruncated,

    // --- form and store errors ---
    /// A required field is empty.
    Required,
    /// A field is longer than allowed.
    TooLong,
    /// A value outside the allowed list (status, conversion event).
    NotAllowed,
    /// Another row already uses this value (campaign slug, creative variant).
    Duplicate,
    /// The row changed since the page was loaded.
    Stale,
    /// The row does not exist (any more).
    NotFound,
    /// More items than one request takes (URLs, rows, columns): split the work.
    TooMany,
    /// A sheet that cannot be read as a table (no header, no variant column).
    InvalidSheet,
    /// A field the request should not have (a typo, or a field that is not writable).
    UnknownField,

    // --- GA4 kit ---
    /// Not a conversion event GA4 can use (unknown pixel event, invalid GA4 event name).
    InvalidEvent,
    /// Not a GA4 property id (digits only).
    InvalidProperty,

    // --- measurement kit ---
    /// Not an OpenAI ads pixel id (`oai-px-` and letters, digits, `-`, `_`).
    InvalidPixelId,
    /// Not a GA4 measurement id (`G-` and letters or digits).
    InvalidMeasurementId,
    /// Not an ISO 4217 currency code.
    InvalidCurrency,

    // --- team rules ---
    /// A landing URL outside the team's approved domains (an error or a warning, per Settings).
    DomainNotApproved,
    /// A topic outside the team's vocabulary (an error or a warning, per Settings).
    UnknownTopic,
    /// A topic typed as one of its aliases: the topic is used (a warning).
    TopicAlias,
    /// Not a domain or `*.domain` pattern (Settings).
    InvalidDomain,
    /// A change to an active campaign's live links, not confirmed (409).
    LiveLinkChange,
    /// Not a day in `YYYY-MM-DD` form.
    InvalidDate,
    /// Not a cursor of this list (or of this order of it).
    InvalidCursor,

    // --- accounts ---
    /// A password too short or too common.
    WeakPassword,
}

impl Code {
    /// The kebab-case code, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidUrl => "invalid-url",
            Code::RelativeUrl => "relative-url",
            Code::SchemeNotAllowed => "scheme-not-allowed",
            Code::CredentialsInUrl => "credentials-in-url",
            Code::UrlTooLong => "url-too-long",
            Code::EmptyValue => "empty-value",
            Code::InvalidMedium => "invalid-medium",
            Code::InvalidId => "invalid-id",
            Code::SchemeAdded => "scheme-added",
            Code::InsecureHttp => "insecure-http",
            Code::HostIsIp => "host-is-ip",
            Code::HostNotPublic => "host-not-public",
            Code::UrlLong => "url-long",
            Code::UtmReplaced => "utm-replaced",
            Code::UtmInFragment => "utm-in-fragment",
            Code::ValueNormalized => "value-normalized",
            Code::ValueTruncated => "value-truncated",
            Code::Required => "required",
            Code::TooLong => "too-long",
            Code::NotAllowed => "not-allowed",
            Code::Duplicate => "duplicate",
            Code::Stale => "stale",
            Code::NotFound => "not-found",
            Code::TooMany => "too-many",
            Code::InvalidSheet => "invalid-sheet",
            Code::UnknownField => "unknown-field",
            Code::InvalidEvent => "invalid-event",
            Code::InvalidProperty => "invalid-property",
            Code::InvalidPixelId => "invalid-pixel-id",
            Code::InvalidMeasurementId => "invalid-measurement-id",
            Code::InvalidCurrency => "invalid-currency",
            Code::DomainNotApproved => "domain-not-approved",
            Code::UnknownTopic => "unknown-topic",
            Code::TopicAlias => "topic-alias",
            Code::InvalidDomain => "invalid-domain",
            Code::LiveLinkChange => "live-link-change",
            Code::InvalidDate => "invalid-date",
            Code::InvalidCursor => "invalid-cursor",
            Code::WeakPassword => "weak-password",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One error or warning about one field of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub code: Code,
    pub message: String,
    pub field: Field,
}

/// Notices as one CSV cell (`utmforge tag --csv`, exports): `code: message` pairs joined by
/// ` | `. Clears `cell` first, so that a batch can reuse one buffer.
pub fn write_notices_cell<'n>(cell: &mut String, notices: impl IntoIterator<Item = &'n Notice>) {
    cell.clear();
    for (i, n) in notices.into_iter().enumerate() {
        if i > 0 {
            cell.push_str(" | ");
        }
        cell.push_str(n.code.as_str());
        cell.push_str(": ");
        cell.push_str(&n.message);
    }
}

/// `s` as a message quotes it: at most `most` characters, `…` when cut.
pub(crate) fn clip(s: &str, most: usize) -> String {
    let mut out: String = s.chars().take(most).collect();
    if s.chars().count() > most {
        out.push('…');
    }
    out
}

impl Notice {
    pub fn new(code: Code, field: Field, message: impl Into<String>) -> Self {
        Notice {
            code,
            message: message.into(),
            field,
        }
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Notice {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_their_kebab_case_name() {
        for code in [
            Code::InvalidUrl,
            Code::RelativeUrl,
            Code::SchemeNotAllowed,
            Code::CredentialsInUrl,
            Code::UrlTooLong,
            Code::EmptyValue,
            Code::InvalidMedium,
            Code::InvalidId,
            Code::SchemeAdded,
            Code::InsecureHttp,
            Code::HostIsIp,
            Code::HostNotPublic,
            Code::UrlLong,
            Code::UtmReplaced,
            Code::UtmInFragment,
            Code::ValueNormalized,
            Code::ValueTruncated,
            Code::Required,
            Code::TooLong,
            Code::NotAllowed,
            Code::Duplicate,
            Code::Stale,
            Code::NotFound,
            Code::TooMany,
            Code::InvalidSheet,
            Code::UnknownField,
            Code::WeakPassword,
            Code::InvalidPixelId,
            Code::InvalidMeasurementId,
            Code::InvalidCurrency,
            Code::DomainNotApproved,
            Code::UnknownTopic,
            Code::TopicAlias,
            Code::InvalidDomain,
            Code::LiveLinkChange,
            Code::InvalidDate,
            Code::InvalidCursor,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}

#[cfg(test)]
mod field_names {
    use super::Field;

    /// `Field::ALL` holds every variant in order (the match has no wildcard: a new variant does
    /// not compile until it is placed here, and then this test says where `ALL` lacks it), and
    /// each reads back from the name it is written as.
    #[test]
    fn every_field_is_listed_and_reads_back_from_its_name() {
        let position = |f: Field| match f {
            Field::Url => 0,
            Field::Campaign => 1,
            Field::Medium => 2,
            Field::Content => 3,
            Field::Term => 4,
            Field::Id => 5,
            Field::Name => 6,
            Field::Conversion => 7,
            Field::Status => 8,
            Field::Notes => 9,
            Field::Headline => 10,
            Field::Description => 11,
            Field::Version => 12,
            Field::Property => 13,
            Field::Urls => 14,
            Field::Sheet => 15,
            Field::Body => 16,
            Field::Email => 17,
            Field::Password => 18,
            Field::Role => 19,
            Field::Token => 20,
            Field::PixelId => 21,
            Field::MeasurementId => 22,
            Field::Currency => 23,
            Field::Events => 24,
            Field::Domains => 25,
            Field::DomainMode => 26,
            Field::Topics => 27,
            Field::TopicMode => 28,
            Field::ConfirmLiveChange => 29,
            Field::Date => 30,
            Field::Query => 31,
            Field::Sort => 32,
            Field::Limit => 33,
            Field::Cursor => 34,
            Field::UpdatedSince => 35,
            Field::AdsCampaign => 36,
            Field::AdGroup => 37,
            Field::Ad => 38,
            Field::AdTitle => 39,
            Field::AdBody => 40,
        };
        for (i, f) in Field::ALL.into_iter().enumerate() {
            assert_eq!(position(f), i, "{f:?} is not at its place in Field::ALL");
            let written = serde_json::to_string(&f).unwrap();
            assert_eq!(written, format!("\"{}\"", f.as_str()));
            assert_eq!(serde_json::from_str::<Field>(&written).unwrap(), f);
        }
        assert_eq!(
            position(Field::ALL[Field::ALL.len() - 1]),
            Field::ALL.len() - 1
        );
        assert!(serde_json::from_str::<Field>("\"no-such-field\"").is_err());
    }
}
