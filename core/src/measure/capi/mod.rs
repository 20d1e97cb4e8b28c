//! Conversions API events as OpenAI's documentation describes them
//! (developers.openai.com/ads/conversions-api; `shared/openai-ads.md` §4): a JSON object
//! `{"validate_only", "events": […]}` posted to `https://bzr.openai.com/v1/events?pid=…`, each
//! event `{id, type, timestamp_ms, custom_event_name?, oppref?, source_url?, action_source?,
//! user?, opt_out?, data}`, at most 1,000 a call, and one invalid event fails its whole batch.
//!
//! Events come from two doors and meet in one checker ([`check::check_event`], exactly the
//! documented rules): a JSON batch in the API's own shape (`POST /api/v1/capi/validate`) and an
//! offline-conversions sheet (`utmforge capi send`, [`csv::read_csv`]), whose rows become
//! events in that shape first — match keys normalized and SHA-256 hashed on this machine, a
//! human value turned into the integer amount in the currency's minor unit.

use crate::events::Event;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

pub mod check;
pub mod csv;
pub mod keys;

pub use crate::time::{format_ms, parse_timestamp};
pub use check::check_event;
pub use csv::{read_csv, CsvFile, CSV_COLUMNS};

/// Where events are sent; `?pid=PIXEL_ID` is added.
pub const ENDPOINT: &str = "https://bzr.openai.com/v1/events";
/// Most events one call takes.
pub const MAX_EVENTS_PER_CALL: usize = 1_000;
/// Oldest event accepted: 7 days.
pub const MAX_AGE_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// How far in the future a timestamp may be: 10 minutes.
pub const MAX_AHEAD_MS: i64 = 10 * 60 * 1000;
/// Longest user id (the `user` column that makes an event id) utmforge takes.
pub const MAX_USER: usize = 64;
/// Largest CSV file and most rows `capi send` reads.
pub const MAX_CSV_BYTES: u64 = 64 << 20;
pub const MAX_CSV_ROWS: usize = 100_000;

/// Where the conversion happened (`action_source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionSource {
    Web,
    MobileApp,
    Offline,
    PhysicalStore,
    PhoneCall,
    Email,
    Other,
}

impl ActionSource {
    pub const ALL: [ActionSource; 7] = [
        ActionSource::Web,
        ActionSource::MobileApp,
        ActionSource::Offline,
        ActionSource::PhysicalStore,
        ActionSource::PhoneCall,
        ActionSource::Email,
        ActionSource::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionSource::Web => "web",
            ActionSource::MobileApp => "mobile_app",
            ActionSource::Offline => "offline",
            ActionSource::PhysicalStore => "physical_store",
            ActionSource::PhoneCall => "phone_call",
            ActionSource::Email => "email",
            ActionSource::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ActionSource> {
        ActionSource::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn names() -> String {
        ActionSource::ALL.map(|a| a.as_str()).join(", ")
    }
}

/// Why an event is refused. Serialized in kebab-case; never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CapiCode {
    /// A required field is missing or empty (id, type, timestamp_ms, data, data.type).
    Required,
    /// A type other than OpenAI's supported events and `custom`.
    UnknownType,
    /// An action_source other than web, mobile_app, offline, physical_store, phone_call,
    /// email, other; or an app event without mobile_app.
    BadActionSource,
    /// action_source is web but there is no source_url.
    MissingSourceUrl,
    /// source_url is not an absolute URL with a scheme and a host.
    BadSourceUrl,
    /// A timestamp that is not an integer of milliseconds (JSON) or not a time (sheet).
    BadTimestamp,
    /// More than 7 days old.
    StaleTimestamp,
    /// More than 10 minutes in the future.
    FutureTimestamp,
    /// Not an ISO 4217 code, or an amount without its currency.
    BadCurrency,
    /// An amount or quantity that is not an integer; a sheet value that is not an amount.
    BadValue,
    /// An empty id, or neither id nor user in a sheet row.
    BadId,
    /// A sheet's user that is not a plain user id (it goes into the event id).
    BadUser,
    /// An id (with its event name) already used by an earlier event of the batch.
    DuplicateId,
    /// A field the API does not take.
    UnknownField,
    /// A value of the wrong JSON type (a string where an integer belongs, …).
    WrongType,
    /// data.type does not match the event (order_created takes contents, …).
    WrongDataType,
    /// custom_event_name missing for custom, given for a standard event, or against its rules.
    BadCustomEventName,
    /// A contents item the API would refuse (unknown member, empty content_type, …).
    BadContents,
    /// A user match key the API would refuse (a hash that is not 64 lowercase hex, a phone
    /// number without 8–15 digits, an IP address that is not one, …).
    BadMatchKey,
    /// A text longer than the documented maximum.
    TooLong,
}

impl CapiCode {
    pub fn as_str(self) -> &'static str {
        match self {
            CapiCode::Required => "required",
            CapiCode::UnknownType => "unknown-type",
            CapiCode::BadActionSource => "bad-action-source",
            CapiCode::MissingSourceUrl => "missing-source-url",
            CapiCode::BadSourceUrl => "bad-source-url",
            CapiCode::BadTimestamp => "bad-timestamp",
            CapiCode::StaleTimestamp => "stale-timestamp",
            CapiCode::FutureTimestamp => "future-timestamp",
            CapiCode::BadCurrency => "bad-currency",
            CapiCode::BadValue => "bad-value",
            CapiCode::BadId => "bad-id",
            CapiCode::BadUser => "bad-user",
            CapiCode::DuplicateId => "duplicate-id",
            CapiCode::UnknownField => "unknown-field",
            CapiCode::WrongType => "wrong-type",
            CapiCode::WrongDataType => "wrong-data-type",
            CapiCode::BadCustomEventName => "bad-custom-event-name",
            CapiCode::BadContents => "bad-contents",
            CapiCode::BadMatchKey => "bad-match-key",
            CapiCode::TooLong => "too-long",
        }
    }
}

impl fmt::Display for CapiCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem of one event: its code, the field (a sheet column or a JSON path such as
/// `data.contents[1].quantity`) and a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    pub code: CapiCode,
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(code: CapiCode, field: &str, message: impl Into<String>) -> Problem {
        Problem {
            code,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// One valid event: the JSON object sent as it is, with what identifies it.
#[derive(Debug, Clone, PartialEq)]
pub struct CapiEvent {
    pub id: String,
    pub kind: Event,
    /// For `custom` events: the name that stands for the event name in deduplication.
    pub custom_event_name: Option<String>,
    /// The event exactly as the API takes it.
    pub body: serde_json::Value,
}

impl CapiEvent {
    /// What OpenAI deduplicates on (with the Pixel ID): the event name — for custom events
    /// the custom event name — and the id.
    pub fn dedup_key(&self) -> (String, String) {
        (
            self.custom_event_name
                .clone()
                .unwrap_or_else(|| self.kind.as_str().to_string()),
            self.id.clone(),
        )
    }
}

impl Serialize for CapiEvent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(s)
    }
}

/// The body of one call: `{"validate_only": …, "events": […]}`.
#[derive(Debug, Serialize)]
pub struct Batch<'a> {
    pub validate_only: bool,
    pub events: &'a [CapiEvent],
}

/// The deterministic id of an event: `TYPE_USER_TIMESTAMPMS`. The same conversion gets the
/// same id on every run, so a retry or a second run is counted once.
pub fn event_id(kind: Event, user: &str, timestamp_ms: i64) -> String {
    format!("{}_{}_{}", kind.as_str(), user, timestamp_ms)
}

/// `{endpoint}?pid={pixel_id}`.
pub fn endpoint_url(endpoint: &str, pixel_id: &str) -> String {
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{sep}pid={pixel_id}")
}

fn clip(s: &str) -> String {
    crate::notice::clip(s, 60)
}

/// One event's verdict, with where it came from (a CSV line or a JSON index).
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The CSV line (1-based, the header is line 1) or the JSON index (0-based).
    pub position: u64,
    pub result: Result<CapiEvent, Vec<Problem>>,
}

/// Checks every event (each already in the API's shape, or the problems of making it so); an
/// event whose name and id an earlier valid event has is `duplicate-id` (OpenAI would keep
/// the first and ignore it).
pub fn check_all(
    events: impl IntoIterator<Item = (u64, Result<serde_json::Value, Vec<Problem>>)>,
    now_ms: i64,
) -> Vec<Checked> {
    let mut seen = HashSet::new();
    events
        .into_iter()
        .map(|(position, event)| {
            let result = event
                .and_then(|v| check_event(&v, now_ms))
                .and_then(|event| {
                    if seen.insert(event.dedup_key()) {
                        Ok(event)
                    } else {
                        Err(vec![Problem::new(
                            CapiCode::DuplicateId,
                            "id",
                            format!("the id “{}” is already used by an earlier {} event of this batch: OpenAI would count it once", clip(&event.id), event.dedup_key().0),
                        )])
                    }
                });
            Checked { position, result }
        })
        .collect()
}

/// The events of a JSON batch, each checked on its own.
pub fn from_json(
    events: &[serde_json::Value],
) -> Vec<(u64, Result<serde_json::Value, Vec<Problem>>)> {
    events
        .iter()
        .enumerate()
        .map(|(i, v)| (i as u64, Ok(v.clone())))
        .collect()
}

/// The valid events in calls of at most [`MAX_EVENTS_PER_CALL`].
pub fn batches(events: &[CapiEvent]) -> std::slice::Chunks<'_, CapiEvent> {
    events.chunks(MAX_EVENTS_PER_CALL)
}

/// How many calls `n` valid events take.
pub fn batch_count(n: usize) -> usize {
    n.div_ceil(MAX_EVENTS_PER_CALL)
}

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

/// One event's verdict in a validation answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventVerdict {
    /// The event's position in the batch (0-based) or its CSV line.
    pub position: u64,
    /// The id it has or would get (none when it cannot be made).
    pub id: Option<String>,
    pub valid: bool,
    /// Every problem; empty when valid.
    pub problems: Vec<Problem>,
}

/// A batch's validation: counts, how many calls the valid events take, and each event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Validation {
    pub valid: usize,
    pub rejected: usize,
    /// Calls the valid events take (at most 1,000 events each).
    pub batches: usize,
    pub events: Vec<EventVerdict>,
}

impl Validation {
    pub fn of(checked: &[Checked]) -> Validation {
        let events: Vec<EventVerdict> = checked
            .iter()
            .map(|c| match &c.result {
                Ok(e) => EventVerdict {
                    position: c.position,
                    id: Some(e.id.clone()),
                    valid: true,
                    problems: Vec::new(),
                },
                Err(problems) => EventVerdict {
                    position: c.position,
                    id: None,
                    valid: false,
                    problems: problems.clone(),
                },
            })
            .collect();
        let valid = events.iter().filter(|e| e.valid).count();
        Validation {
            valid,
            rejected: events.len() - valid,
            batches: batch_count(valid),
            events,
        }
    }
}
