//! A strict test double of OpenAI's Conversions API (`POST /v1/events?pid=…`), served on
//! loopback by the test process. It enforces every rule OpenAI's documentation states
//! (developers.openai.com/ads/conversions-api and supported-events; `shared/openai-ads.md` §3–4)
//! on its own — it shares no code with the product's checker — and refuses what the real
//! service would refuse: the key, the query, the content type, unknown members anywhere, types,
//! the time window, each event's data type, integer amounts, hashes as 64 lowercase hex, at
//! most 1,000 events, and one invalid event fails the whole batch. It deduplicates on pixel,
//! event name (a custom event's own name) and id, saves nothing for `validate_only`, and
//! answers what a test scripts first: 429 with `Retry-After` (and a 429 again to a call that
//! does not wait that long), a 503 after saving (the answer lost), or a refusal of chosen ids
//! (a rule utmforge cannot know). Every refusal a test did not script is a violation, and
//! `assert_no_violations` fails the test on it.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// What the double answers next, before judging the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scripted {
    /// 429 with `Retry-After: N` seconds; a call before then gets 429 again (a violation).
    RateLimited(u64),
    /// Judge the call, save it if valid, then answer 503 (the answer is lost).
    LostAnswer,
}

/// One call as received.
#[derive(Debug, Clone)]
pub struct Call {
    pub authorization: String,
    pub query: String,
    pub validate_only: bool,
    pub events: Vec<Value>,
    pub status: u16,
}

#[derive(Default)]
pub struct State_ {
    pub script: VecDeque<Scripted>,
    /// Ids the service refuses for reasons of its own (not a documented rule).
    pub refused_ids: HashSet<String>,
    pub calls: Vec<Call>,
    /// Saved events by (event name or custom event name, id): the first one received wins.
    pub saved: BTreeMap<(String, String), Value>,
    /// How often each saved key arrived (duplicates are ignored, as OpenAI does).
    pub received: BTreeMap<(String, String), usize>,
    /// Refusals no test asked for.
    pub violations: Vec<String>,
    retry_after: Option<Instant>,
}

#[derive(Clone)]
pub struct ConversionsApi {
    pub port: u16,
    pub pixel: String,
    pub key: String,
    state: Arc<Mutex<State_>>,
}

impl ConversionsApi {
    /// The double for `pixel` and the Conversions API `key`, on a free loopback port.
    pub fn start(pixel: &str, key: &str) -> ConversionsApi {
        let api = ConversionsApi {
            port: 0,
            pixel: pixel.to_owned(),
            key: key.to_owned(),
            state: Arc::new(Mutex::new(State_::default())),
        };
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let api = ConversionsApi { port, ..api };
        let app = Router::new()
            .route("/v1/events", post(receive))
            .with_state(api.clone());
        super::site::serve(listener, app);
        api
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/v1/events", self.port)
    }

    pub fn state(&self) -> MutexGuard<'_, State_> {
        self.state.lock().unwrap()
    }

    pub fn script(&self, answers: &[Scripted]) {
        self.state().script.extend(answers.iter().copied());
    }

    pub fn refuse_id(&self, id: &str) {
        self.state().refused_ids.insert(id.to_owned());
    }

    pub fn assert_no_violations(&self) {
        let s = self.state();
        assert!(
            s.violations.is_empty(),
            "the Conversions API would have refused:\n{}",
            s.violations.join("\n")
        );
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn error(status: StatusCode, message: String) -> Response {
    (
        status,
        Json(json!({"error": {"message": message, "type": "invalid_request_error"}})),
    )
        .into_response()
}

async fn receive(
    State(api): State<ConversionsApi>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let authorization = header("authorization");
    let parsed: Option<Value> = serde_json::from_slice(&body).ok();
    let mut state = api.state();
    let mut call = Call {
        authorization: authorization.clone(),
        query: query.clone().unwrap_or_default(),
        validate_only: parsed
            .as_ref()
            .and_then(|b| b.get("validate_only"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
        events: parsed
            .as_ref()
            .and_then(|b| b.get("events"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        status: 0,
    };
    let (status, response) = judge(&api, &mut state, &query, &headers, &authorization, parsed);
    call.status = status;
    state.calls.push(call);
    response
}

fn judge(
    api: &ConversionsApi,
    state: &mut State_,
    query: &Option<String>,
    headers: &HeaderMap,
    authorization: &str,
    body: Option<Value>,
) -> (u16, Response) {
    // A call that does not wait the Retry-After it was given is refused again.
    if let Some(until) = state.retry_after {
        if Instant::now() < until {
            state
                .violations
                .push("a call came before the Retry-After had passed".into());
            let mut r = error(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded".into());
            r.headers_mut().insert("retry-after", "1".parse().unwrap());
            return (429, r);
        }
        state.retry_after = None;
    }
    let scripted = state.script.pop_front();
    if let Some(Scripted::RateLimited(seconds)) = scripted {
        state.retry_after = Some(Instant::now() + Duration::from_secs(seconds));
        let mut r = error(StatusCode::TOO_MANY_REQUESTS, "Rate limit exceeded".into());
        r.headers_mut()
            .insert("retry-after", seconds.to_string().parse().unwrap());
        return (429, r);
    }
    let refuse = |state: &mut State_, status: StatusCode, message: String| {
        state.violations.push(format!("{status}: {message}"));
        (status.as_u16(), error(status, message))
    };
    if authorization != format!("Bearer {}", api.key) {
        return refuse(
            state,
            StatusCode::UNAUTHORIZED,
            "Missing or invalid SDK key in Authorization header.".into(),
        );
    }
    let expected_query = format!("pid={}", api.pixel);
    if query.as_deref() != Some(expected_query.as_str()) {
        return refuse(
            state,
            StatusCode::BAD_REQUEST,
            format!("the query must be exactly {expected_query}, not {query:?}"),
        );
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type != "application/json" {
        return refuse(
            state,
            StatusCode::BAD_REQUEST,
            format!("Content-Type must be application/json, not {content_type:?}"),
        );
    }
    let Some(Value::Object(body)) = body else {
        return refuse(
            state,
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object {validate_only, events}".into(),
        );
    };
    let mut problems = Vec::new();
    for key in body.keys() {
        if !["validate_only", "events", "integration_source"].contains(&key.as_str()) {
            problems.push(format!("unknown member {key} in the body"));
        }
    }
    if let Some(v) = body.get("validate_only") {
        if !v.is_boolean() {
            problems.push("validate_only must be a boolean".into());
        }
    }
    if let Some(s) = body.get("integration_source") {
        let ok = s.as_str().is_some_and(|s| {
            (1..=64).contains(&s.len())
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
                && s.as_bytes()[0].is_ascii_alphanumeric()
        });
        if !ok {
            problems.push("integration_source breaks its rules".into());
        }
    }
    let events = match body.get("events") {
        Some(Value::Array(events)) => events.clone(),
        _ => {
            problems.push("events must be an array".into());
            Vec::new()
        }
    };
    if events.len() > 1000 {
        problems.push(format!(
            "{} events: at most 1,000 per request",
            events.len()
        ));
    }
    let now = now_ms();
    for (i, event) in events.iter().enumerate() {
        for p in event_problems(event, now) {
            problems.push(format!("events[{i}]: {p}"));
        }
    }
    if !problems.is_empty() {
        // One invalid event fails the whole batch: nothing is saved.
        return refuse(state, StatusCode::BAD_REQUEST, problems.join("; "));
    }
    if let Some(i) = events.iter().position(|e| {
        state
            .refused_ids
            .contains(e["id"].as_str().unwrap_or_default())
    }) {
        // A refusal the test asked for: not a violation.
        let message = format!("events[{i}]: this event cannot be accepted");
        return (400, error(StatusCode::BAD_REQUEST, message));
    }
    let validate_only = body
        .get("validate_only")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if !validate_only {
        for e in &events {
            let name = e
                .get("custom_event_name")
                .and_then(Value::as_str)
                .map(str::to_lowercase)
                .unwrap_or_else(|| e["type"].as_str().unwrap().to_owned());
            let key = (name, e["id"].as_str().unwrap().to_owned());
            *state.received.entry(key.clone()).or_default() += 1;
            state.saved.entry(key).or_insert_with(|| e.clone());
        }
    }
    if scripted == Some(Scripted::LostAnswer) {
        return (
            503,
            error(StatusCode::SERVICE_UNAVAILABLE, "try again".into()),
        );
    }
    (200, Json(json!({"status": "ok"})).into_response())
}

const STANDARD: [(&str, &str, bool); 12] = [
    ("page_viewed", "contents", false),
    ("contents_viewed", "contents", false),
    ("items_added", "contents", false),
    ("checkout_started", "contents", false),
    ("order_created", "contents", false),
    ("lead_created", "customer_action", false),
    ("registration_completed", "customer_action", false),
    ("appointment_scheduled", "customer_action", false),
    ("subscription_created", "plan_enrollment", false),
    ("trial_started", "plan_enrollment", false),
    ("app_installed", "customer_action", true),
    ("app_opened", "customer_action", true),
];

fn is_hash(s: &Value) -> bool {
    s.as_str().is_some_and(|s| {
        s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

fn is_currency(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
}

fn custom_name_ok(n: &str) -> bool {
    let b = n.as_bytes();
    (1..=64).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && !STANDARD.iter().any(|(s, _, _)| *s == n.to_lowercase())
        && n.to_lowercase() != "custom"
}

/// Every documented rule one event breaks.
fn event_problems(event: &Value, now: i64) -> Vec<String> {
    let mut p = Vec::new();
    let Some(e) = event.as_object() else {
        return vec!["an event must be an object".into()];
    };
    const KEYS: [&str; 10] = [
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
    for k in e.keys() {
        if !KEYS.contains(&k.as_str()) {
            p.push(format!("unknown field {k}"));
        }
    }
    if !e
        .get("id")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
    {
        p.push("id must be a non-empty string".into());
    }
    let name = e.get("type").and_then(Value::as_str).unwrap_or_default();
    let standard = STANDARD.iter().find(|(s, _, _)| *s == name);
    let data_type = match (name, standard) {
        ("custom", _) => Some("custom"),
        (_, Some((_, t, _))) => Some(*t),
        _ => {
            p.push(format!("unsupported type {name:?}"));
            None
        }
    };
    match e.get("timestamp_ms").and_then(Value::as_i64) {
        None => p.push("timestamp_ms must be an integer".into()),
        Some(t) if t < now - 7 * 86_400_000 => p.push("timestamp_ms older than 7 days".into()),
        Some(t) if t > now + 600_000 => p.push("timestamp_ms more than 10 minutes ahead".into()),
        _ => {}
    }
    match (name, e.get("custom_event_name")) {
        ("custom", Some(Value::String(n))) if custom_name_ok(n) => {}
        ("custom", _) => p.push("custom events need a valid custom_event_name".into()),
        (_, Some(_)) => p.push("custom_event_name is only for custom events".into()),
        _ => {}
    }
    if let Some(o) = e.get("oppref") {
        if !o.as_str().is_some_and(|s| !s.is_empty()) {
            p.push("oppref must be a non-empty string".into());
        }
    }
    let action = e.get("action_source").map(|a| a.as_str().unwrap_or("?"));
    if let Some(a) = action {
        if ![
            "web",
            "mobile_app",
            "offline",
            "physical_store",
            "phone_call",
            "email",
            "other",
        ]
        .contains(&a)
        {
            p.push(format!("unknown action_source {a:?}"));
        }
    }
    if standard.is_some_and(|(_, _, app)| *app) && action != Some("mobile_app") {
        p.push("app events need action_source mobile_app".into());
    }
    match e.get("source_url") {
        Some(u) => {
            let ok = u
                .as_str()
                .and_then(|s| url::Url::parse(s).ok())
                .is_some_and(|u| u.host().is_some());
            if !ok {
                p.push("source_url must be an absolute URL".into());
            }
        }
        None if action == Some("web") => p.push("web events need source_url".into()),
        None => {}
    }
    if let Some(o) = e.get("opt_out") {
        if !o.is_boolean() {
            p.push("opt_out must be a boolean".into());
        }
    }
    if let Some(u) = e.get("user") {
        user_problems(u, &mut p);
    }
    match e.get("data") {
        Some(Value::Object(d)) => data_problems(d, data_type, &mut p),
        _ => p.push("data must be an object".into()),
    }
    p
}

fn user_problems(u: &Value, p: &mut Vec<String>) {
    let Some(u) = u.as_object() else {
        p.push("user must be an object".into());
        return;
    };
    const HASHED: [&str; 5] = [
        "emails_sha256",
        "phone_numbers_sha256",
        "external_ids_sha256",
        "first_names_sha256",
        "last_names_sha256",
    ];
    const LISTS: [&str; 4] = ["regions", "postal_codes", "cities", "countries"];
    for (k, v) in u {
        match k.as_str() {
            k if HASHED.contains(&k) => {
                if !v.as_array().is_some_and(|a| a.iter().all(is_hash)) {
                    p.push(format!("user.{k} must be a list of SHA-256 hex hashes"));
                }
            }
            k if LISTS.contains(&k) => {
                if !v.as_array().is_some_and(|a| {
                    a.iter()
                        .all(|s| s.as_str().is_some_and(|s| !s.trim().is_empty()))
                }) {
                    p.push(format!("user.{k} must be a list of strings"));
                }
            }
            "ip_address" => {
                if v.as_str()
                    .and_then(|s| s.parse::<std::net::IpAddr>().ok())
                    .is_none()
                {
                    p.push("user.ip_address must be an IP address".into());
                }
            }
            "user_agent" | "obref" | "android_advertising_id" => {
                if !v.as_str().is_some_and(|s| !s.trim().is_empty()) {
                    p.push(format!("user.{k} must be a non-empty string"));
                }
            }
            other => p.push(format!("unknown field user.{other}")),
        }
    }
}

fn data_problems(d: &Map<String, Value>, data_type: Option<&str>, p: &mut Vec<String>) {
    let given = d.get("type").and_then(Value::as_str);
    if given.is_none() {
        p.push("data.type is required".into());
    }
    if let (Some(g), Some(t)) = (given, data_type) {
        if g != t {
            p.push(format!("data.type {g} does not match the event ({t})"));
        }
    }
    let allowed: &[&str] = match given {
        Some("contents") => &["type", "amount", "currency", "contents"],
        Some("customer_action") => &["type", "amount", "currency"],
        Some("plan_enrollment") => &["type", "plan_id", "amount", "currency", "contents"],
        Some("custom") => &[],
        _ => &["type"],
    };
    if given != Some("custom") {
        for k in d.keys() {
            if !allowed.contains(&k.as_str()) {
                p.push(format!("unknown field data.{k}"));
            }
        }
    }
    if let Some(a) = d.get("amount") {
        if a.as_i64().is_none() {
            p.push("data.amount must be an integer".into());
        }
        if !d.get("currency").is_some_and(is_currency) {
            p.push("data.currency is required with amount".into());
        }
    }
    if let Some(c) = d.get("currency") {
        if !is_currency(c) {
            p.push("data.currency must be an ISO 4217 code".into());
        }
    }
    if let Some(plan) = d.get("plan_id") {
        if !plan.is_string() {
            p.push("data.plan_id must be a string".into());
        }
    }
    if let Some(contents) = d.get("contents") {
        let Some(items) = contents.as_array() else {
            p.push("data.contents must be an array".into());
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let Some(item) = item.as_object() else {
                p.push(format!("data.contents[{i}] must be an object"));
                continue;
            };
            for (k, v) in item {
                let ok = match k.as_str() {
                    "id" | "name" | "group_id" => v.is_string(),
                    "content_type" => v.as_str().is_some_and(|s| !s.is_empty()),
                    "quantity" | "amount" => v.as_i64().is_some(),
                    "currency" => is_currency(v),
                    "variant_dict" => v
                        .as_object()
                        .is_some_and(|m| m.values().all(Value::is_string)),
                    _ => false,
                };
                if !ok {
                    p.push(format!("data.contents[{i}].{k} is not taken"));
                }
            }
        }
    }
}
