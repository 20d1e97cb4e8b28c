//! The REST API under `/api/v1`: JSON in and out. Each handler translates HTTP to one use case
//! of `utmforge-service` and back; the status of every error comes from the service's
//! `Error::status()`. Errors are `{"error": {"code", "message", "field", "all"?}}`.
//! The OpenAPI 3.1 document at `/api/v1/openapi.json` is generated from these handlers.

mod activity;
mod ads;
mod body;
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
    extract::FromRequestParts,
    http::{header, request::Parts, StatusCode},
    response::{IntoResponse, Response},
    Json, Router,
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use utmforge_core::{Code, Field, Notice};
use utmforge_service::{documents::File, Ctx, Error, ErrorKind};
use utoipa::ToSchema;

pub use body::{Body, Change, JsonObject, Replace, Resource};
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
        .merge(ads::router())
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

pub(crate) fn body_error(e: axum::extract::rejection::BytesRejection, limit: usize) -> ApiError {
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
// Extractors: query strings whose every failure is a JSON error (bodies: `body`)
// ---------------------------------------------------------------------------------------------

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
        axum::body::Body::from(file.bytes),
    )
        .into_response()
}
