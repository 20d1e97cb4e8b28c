//! Conversions API events: typed, validated with stable codes, batched by 1,000, with
//! deterministic ids.
//!
//! Events come from two doors, both through [`Draft`] and [`check_all`]: a JSON batch in
//! CAPI's own shape (`POST /api/v1/capi/validate`, [`drafts_from_json`]) and an
//! offline-conversions CSV (`utmforge capi send`, [`read_csv`]).

use crate::campaign::ConversionEvent;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use std::io::Read;

/// Where events are sent; `?pid=PIXEL_ID` is added.
pub const ENDPOINT: &str = "https://bzr.openai.com/v1/events";
/// Most events one call takes.
pub const MAX_EVENTS_PER_CALL: usize = 1_000;
/// Oldest event accepted: 7 days.
pub const MAX_AGE_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// How far in the future a timestamp may be (clocks differ by a little).
pub const FUTURE_TOLERANCE_MS: i64 = 60_000;
/// Longest id, user, URL and text value.
pub const MAX_ID: usize = 128;
pub const MAX_USER: usize = 64;
pub const MAX_SOURCE_URL: usize = 2_048;
pub const MAX_TEXT: usize = 256;
/// Largest CSV file and most rows `capi send` reads.
pub const MAX_CSV_BYTES: u64 = 64 << 20;
pub const MAX_CSV_ROWS: usize = 100_000;

/// The pixel's standard events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PixelEvent {
    PageViewed,
    RegistrationCompleted,
    LeadCreated,
    OrderCreated,
    SubscriptionCreated,
    TrialStarted,
    AppointmentScheduled,
    CheckoutStarted,
    ContentsViewed,
    ItemsAdded,
}

impl PixelEvent {
    pub const ALL: [PixelEvent; 10] = [
        PixelEvent::PageViewed,
        PixelEvent::RegistrationCompleted,
        PixelEvent::LeadCreated,
        PixelEvent::OrderCreated,
        PixelEvent::SubscriptionCreated,
        PixelEvent::TrialStarted,
        PixelEvent::AppointmentScheduled,
        PixelEvent::CheckoutStarted,
        PixelEvent::ContentsViewed,
        PixelEvent::ItemsAdded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PixelEvent::PageViewed => "page_viewed",
            PixelEvent::RegistrationCompleted => "registration_completed",
            PixelEvent::LeadCreated => "lead_created",
            PixelEvent::OrderCreated => "order_created",
            PixelEvent::SubscriptionCreated => "subscription_created",
            PixelEvent::TrialStarted => "trial_started",
            PixelEvent::AppointmentScheduled => "appointment_scheduled",
            PixelEvent::CheckoutStarted => "checkout_started",
            PixelEvent::ContentsViewed => "contents_viewed",
            PixelEvent::ItemsAdded => "items_added",
        }
    }

    pub fn parse(s: &str) -> Option<PixelEvent> {
        PixelEvent::ALL.into_iter().find(|e| e.as_str() == s.trim())
    }
}

impl From<ConversionEvent> for PixelEvent {
    fn from(e: ConversionEvent) -> PixelEvent {
        PixelEvent::parse(e.as_str()).expect("every conversion event is a pixel event")
    }
}

/// Where the conversion happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionSource {
    Website,
    App,
    PhoneCall,
    Chat,
    PhysicalStore,
    Other,
}

impl ActionSource {
    pub const ALL: [ActionSource; 6] = [
        ActionSource::Website,
        ActionSource::App,
        ActionSource::PhoneCall,
        ActionSource::Chat,
        ActionSource::PhysicalStore,
        ActionSource::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionSource::Website => "website",
            ActionSource::App => "app",
            ActionSource::PhoneCall => "phone_call",
            ActionSource::Chat => "chat",
            ActionSource::PhysicalStore => "physical_store",
            ActionSource::Other => "other",
        }
    }
}

/// An event's `data`: the props of its type, and the first touch when known.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EventData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_touch_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_touch_campaign: Option<String>,
}

/// The keys [`EventData`] has, in order.
pub const DATA_KEYS: [&str; 6] = [
    "value",
    "currency",
    "order_id",
    "lead_type",
    "first_touch_source",
    "first_touch_campaign",
];

/// One valid event, exactly as CAPI takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapiEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: PixelEvent,
    pub timestamp_ms: i64,
    pub data: EventData,
    pub action_source: ActionSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
}

/// Why an event is refused. Serialized in kebab-case; never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CapiCode {
    /// A required field is missing or empty (type, timestamp, action_source).
    Required,
    /// A type other than the pixel's standard events.
    UnknownType,
    /// An action_source other than website, app, phone_call, chat, physical_store, other.
    BadActionSource,
    /// action_source is website but there is no source_url.
    MissingSourceUrl,
    /// source_url is not an absolute http(s) URL of at most 2,048 characters.
    BadSourceUrl,
    /// A timestamp that is neither milliseconds nor ISO 8601 with a time zone.
    BadTimestamp,
    /// More than 7 days old.
    StaleTimestamp,
    /// In the future.
    FutureTimestamp,
    /// Not an ISO 4217 code, or a value without its currency.
    BadCurrency,
    /// A value that is not a number ≥ 0.
    BadValue,
    /// An id with spaces or control characters, or too long; or neither id nor user.
    BadId,
    /// A user that is not a plain user id (letters, digits, `.`, `_`, `-`): it goes into the id.
    BadUser,
    /// An id already used by an earlier event of the batch.
    DuplicateId,
    /// A field CAPI does not take, or a value of the wrong JSON type.
    UnknownField,
    /// A text value longer than allowed.
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
            CapiCode::TooLong => "too-long",
        }
    }
}

impl fmt::Display for CapiCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem of one event: its code, the field (a CSV column or a JSON key) and a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    pub code: CapiCode,
    pub field: String,
    pub message: String,
}

impl Problem {
    fn new(code: CapiCode, field: &str, message: impl Into<String>) -> Problem {
        Problem {
            code,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// An event as given, every field still text: one CSV row or one JSON event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub id: Option<String>,
    pub kind: Option<String>,
    pub timestamp: Option<String>,
    pub user: Option<String>,
    pub value: Option<String>,
    pub currency: Option<String>,
    pub order_id: Option<String>,
    pub lead_type: Option<String>,
    pub action_source: Option<String>,
    pub source_url: Option<String>,
    pub first_touch_source: Option<String>,
    pub first_touch_campaign: Option<String>,
    /// Problems found while reading (wrong JSON types, unknown keys).
    pub read_problems: Vec<Problem>,
}

/// The deterministic id of an event: `TYPE_USER_TIMESTAMPMS`. The same conversion gets the
/// same id on every run, so a retry or a second run is counted once.
pub fn event_id(kind: PixelEvent, user: &str, timestamp_ms: i64) -> String {
    format!("{}_{}_{}", kind.as_str(), user, timestamp_ms)
}

/// `{endpoint}?pid={pixel_id}`.
pub fn endpoint_url(endpoint: &str, pixel_id: &str) -> String {
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{sep}pid={pixel_id}")
}

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn clip(s: &str) -> String {
    crate::notice::clip(s, 60)
}

/// Validates one draft against `now_ms`. Every problem is reported.
pub fn check(draft: &Draft, now_ms: i64) -> Result<CapiEvent, Vec<Problem>> {
    let mut problems = draft.read_problems.clone();
    let kind = match text(&draft.kind) {
        None => {
            problems.push(Problem::new(CapiCode::Required, "type", "the event type is empty: give one of the pixel's events (order_created, lead_created, …)"));
            None
        }
        Some(t) => PixelEvent::parse(t).or_else(|| {
            problems.push(Problem::new(
                CapiCode::UnknownType,
                "type",
                format!(
                    "“{}” is not a pixel event: use one of {}",
                    clip(t),
                    PixelEvent::ALL.map(|e| e.as_str()).join(", ")
                ),
            ));
            None
        }),
    };
    let timestamp = match text(&draft.timestamp) {
        None => {
            problems.push(Problem::new(CapiCode::Required, "timestamp", "the timestamp is empty: give when the conversion happened (milliseconds since 1970 or ISO 8601 such as 2026-11-26T14:30:00Z)"));
            None
        }
        Some(t) => match parse_timestamp(t) {
            Err(why) => {
                problems.push(Problem::new(CapiCode::BadTimestamp, "timestamp", why));
                None
            }
            Ok(ms) if ms < now_ms - MAX_AGE_MS => {
                problems.push(Problem::new(
                    CapiCode::StaleTimestamp,
                    "timestamp",
                    format!(
                        "{} is more than 7 days ago: the Conversions API refuses older events",
                        format_ms(ms)
                    ),
                ));
                None
            }
            Ok(ms) if ms > now_ms + FUTURE_TOLERANCE_MS => {
                problems.push(Problem::new(
                    CapiCode::FutureTimestamp,
                    "timestamp",
                    format!(
                        "{} is in the future: give the time the conversion happened",
                        format_ms(ms)
                    ),
                ));
                None
            }
            Ok(ms) => Some(ms),
        },
    };
    let action_source = match text(&draft.action_source) {
        None => {
            problems.push(Problem::new(CapiCode::Required, "action_source", "action_source is empty: give website, app, phone_call, chat, physical_store or other"));
            None
        }
        Some(a) => ActionSource::ALL
            .into_iter()
            .find(|s| s.as_str() == a)
            .or_else(|| {
                problems.push(Problem::new(
                    CapiCode::BadActionSource,
                    "action_source",
                    format!("“{}” is not an action source: use website, app, phone_call, chat, physical_store or other", clip(a)),
                ));
                None
            }),
    };
    let source_url = text(&draft.source_url).map(str::to_string);
    if let Some(u) = &source_url {
        let ok = u.len() <= MAX_SOURCE_URL
            && url::Url::parse(u)
                .is_ok_and(|p| matches!(p.scheme(), "http" | "https") && p.host().is_some());
        if !ok {
            problems.push(Problem::new(
                CapiCode::BadSourceUrl,
                "source_url",
                format!(
                    "“{}” is not an absolute http(s) URL of at most {MAX_SOURCE_URL} characters",
                    clip(u)
                ),
            ));
        }
    } else if action_source == Some(ActionSource::Website) {
        problems.push(Problem::new(
            CapiCode::MissingSourceUrl,
            "source_url",
            "source_url is empty: a website event needs the URL of the page where it happened",
        ));
    }
    let value = text(&draft.value).and_then(|v| match v.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Some(n),
        _ => {
            problems.push(Problem::new(
                CapiCode::BadValue,
                "value",
                format!(
                    "“{}” is not an amount: give a number ≥ 0 with a dot for decimals (49.90)",
                    clip(v)
                ),
            ));
            None
        }
    });
    let currency = match text(&draft.currency) {
        Some(c) => match super::currency_of(c) {
            Ok(c) => Some(c),
            Err(n) => {
                problems.push(Problem::new(CapiCode::BadCurrency, "currency", n.message));
                None
            }
        },
        None if text(&draft.value).is_some() => {
            problems.push(Problem::new(
                CapiCode::BadCurrency,
                "currency",
                "the value has no currency: give its ISO 4217 code (USD, EUR, …)",
            ));
            None
        }
        None => None,
    };
    let mut short = |field: &str, v: &Option<String>| -> Option<String> {
        let t = text(v)?;
        if t.chars().count() > MAX_TEXT || t.chars().any(char::is_control) {
            problems.push(Problem::new(
                CapiCode::TooLong,
                field,
                format!("{field} must be at most {MAX_TEXT} characters without line breaks"),
            ));
            None
        } else {
            Some(t.to_string())
        }
    };
    let data = EventData {
        value,
        currency,
        order_id: short("order_id", &draft.order_id),
        lead_type: short("lead_type", &draft.lead_type),
        first_touch_source: short("first_touch_source", &draft.first_touch_source),
        first_touch_campaign: short("first_touch_campaign", &draft.first_touch_campaign),
    };
    let user = text(&draft.user);
    if let Some(u) = user {
        let plain = u.len() <= MAX_USER
            && u.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !plain {
            problems.push(Problem::new(
                CapiCode::BadUser,
                "user",
                format!(
                    "“{}” is not a plain user id (letters, digits, . _ -, at most {MAX_USER}): it becomes part of the event id sent to OpenAI, so use your own customer number, never an email or a name",
                    clip(u)
                ),
            ));
        }
    }
    let id = match (text(&draft.id), user, kind, timestamp) {
        (Some(id), _, _, _) => {
            if id.len() > MAX_ID || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
                problems.push(Problem::new(
                    CapiCode::BadId,
                    "id",
                    format!("the id must be at most {MAX_ID} characters without spaces"),
                ));
                None
            } else {
                Some(id.to_string())
            }
        }
        (None, Some(u), Some(k), Some(ts)) => Some(event_id(k, u, ts)),
        (None, None, _, _) => {
            problems.push(Problem::new(
                CapiCode::BadId,
                "id",
                "no id and no user: give the event id the pixel used, or a user id to make the id TYPE_USER_TIMESTAMPMS from",
            ));
            None
        }
        (None, Some(_), _, _) => None,
    };
    match (id, kind, timestamp, action_source) {
        (Some(id), Some(kind), Some(timestamp_ms), Some(action_source)) if problems.is_empty() => {
            Ok(CapiEvent {
                id,
                kind,
                timestamp_ms,
                data,
                action_source,
                source_url,
            })
        }
        _ => Err(problems),
    }
}

/// One event's verdict, with where it came from (a CSV line or a JSON index).
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The CSV line (1-based, the header is line 1) or the JSON index (0-based).
    pub position: u64,
    pub result: Result<CapiEvent, Vec<Problem>>,
}

/// Validates every draft; an id used by an earlier valid event is `duplicate-id`.
pub fn check_all(drafts: impl IntoIterator<Item = (u64, Draft)>, now_ms: i64) -> Vec<Checked> {
    let mut seen = HashSet::new();
    drafts
        .into_iter()
        .map(|(position, draft)| {
            let result = check(&draft, now_ms).and_then(|event| {
                if seen.insert(event.id.clone()) {
                    Ok(event)
                } else {
                    Err(vec![Problem::new(
                        CapiCode::DuplicateId,
                        "id",
                        format!("the id “{}” is already used by an earlier event of this batch: the Conversions API would count them once", clip(&event.id)),
                    )])
                }
            });
            Checked { position, result }
        })
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
// Timestamps
// ---------------------------------------------------------------------------------------------

/// Milliseconds since 1970 from a number of milliseconds or ISO 8601 with a time zone
/// (`2026-11-26T14:30:00Z`, `2026-11-26 14:30:00.250+01:00`).
pub fn parse_timestamp(input: &str) -> Result<i64, String> {
    let s = input.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let ms: i64 = s
            .parse()
            .map_err(|_| format!("“{}” is too large to be a time", clip(s)))?;
        if ms < 100_000_000_000 {
            return Err(format!(
                "“{s}” looks like seconds, not milliseconds: multiply by 1000 (or give ISO 8601)"
            ));
        }
        return Ok(ms);
    }
    iso8601(s).ok_or_else(|| {
        format!(
            "“{}” is not a time: give milliseconds since 1970 or ISO 8601 with a time zone, such as 2026-11-26T14:30:00Z",
            clip(s)
        )
    })
}

fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

fn iso8601(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 17
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
    {
        return None;
    }
    let (year, month, day) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (hour, minute) = (digits(&b[11..13])?, digits(&b[14..16])?);
    let mut i = 16;
    let mut second = 0;
    let mut millis = 0;
    if b.get(i) == Some(&b':') {
        second = digits(b.get(i + 1..i + 3)?)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            let mut end = start;
            while end < b.len() && b[end].is_ascii_digit() {
                end += 1;
            }
            if end == start {
                return None;
            }
            let frac = &b[start..end.min(start + 3)];
            millis = digits(frac)? * 10_i64.pow(3 - frac.len() as u32);
            i = end;
        }
    }
    let offset_min = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') => {
            let rest = &b[i + 1..];
            let (h, m) = match rest.len() {
                5 if rest[2] == b':' => (digits(&rest[0..2])?, digits(&rest[3..5])?),
                4 => (digits(&rest[0..2])?, digits(&rest[2..4])?),
                2 => (digits(rest)?, 0),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let total = h * 60 + m;
            if *sign == b'+' {
                total
            } else {
                -total
            }
        }
        _ => return None,
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month[(month - 1) as usize]
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some((((days * 24 + hour) * 60 + minute - offset_min) * 60 + second) * 1000 + millis)
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-26T14:30:00.000Z`.
pub fn format_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    // civil_from_days
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

// ---------------------------------------------------------------------------------------------
// JSON batches
// ---------------------------------------------------------------------------------------------

/// The drafts of a JSON batch in CAPI's shape. Each element is read on its own: a wrong type
/// or an unknown key is a problem of that event, not of the whole batch.
pub fn drafts_from_json(events: &[serde_json::Value]) -> Vec<(u64, Draft)> {
    events
        .iter()
        .enumerate()
        .map(|(i, v)| (i as u64, draft_from_json(v)))
        .collect()
}

fn draft_from_json(v: &serde_json::Value) -> Draft {
    use serde_json::Value;
    let mut d = Draft::default();
    let Some(obj) = v.as_object() else {
        d.read_problems.push(Problem::new(
            CapiCode::UnknownField,
            "event",
            "an event is a JSON object {id, type, timestamp_ms, data, action_source, source_url}",
        ));
        return d;
    };
    fn scalar(d: &mut Draft, key: &str, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            _ => {
                d.read_problems.push(Problem::new(
                    CapiCode::UnknownField,
                    key,
                    format!("{key} must be a string or a number"),
                ));
                None
            }
        }
    }
    for (key, value) in obj {
        match key.as_str() {
            "id" => d.id = scalar(&mut d, key, value),
            "type" => d.kind = scalar(&mut d, key, value),
            "timestamp_ms" => d.timestamp = scalar(&mut d, key, value),
            "action_source" => d.action_source = scalar(&mut d, key, value),
            "source_url" => d.source_url = scalar(&mut d, key, value),
            "data" => match value {
                Value::Object(data) => {
                    for (k, v) in data {
                        let field = format!("data.{k}");
                        let slot = match k.as_str() {
                            "value" => &mut d.value,
                            "currency" => &mut d.currency,
                            "order_id" => &mut d.order_id,
                            "lead_type" => &mut d.lead_type,
                            "first_touch_source" => &mut d.first_touch_source,
                            "first_touch_campaign" => &mut d.first_touch_campaign,
                            _ => {
                                d.read_problems.push(Problem::new(
                                    CapiCode::UnknownField,
                                    &field,
                                    format!("utmforge does not know the data key “{}”: it takes {}", clip(k), DATA_KEYS.join(", ")),
                                ));
                                continue;
                            }
                        };
                        match v {
                            Value::String(s) => *slot = Some(s.clone()),
                            Value::Number(n) => *slot = Some(n.to_string()),
                            Value::Null => {}
                            _ => d.read_problems.push(Problem::new(
                                CapiCode::UnknownField,
                                &field,
                                format!("{field} must be a string or a number"),
                            )),
                        }
                    }
                }
                Value::Null => {}
                _ => d.read_problems.push(Problem::new(
                    CapiCode::UnknownField,
                    "data",
                    "data must be an object",
                )),
            },
            other => d.read_problems.push(Problem::new(
                CapiCode::UnknownField,
                other,
                format!(
                    "the Conversions API does not take “{}”: an event has id, type, timestamp_ms, data, action_source, source_url",
                    clip(other)
                ),
            )),
        }
    }
    d
}

// ---------------------------------------------------------------------------------------------
// CSV files
// ---------------------------------------------------------------------------------------------

/// The columns `capi send` reads (`timestamp_ms` is taken for `timestamp`).
pub const CSV_COLUMNS: [&str; 12] = [
    "id",
    "type",
    "timestamp",
    "user",
    "value",
    "currency",
    "order_id",
    "lead_type",
    "action_source",
    "source_url",
    "first_touch_source",
    "first_touch_campaign",
];

/// A CSV file read: each data row as a draft with its line, and the columns not used.
#[derive(Debug, Clone, Default)]
pub struct CsvFile {
    pub rows: Vec<(u64, Draft)>,
    pub ignored_columns: Vec<String>,
}

/// Reads an offline-conversions CSV. Errors only for the file as a whole (no header, a
/// required column missing, too big); a bad row is a draft that fails [`check`].
pub fn read_csv<R: Read>(input: R) -> Result<CsvFile, String> {
    let mut limited = input.take(MAX_CSV_BYTES + 1);
    let mut bytes = Vec::new();
    limited
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the CSV: {e}"))?;
    if bytes.len() as u64 > MAX_CSV_BYTES {
        return Err(format!(
            "the CSV is larger than {} MiB: split it",
            MAX_CSV_BYTES >> 20
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(format!("the CSV header cannot be read: {e}")),
        None => return Err("the CSV is empty: it needs a header row with the columns type, timestamp, action_source (and id or user, value, currency, order_id, source_url, …)".to_string()),
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase()
        })
        .collect();
    let find = |name: &str| {
        names
            .iter()
            .position(|h| h == name || (name == "timestamp" && h == "timestamp_ms"))
    };
    let missing: Vec<&str> = ["type", "timestamp", "action_source"]
        .into_iter()
        .filter(|c| find(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the CSV header lacks the column{} {}: it needs type, timestamp, action_source, and id or user",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        ));
    }
    let index: Vec<Option<usize>> = CSV_COLUMNS.iter().map(|c| find(c)).collect();
    let ignored_columns = names
        .iter()
        .enumerate()
        .filter(|(i, _)| !index.contains(&Some(*i)))
        .map(|(_, n)| n.clone())
        .filter(|n| !n.is_empty())
        .collect();
    let mut rows = Vec::new();
    for record in records {
        if rows.len() >= MAX_CSV_ROWS {
            return Err(format!(
                "the CSV has more than {MAX_CSV_ROWS} rows: split it"
            ));
        }
        let record = record.map_err(|e| format!("the CSV cannot be read: {e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        let mut d = Draft::default();
        let cell = |d: &mut Draft, col: usize| -> Option<String> {
            let i = index[col]?;
            let bytes = record.get(i)?;
            match std::str::from_utf8(bytes) {
                Ok(s) => Some(s.to_string()),
                Err(_) => {
                    d.read_problems.push(Problem::new(
                        CapiCode::UnknownField,
                        CSV_COLUMNS[col],
                        "not valid UTF-8: save the file as CSV UTF-8",
                    ));
                    None
                }
            }
        };
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        d.id = cell(&mut d, 0);
        d.kind = cell(&mut d, 1);
        d.timestamp = cell(&mut d, 2);
        d.user = cell(&mut d, 3);
        d.value = cell(&mut d, 4);
        d.currency = cell(&mut d, 5);
        d.order_id = cell(&mut d, 6);
        d.lead_type = cell(&mut d, 7);
        d.action_source = cell(&mut d, 8);
        d.source_url = cell(&mut d, 9);
        d.first_touch_source = cell(&mut d, 10);
        d.first_touch_campaign = cell(&mut d, 11);
        rows.push((line, d));
    }
    Ok(CsvFile {
        rows,
        ignored_columns,
    })
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
