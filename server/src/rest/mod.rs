//! The REST API under `/api/v1`: JSON in and out. Each handler translates HTTP to one use case
//! of `utmforge-service` and back; the status of every error comes from the service's
//! `Error::status()`. Errors are `{"error": {"code", "message", "field", "all"?}}`.
//! The OpenAPI 3.1 document at `/api/v1/openapi.json` is generated from these handlers.

mod activity;
mod campaigns;
mod checks;
mod creatives;
mod ga4;
mod links;
mod measure;
mod openapi;
mod settings;
mod tagging;

use axum::{
    body::{Body, Bytes},
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, StatusCode},
    response::{IntoResponse, Response},
    Json, Router,
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::{Map, Value};
use utmforge_core::{Code, Field, Notice};
use utmforge_service::{documents::File, Ctx, Error, ErrorKind};
use utoipa::ToSchema;

pub use openapi::ApiDoc;

/// Largest JSON body.
pub const JSON_LIMIT: usize = 1 << 20;
/// Largest CSV body (an imported sheet).
pub const CSV_LIMIT: usize = utmforge_service::MAX_SHEET_BYTES;

/// The API's routes, to nest under `/api/v1`.
pub fn routes<S: Clone + Send + Sync + 'static>(ctx: Ctx) -> Router<S> {
    Router::new()
        .merge(campaigns::router())
        .merge(activity::router())
        .merge(checks::router())
        .merge(creatives::router())
        .merge(tagging::router())
        .merge(ga4::router())
        .merge(measure::router())
        .merge(settings::router())
        .merge(links::router())
        .merge(openapi::router())
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(JSON_LIMIT))
        .with_state(ctx)
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// `{"error": {"code", "message", "field"}}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable kebab-case code (`invalid-url`, `duplicate`, `stale`, `malformed-json`, …).
    #[schema(example = "invalid-url")]
    pub code: String,
    pub message: String,
    /// The input field concerned; `null` when the problem is not about one field.
    pub field: Option<Field>,
    /// Every problem, when the input broke several rules (422).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<Notice>,
}

/// A service error on its way out as JSON, with the status the service chose.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = e.status();
        let body = ErrorBody {
            error: ErrorDetail {
                code: e.code.into_owned(),
                message: e.message,
                field: e.field,
                all: if e.notices.len() > 1 {
                    e.notices
                } else {
                    Vec::new()
                },
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = e.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response
    }
}

/// The use cases' context for this request: the server's store and clock, and the actor the
/// authentication middleware found (nobody when it found none).
pub struct Asker(pub Ctx);

impl FromRequestParts<Ctx> for Asker {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &Ctx) -> Result<Self, Self::Rejection> {
        let actor = parts
            .extensions
            .get::<utmforge_service::Actor>()
            .cloned()
            .unwrap_or(utmforge_service::Actor::Anonymous);
        Ok(Asker(state.with_actor(actor)))
    }
}

/// 415 unless the request's `Content-Type` is one of `accepted` (parameters such as
/// `charset` aside): a cross-site form cannot send these types without a preflight.
pub fn require_content_type(headers: &header::HeaderMap, accepted: &[&str]) -> ApiResult<()> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = given.split(';').next().unwrap_or("").trim();
    if accepted.iter().any(|a| essence.eq_ignore_ascii_case(a)) {
        return Ok(());
    }
    Err(ApiError(Error::new(
        ErrorKind::UnsupportedMediaType,
        "unsupported-media-type",
        format!(
            "send the body as {} (Content-Type was {})",
            accepted.join(" or "),
            if given.is_empty() { "missing" } else { given }
        ),
    )))
}

pub type ApiResult<T> = Result<T, ApiError>;

async fn not_found() -> ApiError {
    ApiError(Error::new(
        ErrorKind::NotFound,
        "no-such-endpoint",
        "no such endpoint: see /api/v1/openapi.json",
    ))
}

fn body_error(e: axum::extract::rejection::BytesRejection, limit: usize) -> ApiError {
    ApiError(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Error::new(
            ErrorKind::TooLarge,
            "body-too-large",
            format!("the request body is over {} MiB", limit >> 20),
        )
    } else {
        Error::new(ErrorKind::Malformed, "unreadable-body", e.body_text())
    })
}

// ---------------------------------------------------------------------------------------------
// Extractors: bodies and query strings whose every failure is a JSON error
// ---------------------------------------------------------------------------------------------

/// A JSON object body: 415 unless it says `application/json`, 413 over the limit, 400 when it
/// is not JSON, 422 when it is not an object.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        require_content_type(req.headers(), &["application/json"])?;
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| body_error(e, JSON_LIMIT))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError(Error::new(
                ErrorKind::Malformed,
                "malformed-json",
                "the request has no body: send a JSON object",
            )));
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(JsonObject(map)),
            Ok(_) => Err(ApiError(Error::invalid(vec![Notice::new(
                Code::Required,
                Field::Body,
                "the body must be a JSON object",
            )]))),
            Err(e) => Err(ApiError(Error::new(
                ErrorKind::Malformed,
                "malformed-json",
                format!("the body is not valid JSON: {e}"),
            ))),
        }
    }
}

/// The input field a JSON member feeds, for error messages.
fn field_of(name: &str) -> Field {
    match name {
        "name" => Field::Name,
        "slug" | "campaign" => Field::Campaign,
        "buying_model" | "medium" => Field::Medium,
        "topic" | "term" => Field::Term,
        "landing_url" | "url" => Field::Url,
        "conversion" => Field::Conversion,
        "status" => Field::Status,
        "notes" => Field::Notes,
        "version" => Field::Version,
        "variant" | "content" => Field::Content,
        "headline" => Field::Headline,
        "id" => Field::Id,
        "urls" => Field::Urls,
        _ => Field::Body,
    }
}

/// Reads `map` as a `T` whose members are among `allowed`, with every one of `required`:
/// an unknown member or a missing required one is a 422 that names each of them, and so is a
/// member of the wrong type.
pub fn strict<T: DeserializeOwned>(
    mut map: Map<String, Value>,
    allowed: &[&str],
    required: &[&str],
) -> ApiResult<T> {
    // `null` for a member that may be left out means "left out".
    map.retain(|key, value| {
        !(value.is_null() && allowed.contains(&key.as_str()) && !required.contains(&key.as_str()))
    });
    // JSON has one number type: `3.0` is the integer 3 (a version, say).
    for value in map.values_mut() {
        if let Some(f) = value
            .as_f64()
            .filter(|f| value.is_f64() && f.fract() == 0.0 && f.abs() < 9e15)
        {
            *value = Value::from(f as i64);
        }
    }
    let mut notices = Vec::new();
    for key in map.keys().filter(|k| !allowed.contains(&k.as_str())) {
        notices.push(Notice::new(
            Code::UnknownField,
            Field::Body,
            format!(
                "unknown field “{}”: the fields are {}",
                key.chars().take(60).collect::<String>(),
                allowed.join(", ")
            ),
        ));
    }
    for key in required.iter().filter(|k| !map.contains_key(**k)) {
        notices.push(Notice::new(
            Code::Required,
            field_of(key),
            format!("{key} is required"),
        ));
    }
    if !notices.is_empty() {
        return Err(ApiError(Error::invalid(notices)));
    }
    match serde_json::from_value::<T>(Value::Object(map.clone())) {
        Ok(value) => Ok(value),
        Err(e) => {
            // Name the member of the wrong type: the one without which the rest reads (or
            // only misses it).
            let culprit = map.keys().find(|key| {
                let mut without = map.clone();
                without.remove(key.as_str());
                match serde_json::from_value::<T>(Value::Object(without)) {
                    Ok(_) => true,
                    Err(e) => e.to_string().contains(&format!("missing field `{key}`")),
                }
            });
            let field = culprit.map_or(Field::Body, |k| field_of(k));
            let name = culprit.map_or(String::new(), |k| format!("{k}: "));
            Err(ApiError(Error::invalid(vec![Notice::new(
                Code::NotAllowed,
                field,
                format!("{name}{e}"),
            )])))
        }
    }
}

/// A change based on the `version` it read, and the members of `T` beside it.
#[derive(Deserialize)]
pub struct Versioned<T> {
    pub version: i64,
    /// Confirms a change to an active campaign's live links (else 409 `live-link-change`).
    #[serde(default)]
    pub confirm_live_change: bool,
    #[serde(flatten)]
    pub body: T,
}

/// Reads a body of `fields` and `version`: with `every_field` (PUT) all of them are required,
/// else (PATCH) only `version`.
/// A PUT body that may be the representation GET answered, edited: its read-only members
/// (`read_only`: the id, the times, what the server derives) are ignored, and `null` for a field
/// GET answers as nullable (`nullable`, e.g. `"topic": null`) means empty. So a client's
/// GET → edit → PUT round trip is accepted as it is.
pub fn representation(
    mut map: Map<String, Value>,
    read_only: &[&str],
    nullable: &[&str],
) -> Map<String, Value> {
    map.retain(|key, _| !read_only.contains(&key.as_str()));
    for key in nullable {
        if let Some(value) = map.get_mut(*key) {
            if value.is_null() {
                *value = Value::String(String::new());
            }
        }
    }
    map
}

pub fn versioned<T: DeserializeOwned>(
    map: Map<String, Value>,
    fields: &[&str],
    every_field: bool,
) -> ApiResult<Versioned<T>> {
    let allowed: Vec<&str> = ["version", "confirm_live_change"]
        .into_iter()
        .chain(fields.iter().copied())
        .collect();
    let required: Vec<&str> = if every_field {
        allowed
            .iter()
            .copied()
            .filter(|f| *f != "confirm_live_change")
            .collect()
    } else {
        vec!["version"]
    };
    strict(map, &allowed, &required)
}

/// A query string: a parameter that cannot be read is a 422 JSON error that names it.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e| {
                let text = e.body_text();
                let field = if text.contains("version") {
                    Field::Version
                } else if text.contains("status") {
                    Field::Status
                } else {
                    Field::Body
                };
                ApiError(Error::invalid(vec![Notice::new(
                    Code::NotAllowed,
                    field,
                    format!(
                        "the query string cannot be read: {}",
                        text.trim_start_matches("Failed to deserialize query string: ")
                    ),
                )]))
            })
    }
}

/// The `version` a change or delete is based on: required.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// The `version` as read; a newer one on the server means 409.
    #[param(required = true, value_type = i64)]
    pub version: Option<i64>,
}

impl VersionQuery {
    pub fn required(self) -> ApiResult<i64> {
        self.version.ok_or_else(|| {
            ApiError(Error::invalid(vec![Notice::new(
                Code::Required,
                Field::Version,
                "give the version you read: ?version=N (a newer one on the server means someone else changed it)",
            )]))
        })
    }
}

/// A file to download: its type, and `Content-Disposition: attachment` with its name.
pub fn attachment(file: File) -> Response {
    (
        [
            (header::CONTENT_TYPE, file.content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file.filename),
            ),
        ],
        Body::from(file.bytes),
    )
        .into_response()
}
