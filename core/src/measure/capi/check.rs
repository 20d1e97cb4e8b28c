//! The documented rules of one Conversions API event, checked on the event as it would be
//! sent. Every problem is reported, each naming its JSON path.

use super::{clip, ActionSource, CapiCode, CapiEvent, Problem, MAX_AGE_MS, MAX_AHEAD_MS};
use crate::events::{custom_event_name, DataType, Event};
use crate::measure::CURRENCIES;
use serde_json::{Map, Value};

/// The members of an event.
pub const EVENT_KEYS: [&str; 10] = [
    "id",
    "type",
    "timestamp_ms",
    "custom_event_name",
    "oppref",
    "source_url",
    "action_source",
    "user",
    "opt_out",
    "data",
];

/// The members of a contents item; the last two only the Conversions API takes.
pub const CONTENT_KEYS: [&str; 8] = [
    "id",
    "name",
    "content_type",
    "quantity",
    "amount",
    "currency",
    "group_id",
    "variant_dict",
];

/// The `user` object's members (the documentation's newer, plural version): SHA-256 hashes,
/// lists of raw values, and single raw values.
pub const USER_HASHED: [&str; 5] = [
    "emails_sha256",
    "phone_numbers_sha256",
    "external_ids_sha256",
    "first_names_sha256",
    "last_names_sha256",
];
pub const USER_RAW_LISTS: [&str; 4] = ["regions", "postal_codes", "cities", "countries"];
pub const USER_RAW: [&str; 4] = [
    "android_advertising_id",
    "obref",
    "ip_address",
    "user_agent",
];

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Most problems listed for one event (a contents array of 100,000 bad items is one event's
/// problem, not 100,000 lines of answer); the rest are counted.
pub const MAX_PROBLEMS: usize = 20;

struct Checker {
    problems: Vec<Problem>,
    more: usize,
}

impl Checker {
    fn push(&mut self, code: CapiCode, field: &str, message: impl Into<String>) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem::new(code, field, message));
        } else {
            self.more += 1;
        }
    }

    /// The problems, with a last line counting those not listed.
    fn finish(mut self) -> Vec<Problem> {
        if self.more > 0 {
            let last = self.problems.last().map(|p| (p.code, p.field.clone()));
            let (code, field) = last.unwrap_or((CapiCode::UnknownField, "event".into()));
            self.problems.push(Problem::new(
                code,
                &field,
                format!("… and {} more problems of this event", self.more),
            ));
        }
        self.problems
    }

    fn wrong_type(&mut self, field: &str, wanted: &str, v: &Value) {
        self.push(
            CapiCode::WrongType,
            field,
            format!("{field} must be {wanted}, not {}", kind_of(v)),
        );
    }

    fn unknown(&mut self, obj: &Map<String, Value>, allowed: &[&str], path: &str, what: &str) {
        for key in obj.keys() {
            if !allowed.contains(&key.as_str()) {
                let field = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                self.push(
                    CapiCode::UnknownField,
                    &field,
                    format!(
                        "the Conversions API does not take “{}” in {what}: it takes {}",
                        clip(key),
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    fn string<'a>(&mut self, v: Option<&'a Value>, field: &str) -> Option<&'a str> {
        match v? {
            Value::String(s) => Some(s),
            other => {
                self.wrong_type(field, "a string", other);
                None
            }
        }
    }

    fn non_empty<'a>(&mut self, v: Option<&'a Value>, field: &str) -> Option<&'a str> {
        let s = self.string(v, field)?;
        if s.trim().is_empty() {
            self.push(CapiCode::Required, field, format!("{field} is empty"));
            None
        } else {
            Some(s)
        }
    }

    fn integer(&mut self, v: Option<&Value>, field: &str) -> Option<i64> {
        let v = v?;
        match v.as_i64() {
            Some(n) => Some(n),
            None if v.is_number() => {
                self.push(
                    CapiCode::BadValue,
                    field,
                    format!("{field} must be an integer (money in the currency's minor unit: 12999 for 129.99 USD), not {v}"),
                );
                None
            }
            None => {
                self.wrong_type(field, "an integer", v);
                None
            }
        }
    }

    fn currency(&mut self, v: Option<&Value>, field: &str) -> Option<String> {
        let c = self.string(v, field)?;
        if CURRENCIES.binary_search(&c).is_ok() {
            Some(c.to_string())
        } else {
            self.push(
                CapiCode::BadCurrency,
                field,
                format!(
                    "“{}” is not an ISO 4217 currency code in capitals (USD, EUR, …)",
                    clip(c)
                ),
            );
            None
        }
    }

    fn contents(&mut self, v: &Value, path: &str) {
        let Some(items) = v.as_array() else {
            self.wrong_type(path, "an array of items", v);
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let field = format!("{path}[{i}]");
            let Some(obj) = item.as_object() else {
                self.wrong_type(&field, "an object", item);
                continue;
            };
            for key in obj.keys() {
                if !CONTENT_KEYS.contains(&key.as_str()) {
                    self.push(
                        CapiCode::BadContents,
                        &format!("{field}.{key}"),
                        format!(
                            "a contents item takes only {}, not “{}”",
                            CONTENT_KEYS.join(", "),
                            clip(key)
                        ),
                    );
                }
            }
            for key in ["id", "name", "group_id"] {
                self.string(obj.get(key), &format!("{field}.{key}"));
            }
            if let Some(t) = self.string(obj.get("content_type"), &format!("{field}.content_type"))
            {
                if t.trim().is_empty() {
                    self.push(
                        CapiCode::BadContents,
                        &format!("{field}.content_type"),
                        "content_type is empty: give the kind of item (product, plan, page, …)",
                    );
                }
            }
            self.integer(obj.get("quantity"), &format!("{field}.quantity"));
            self.integer(obj.get("amount"), &format!("{field}.amount"));
            self.currency(obj.get("currency"), &format!("{field}.currency"));
            if let Some(d) = obj.get("variant_dict") {
                let ok = d
                    .as_object()
                    .is_some_and(|m| m.values().all(Value::is_string));
                if !ok {
                    self.wrong_type(&format!("{field}.variant_dict"), "an object of strings", d);
                }
            }
        }
    }

    fn data(&mut self, v: Option<&Value>, event: Option<Event>) {
        let Some(v) = v else {
            self.push(CapiCode::Required, "data", "data is missing: every event has a data object with its type (contents, customer_action, plan_enrollment or custom)");
            return;
        };
        let Some(obj) = v.as_object() else {
            self.wrong_type("data", "an object", v);
            return;
        };
        let data_type = match obj.get("type") {
            None => {
                self.push(
                    CapiCode::Required,
                    "data.type",
                    "data.type is missing: it names the data's shape and must match the event",
                );
                None
            }
            Some(t) => match t.as_str() {
                Some(name) => match DataType::parse(name) {
                    Some(d) => Some(d),
                    None => {
                        self.push(
                            CapiCode::WrongDataType,
                            "data.type",
                            format!("“{}” is not a data type: contents, customer_action, plan_enrollment or custom", clip(name)),
                        );
                        None
                    }
                },
                None => {
                    self.wrong_type("data.type", "a string", t);
                    None
                }
            },
        };
        if let (Some(d), Some(e)) = (data_type, event) {
            if d != e.data_type() {
                self.push(
                    CapiCode::WrongDataType,
                    "data.type",
                    format!("{e} takes data of type {}, not {d}", e.data_type()),
                );
            }
        }
        let Some(d) = data_type else { return };
        if d != DataType::Custom {
            let mut allowed = vec!["type"];
            allowed.extend(d.keys());
            self.unknown(obj, &allowed, "data", &format!("{d} data"));
        }
        let amount = self.integer(obj.get("amount"), "data.amount");
        let currency = self.currency(obj.get("currency"), "data.currency");
        if amount.is_some() && currency.is_none() && obj.get("currency").is_none() {
            self.push(
                CapiCode::BadCurrency,
                "data.currency",
                "data.amount has no currency: give its ISO 4217 code",
            );
        }
        if d.keys().contains(&"plan_id") {
            self.string(obj.get("plan_id"), "data.plan_id");
        }
        if let Some(c) = obj.get("contents") {
            if d.keys().contains(&"contents") {
                self.contents(c, "data.contents");
            }
        }
    }

    fn user(&mut self, v: &Value) {
        let Some(obj) = v.as_object() else {
            self.wrong_type("user", "an object", v);
            return;
        };
        let mut allowed: Vec<&str> = USER_HASHED.to_vec();
        allowed.extend(USER_RAW_LISTS);
        allowed.extend(USER_RAW);
        self.unknown(obj, &allowed, "user", "user");
        for key in USER_HASHED {
            let field = format!("user.{key}");
            for (i, s) in self.list(obj.get(key), &field).into_iter().enumerate() {
                if !super::keys::is_sha256_hex(s) {
                    self.push(
                        CapiCode::BadMatchKey,
                        &format!("{field}[{i}]"),
                        format!(
                            "{field} holds SHA-256 hashes as 64 lowercase hex characters, not “{}”",
                            clip(s)
                        ),
                    );
                }
            }
        }
        for key in USER_RAW_LISTS {
            let field = format!("user.{key}");
            for (i, s) in self.list(obj.get(key), &field).into_iter().enumerate() {
                if s.trim().is_empty() {
                    self.push(
                        CapiCode::BadMatchKey,
                        &format!("{field}[{i}]"),
                        format!("{field} holds an empty value"),
                    );
                }
            }
        }
        for key in USER_RAW {
            let field = format!("user.{key}");
            let Some(s) = self.string(obj.get(key), &field) else {
                continue;
            };
            let problem = match key {
                "ip_address" => super::keys::ip_address(s).err(),
                "android_advertising_id" => super::keys::advertising_id(s).err(),
                _ => s.trim().is_empty().then(|| format!("{field} is empty")),
            };
            if let Some(message) = problem {
                self.push(CapiCode::BadMatchKey, &field, message);
            }
        }
    }

    fn list<'a>(&mut self, v: Option<&'a Value>, field: &str) -> Vec<&'a str> {
        let Some(v) = v else { return Vec::new() };
        let Some(items) = v.as_array() else {
            self.wrong_type(field, "an array of strings", v);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(s) => out.push(s),
                None => self.wrong_type(&format!("{field}[{i}]"), "a string", item),
            }
        }
        out
    }
}

/// Checks one event against the documented rules at `now_ms`; answers it ready to send.
pub fn check_event(v: &Value, now_ms: i64) -> Result<CapiEvent, Vec<Problem>> {
    let mut c = Checker {
        problems: Vec::new(),
        more: 0,
    };
    let Some(obj) = v.as_object() else {
        c.wrong_type("event", "an object", v);
        return Err(c.finish());
    };
    c.unknown(obj, &EVENT_KEYS, "", "an event");
    let id = match obj.get("id") {
        None => {
            c.push(CapiCode::BadId, "id", "id is missing: every event needs its own id (reuse it on a retry and in the pixel's event_id)");
            None
        }
        Some(v) => match c.string(Some(v), "id") {
            Some(s) if s.trim().is_empty() => {
                c.push(CapiCode::BadId, "id", "id is empty");
                None
            }
            other => other.map(str::to_string),
        },
    };
    let event = match obj.get("type") {
        None => {
            c.push(
                CapiCode::Required,
                "type",
                format!("type is missing: one of {}", Event::names()),
            );
            None
        }
        Some(t) => c.string(Some(t), "type").and_then(|name| {
            let e = Event::parse(name);
            if e.is_none() || name != name.trim() {
                c.push(
                    CapiCode::UnknownType,
                    "type",
                    format!(
                        "“{}” is not an event OpenAI takes: use one of {}",
                        clip(name),
                        Event::names()
                    ),
                );
                return None;
            }
            e
        }),
    };
    match obj.get("timestamp_ms") {
        None => c.push(
            CapiCode::Required,
            "timestamp_ms",
            "timestamp_ms is missing: when the conversion happened, in milliseconds since 1970",
        ),
        Some(t) => {
            if let Some(ms) = t.as_i64() {
                if ms < now_ms - MAX_AGE_MS {
                    c.push(
                        CapiCode::StaleTimestamp,
                        "timestamp_ms",
                        format!(
                            "{} is more than 7 days ago: the Conversions API refuses older events",
                            super::format_ms(ms)
                        ),
                    );
                } else if ms > now_ms + MAX_AHEAD_MS {
                    c.push(
                        CapiCode::FutureTimestamp,
                        "timestamp_ms",
                        format!("{} is more than 10 minutes ahead: give the time the conversion happened", super::format_ms(ms)),
                    );
                }
            } else {
                c.push(
                    CapiCode::BadTimestamp,
                    "timestamp_ms",
                    format!(
                        "timestamp_ms must be an integer of milliseconds since 1970, not {}",
                        kind_of(t)
                    ),
                );
            }
        }
    }
    let custom_name = match (obj.get("custom_event_name"), event) {
        (None, Some(Event::Custom)) => {
            c.push(
                CapiCode::BadCustomEventName,
                "custom_event_name",
                "a custom event needs custom_event_name (e.g. quote_requested)",
            );
            None
        }
        (Some(n), Some(Event::Custom)) => {
            c.string(Some(n), "custom_event_name")
                .and_then(|n| match custom_event_name(n) {
                    Ok(lower) => Some(lower),
                    Err(why) => {
                        c.push(CapiCode::BadCustomEventName, "custom_event_name", why);
                        None
                    }
                })
        }
        (Some(_), Some(e)) => {
            c.push(
                CapiCode::BadCustomEventName,
                "custom_event_name",
                format!("custom_event_name belongs to custom events only, not to {e}"),
            );
            None
        }
        _ => None,
    };
    if let Some(o) = obj.get("oppref") {
        c.non_empty(Some(o), "oppref");
    }
    let action = obj.get("action_source").and_then(|a| {
        let name = c.string(Some(a), "action_source")?;
        ActionSource::parse(name).or_else(|| {
            c.push(
                CapiCode::BadActionSource,
                "action_source",
                format!(
                    "“{}” is not an action source: use {}",
                    clip(name),
                    ActionSource::names()
                ),
            );
            None
        })
    });
    if let Some(e) = event {
        if e.spec().mobile_app_only && action != Some(ActionSource::MobileApp) {
            c.push(
                CapiCode::BadActionSource,
                "action_source",
                format!("{e} is an app event: its action_source must be mobile_app"),
            );
        }
    }
    match obj.get("source_url") {
        Some(u) => {
            if let Some(s) = c.string(Some(u), "source_url") {
                let ok = url::Url::parse(s).is_ok_and(|p| p.host().is_some());
                if !ok {
                    c.push(
                        CapiCode::BadSourceUrl,
                        "source_url",
                        format!(
                            "“{}” is not an absolute URL with a scheme and a host",
                            clip(s)
                        ),
                    );
                }
            }
        }
        None if action == Some(ActionSource::Web) => c.push(
            CapiCode::MissingSourceUrl,
            "source_url",
            "source_url is missing: a web event needs the URL of the page where it happened",
        ),
        None => {}
    }
    if let Some(u) = obj.get("user") {
        c.user(u);
    }
    if let Some(o) = obj.get("opt_out") {
        if !o.is_boolean() {
            c.wrong_type("opt_out", "true or false", o);
        }
    }
    c.data(obj.get("data"), event);
    match (id, event) {
        (Some(id), Some(kind)) if c.problems.is_empty() => Ok(CapiEvent {
            id,
            kind,
            custom_event_name: custom_name,
            body: v.clone(),
        }),
        _ => Err(c.finish()),
    }
}
