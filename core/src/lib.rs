//! utmforge-core: the domain of utmforge, in plain Rust with no I/O.
//!
//! Every rule about tagging, slugging, linting and GA4 lives here, once. The server, the
//! command line and the browser (this crate compiles to `wasm32-unknown-unknown`) all call it.

pub mod account;
pub mod activity;
pub mod ads;
pub mod campaign;
pub mod destination;
pub mod events;
pub mod export;
pub mod ga4;
pub mod history;
pub mod import;
pub mod linkcheck;
pub mod lint;
pub mod listing;
pub mod measure;
pub mod medium;
pub mod notice;
pub mod query;
pub mod rules;
pub mod slug;
pub mod tag;
pub mod time;
pub mod views;

pub use campaign::{
    campaign_slug, creative_url, Campaign, CampaignDraft, CampaignStatus, ConversionEvent,
    Creative, CreativeDraft, ValidCampaign, ValidCreative,
};
pub use destination::{parse_destination, Destination};
pub use lint::{
    lint, Finding, LintCode, LintReport, Severity, MAX_FINDINGS, MAX_LINT_INPUT_LEN, MAX_LINT_URLS,
};
pub use medium::{BuyingModel, UnknownBuyingModel, UTM_SOURCE};
pub use notice::{write_notices_cell, Code, Field, Notice};
pub use slug::{is_slug, slugify, slugify_with, EmptySlug, Separator, MAX_SLUG_LEN};
pub use tag::{
    tag, tag_with, Params, TagErrors, TagInput, TagOptions, TagRequest, Tagged, TaggedUrl, Tagger,
    UtmParams, TAGGER_MEMORY, TAGGER_MEMORY_BYTES, TAGGER_MEMORY_LONGEST,
};
