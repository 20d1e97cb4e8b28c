//! The offline-conversions sheet `utmforge capi send` reads: one conversion a row, in columns a
//! person fills from a CRM or an order export. Each row becomes an event in the API's shape:
//! the value stays human in the sheet (149.00) and is sent as the integer `amount` in the
//! currency's minor unit (14900); email, phone, external id and names are normalized and
//! hashed here ([`super::keys`]); the rest is sent as written.

use super::keys;
use super::{check_all, clip, event_id, parse_timestamp, CapiCode, Checked, Problem};
use super::{MAX_CSV_BYTES, MAX_CSV_ROWS, MAX_USER};
use crate::events::{DataType, Event};
use crate::measure::{currency_of, minor_units};
use serde_json::{json, Map, Value};
use std::io::Read;

/// The columns `capi send` reads, in the order the report explains them. `timestamp_ms` is
/// taken for `timestamp`, `postal_code` for `zip_code`.
pub const CSV_COLUMNS: [&str; 25] = [
    "id",
    "type",
    "custom_event_name",
    "timestamp",
    "user",
    "action_source",
    "source_url",
    "oppref",
    "opt_out",
    "value",
    "currency",
    "plan_id",
    "contents",
    "email",
    "phone",
    "external_id",
    "first_name",
    "last_name",
    "country",
    "city",
    "zip_code",
    "region",
    "ip_address",
    "user_agent",
    "obref",
];

const ALIASES: [(&str, &str); 2] = [("timestamp_ms", "timestamp"), ("postal_code", "zip_code")];

/// A sheet column, the `user` member it fills, and how its value is normalized or checked.
type MatchColumn = (
    &'static str,
    &'static str,
    fn(&str) -> Result<String, String>,
);

/// Columns whose values are hashed before they are sent, and the `user` list each goes to.
const HASHED: [MatchColumn; 5] = [
    ("email", "emails_sha256", keys::email),
    ("phone", "phone_numbers_sha256", keys::phone),
    ("external_id", "external_ids_sha256", keys::external_id),
    ("first_name", "first_names_sha256", keys::name),
    ("last_name", "last_names_sha256", keys::name),
];

/// Columns sent raw in a `user` list.
const RAW_LISTS: [MatchColumn; 4] = [
    ("country", "countries", keys::country),
    ("city", "cities", keys::city),
    ("zip_code", "postal_codes", keys::postal_code),
    ("region", "regions", keys::city),
];

/// One row's cells by column (only the non-empty ones, trimmed).
pub type Row = std::collections::HashMap<&'static str, String>;

/// The event a row describes, in the API's shape, or the problems of making it.
pub fn row_event(row: &Row) -> Result<Value, Vec<Problem>> {
    let mut problems = Vec::new();
    let cell = |name: &str| row.get(name).map(String::as_str);
    let mut event = Map::new();

    let kind_text = cell("type");
    let kind = kind_text.and_then(Event::parse);
    match kind_text {
        Some(t) if kind.is_none() => problems.push(Problem::new(
            CapiCode::UnknownType,
            "type",
            format!(
                "“{}” is not an event OpenAI takes: use one of {}",
                clip(t),
                Event::names()
            ),
        )),
        Some(t) => {
            event.insert("type".into(), json!(t));
        }
        None => problems.push(Problem::new(
            CapiCode::Required,
            "type",
            format!("the event type is empty: give one of {}", Event::names()),
        )),
    }
    let timestamp = match cell("timestamp") {
        None => {
            problems.push(Problem::new(CapiCode::Required, "timestamp", "the timestamp is empty: give when the conversion happened (milliseconds since 1970 or ISO 8601 such as 2026-11-26T14:30:00Z)"));
            None
        }
        Some(t) => match parse_timestamp(t) {
            Ok(ms) => {
                event.insert("timestamp_ms".into(), json!(ms));
                Some(ms)
            }
            Err(why) => {
                problems.push(Problem::new(CapiCode::BadTimestamp, "timestamp", why));
                None
            }
        },
    };
    let user = cell("user");
    if let Some(u) = user {
        let plain = u.len() <= MAX_USER
            && u.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !plain {
            problems.push(Problem::new(
                CapiCode::BadUser,
                "user",
                format!(
                    "“{}” is not a plain user id (letters, digits, . _ -, at most {MAX_USER}): it becomes part of the event id sent to OpenAI, so use your own customer number, never an email or a name (those go in the email and name columns, hashed)",
                    clip(u)
                ),
            ));
        }
    }
    match (cell("id"), user, kind, timestamp) {
        (Some(id), _, _, _) => {
            event.insert("id".into(), json!(id));
        }
        (None, Some(u), Some(k), Some(ts)) => {
            event.insert("id".into(), json!(event_id(k, u, ts)));
        }
        (None, None, _, _) => problems.push(Problem::new(
            CapiCode::BadId,
            "id",
            "no id and no user: give the event id the pixel used, or a user id to make the id TYPE_USER_TIMESTAMPMS from",
        )),
        (None, Some(_), _, _) => {}
    }
    for key in ["custom_event_name", "action_source", "source_url", "oppref"] {
        if let Some(v) = cell(key) {
            event.insert(key.into(), json!(v));
        }
    }
    if let Some(o) = cell("opt_out") {
        match o.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => {
                event.insert("opt_out".into(), json!(true));
            }
            "false" | "no" | "0" => {
                event.insert("opt_out".into(), json!(false));
            }
            _ => problems.push(Problem::new(
                CapiCode::WrongType,
                "opt_out",
                format!("“{}” is not true or false", clip(o)),
            )),
        }
    }

    let mut data = Map::new();
    let data_type = kind.map_or(DataType::Contents, Event::data_type);
    data.insert("type".into(), json!(data_type.as_str()));
    let currency = cell("currency").and_then(|c| match currency_of(c) {
        Ok(c) => Some(c),
        Err(n) => {
            problems.push(Problem::new(CapiCode::BadCurrency, "currency", n.message));
            None
        }
    });
    if let Some(c) = &currency {
        data.insert("currency".into(), json!(c));
    }
    if let Some(v) = cell("value") {
        match (&currency, cell("currency")) {
            (Some(c), _) => match minor_units(v, c) {
                Ok(amount) => {
                    data.insert("amount".into(), json!(amount));
                }
                Err(why) => problems.push(Problem::new(CapiCode::BadValue, "value", why)),
            },
            (None, None) => problems.push(Problem::new(
                CapiCode::BadCurrency,
                "currency",
                "the value has no currency: give its ISO 4217 code (USD, EUR, …)",
            )),
            (None, Some(_)) => {}
        }
    }
    if let Some(p) = cell("plan_id") {
        data.insert("plan_id".into(), json!(p));
    }
    if let Some(c) = cell("contents") {
        match serde_json::from_str::<Value>(c) {
            Ok(v @ Value::Array(_)) => {
                data.insert("contents".into(), v);
            }
            _ => problems.push(Problem::new(
                CapiCode::BadContents,
                "contents",
                "contents must be a JSON array of items, e.g. [{\"id\": \"sku-1\", \"content_type\": \"product\", \"quantity\": 2, \"amount\": 4950}]",
            )),
        }
    }
    event.insert("data".into(), Value::Object(data));

    let mut user_keys = Map::new();
    for (column, key, normalize) in HASHED {
        if let Some(raw) = cell(column) {
            match normalize(raw) {
                Ok(n) => {
                    user_keys.insert(key.into(), json!([keys::sha256_hex(&n)]));
                }
                Err(why) => problems.push(Problem::new(CapiCode::BadMatchKey, column, why)),
            }
        }
    }
    for (column, key, check) in RAW_LISTS {
        if let Some(raw) = cell(column) {
            match check(raw) {
                Ok(v) => {
                    user_keys.insert(key.into(), json!([v]));
                }
                Err(why) => problems.push(Problem::new(CapiCode::BadMatchKey, column, why)),
            }
        }
    }
    if let Some(ip) = cell("ip_address") {
        match keys::ip_address(ip) {
            Ok(ip) => {
                user_keys.insert("ip_address".into(), json!(ip));
            }
            Err(why) => problems.push(Problem::new(CapiCode::BadMatchKey, "ip_address", why)),
        }
    }
    for key in ["user_agent", "obref"] {
        if let Some(v) = cell(key) {
            user_keys.insert(key.into(), json!(v));
        }
    }
    if !user_keys.is_empty() {
        event.insert("user".into(), Value::Object(user_keys));
    }
    if problems.is_empty() {
        Ok(Value::Object(event))
    } else {
        Err(problems)
    }
}

/// The sheet column a problem of the event made from a row belongs to.
fn column_of(field: &str) -> String {
    let head = field.split(['.', '[']).next().unwrap_or(field);
    let column = match field {
        "timestamp_ms" => "timestamp",
        "data.type" => "type",
        "data.amount" => "value",
        "data.currency" => "currency",
        "data.plan_id" => "plan_id",
        f if f.starts_with("data.contents") => "contents",
        f if f.starts_with("user.") => {
            let key = f[5..].split('[').next().unwrap_or_default();
            return HASHED
                .iter()
                .map(|(c, k, _)| (*c, *k))
                .chain(RAW_LISTS.iter().map(|(c, k, _)| (*c, *k)))
                .find(|(_, k)| *k == key)
                .map_or(key, |(c, _)| c)
                .to_string();
        }
        _ => head,
    };
    column.to_string()
}

/// Checks every row (its problems named by sheet column).
pub fn check_rows(rows: Vec<(u64, Result<Value, Vec<Problem>>)>, now_ms: i64) -> Vec<Checked> {
    let mut checked = check_all(rows, now_ms);
    for c in &mut checked {
        if let Err(problems) = &mut c.result {
            for p in problems {
                p.field = column_of(&p.field);
            }
        }
    }
    checked
}

/// A CSV file read: each data row as an event (or its problems) with its line, and the
/// columns not used.
#[derive(Debug, Clone, Default)]
pub struct CsvFile {
    pub rows: Vec<(u64, Result<Value, Vec<Problem>>)>,
    pub ignored_columns: Vec<String>,
}

/// Reads an offline-conversions CSV. Errors only for the file as a whole (no header, a
/// required column missing, too big); a bad row is reported by [`check_rows`].
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
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(format!("the CSV header cannot be read: {e}")),
        None => return Err("the CSV is empty: it needs a header row with the columns type and timestamp (and id or user, value, currency, action_source, source_url, email, …)".to_string()),
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| {
            let name = String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase();
            ALIASES
                .iter()
                .find(|(alias, _)| *alias == name)
                .map_or(name, |(_, column)| column.to_string())
        })
        .collect();
    let find = |name: &str| names.iter().position(|h| h == name);
    let missing: Vec<&str> = ["type", "timestamp"]
        .into_iter()
        .filter(|c| find(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the CSV header lacks the column{} {}: it needs type, timestamp, and id or user",
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
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let mut row = Row::new();
        let mut unreadable = Vec::new();
        for (col, name) in CSV_COLUMNS.iter().enumerate() {
            let Some(bytes) = index[col].and_then(|i| record.get(i)) else {
                continue;
            };
            match std::str::from_utf8(bytes) {
                Ok(s) if !s.trim().is_empty() => {
                    row.insert(name, s.trim().to_string());
                }
                Ok(_) => {}
                Err(_) => unreadable.push(Problem::new(
                    CapiCode::WrongType,
                    name,
                    "not valid UTF-8: save the file as CSV UTF-8",
                )),
            }
        }
        let event = if unreadable.is_empty() {
            row_event(&row)
        } else {
            Err(unreadable)
        };
        rows.push((line, event));
    }
    Ok(CsvFile {
        rows,
        ignored_columns,
    })
}
