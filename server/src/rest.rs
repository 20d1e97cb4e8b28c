//! The REST API under `/api/v1`: JSON in and out, every rule from core, every row through the
//! store. Errors are `{"error": {"code", "message", "field"}}` with 400 (malformed), 404, 409
//! (duplicate, stale version), 413 (body over 1 MiB; 10 MiB for CSV) or 422 (a rule broken).
//! The OpenAPI 3.1 document at `/api/v1/openapi.json` is generated from these handlers.

use crate::csv_stream::RecordWriter;
use axum::{
    body::{Body, Bytes},
    extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::{json, Value};
use utmforge_core::{
    export, ga4, lint, tag, BuyingModel, Campaign, CampaignDraft, CampaignStatus, Code, Creative,
    CreativeDraft, Field, LintReport, Notice, TagRequest, TaggedUrl, MAX_LINT_URLS,
};
use utmforge_store::{Store, StoreError};
use utoipa::{OpenApi, ToSchema};

/// Largest JSON body.
pub const JSON_LIMIT: usize = 1 << 20;
/// Largest CSV body.
pub const CSV_LIMIT: usize = 10 << 20;

/// The API's routes, to nest under `/api/v1`.
pub fn routes<S: Clone + Send + Sync + 'static>(store: Store) -> Router<S> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/campaigns", get(list_campaigns).post(create_campaign))
        .route(
            "/campaigns/{id}",
            get(get_campaign)
                .put(update_campaign)
                .delete(delete_campaign),
        )
        .route(
            "/campaigns/{id}/creatives",
            get(list_creatives).post(create_creative),
        )
        .route(
            "/creatives/{id}",
            get(get_creative)
                .put(update_creative)
                .delete(delete_creative),
        )
        .route("/tag", post(tag_url))
        .route("/lint", post(lint_urls))
        .route("/ga4/channel-group", get(ga4_channel_group))
        .route("/campaigns/{id}/ga4/funnel", get(ga4_funnel))
        .route("/campaigns/{id}/ga4/report", get(ga4_report))
        .route(
            "/campaigns/{id}/import",
            post(import_creatives).layer(DefaultBodyLimit::max(CSV_LIMIT)),
        )
        .route("/campaigns/{id}/export.csv", get(export_campaign))
        .route("/export.csv", get(export_all))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .with_state(store)
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// `{"error": {"code", "message", "field"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable kebab-case code (`invalid-url`, `duplicate`, `stale`, `malformed-json`, …).
    pub code: String,
    pub message: String,
    /// The input field concerned; `null` when the problem is not about one field.
    pub field: Option<Field>,
    /// Every problem, when the input broke several rules (422).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<Notice>,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    detail: ErrorDetail,
}

impl ApiError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            detail: ErrorDetail {
                code: code.into(),
                message: message.into(),
                field: None,
                all: Vec::new(),
            },
        }
    }

    /// Broken rules: 422, the first one up front, all of them in `all`.
    fn invalid(notices: Vec<Notice>) -> Self {
        let first = notices
            .first()
            .cloned()
            .unwrap_or_else(|| Notice::new(Code::Required, Field::Name, "the input is not valid"));
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            detail: ErrorDetail {
                code: first.code.as_str().into(),
                message: first.message,
                field: Some(first.field),
                all: if notices.len() > 1 {
                    notices
                } else {
                    Vec::new()
                },
            },
        }
    }

    fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            Code::NotFound.as_str(),
            format!("{what} does not exist (any more)"),
        )
    }

    fn store(what: &'static str) -> impl Fn(StoreError) -> ApiError {
        move |e| match e {
            StoreError::Conflict(n) => ApiError {
                status: StatusCode::CONFLICT,
                detail: ErrorDetail {
                    code: n.code.as_str().into(),
                    message: n.message,
                    field: Some(n.field),
                    all: Vec::new(),
                },
            },
            StoreError::NotFound => ApiError::not_found(what),
            other => {
                tracing::error!(error = %other, "API: store call failed");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the database failed; try again",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: self.detail })).into_response()
    }
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no-such-endpoint",
        "no such endpoint: see /api/v1/openapi.json",
    )
}

/// A JSON body: 413 over the limit, 400 when it is not JSON, 422 when it is JSON of the wrong
/// shape. The content type is not required (curl users forget it).
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body-too-large",
                    format!("the request body is over {} MiB", JSON_LIMIT >> 20),
                )
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "unreadable-body", e.body_text())
            }
        })?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            use serde_json::error::Category;
            match e.classify() {
                Category::Data => ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-body",
                    format!("the JSON does not have the expected shape: {e}"),
                ),
                _ => ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "malformed-json",
                    format!("the body is not valid JSON: {e}"),
                ),
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Campaigns and creatives
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Only campaigns with this status: draft, active, paused, archived.
    status: Option<String>,
}

/// A campaign as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignListItem {
    #[serde(flatten)]
    pub campaign: Campaign,
    pub creative_count: i64,
}

#[utoipa::path(get, path = "/campaigns", tag = "campaigns", params(ListQuery),
    responses((status = 200, body = Vec<CampaignListItem>), (status = 422, body = ErrorBody)))]
async fn list_campaigns(
    State(store): State<Store>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<CampaignListItem>>, ApiError> {
    let status = match query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(s.parse::<CampaignStatus>().map_err(|_| {
            ApiError::invalid(vec![Notice::new(
                Code::NotAllowed,
                Field::Status,
                format!("status “{s}” is not one of draft, active, paused, archived"),
            )])
        })?),
    };
    let rows = store
        .list_campaigns(status)
        .await
        .map_err(ApiError::store("the list"))?;
    Ok(Json(
        rows.into_iter()
            .map(|s| CampaignListItem {
                campaign: s.campaign,
                creative_count: s.creative_count,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/campaigns", tag = "campaigns", request_body = CampaignDraft,
    responses((status = 201, body = Campaign), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_campaign(
    State(store): State<Store>,
    JsonBody(draft): JsonBody<CampaignDraft>,
) -> Result<(StatusCode, Json<Campaign>), ApiError> {
    let valid = draft.validate().map_err(ApiError::invalid)?;
    let campaign = store
        .create_campaign(&valid)
        .await
        .map_err(ApiError::store("the campaign"))?;
    Ok((StatusCode::CREATED, Json(campaign)))
}

#[utoipa::path(get, path = "/campaigns/{id}", tag = "campaigns",
    responses((status = 200, body = Campaign), (status = 404, body = ErrorBody)))]
async fn get_campaign(
    State(store): State<Store>,
    Path(id): Path<String>,
) -> Result<Json<Campaign>, ApiError> {
    store
        .get_campaign(&id)
        .await
        .map(Json)
        .map_err(ApiError::store("this campaign"))
}

/// An update: every field of the campaign, and the `version` it was read at.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CampaignUpdate {
    /// The `version` of the campaign as read; a newer one on the server means 409.
    pub version: i64,
    #[serde(flatten)]
    pub draft: CampaignDraft,
}

#[utoipa::path(put, path = "/campaigns/{id}", tag = "campaigns", request_body = CampaignUpdate,
    responses((status = 200, body = Campaign), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_campaign(
    State(store): State<Store>,
    Path(id): Path<String>,
    JsonBody(update): JsonBody<CampaignUpdate>,
) -> Result<Json<Campaign>, ApiError> {
    let valid = update.draft.validate().map_err(ApiError::invalid)?;
    store
        .update_campaign(&id, update.version, &valid)
        .await
        .map(Json)
        .map_err(ApiError::store("this campaign"))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct VersionQuery {
    /// The `version` as read; a newer one on the server means 409.
    version: i64,
}

#[utoipa::path(delete, path = "/campaigns/{id}", tag = "campaigns", params(VersionQuery),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_campaign(
    State(store): State<Store>,
    Path(id): Path<String>,
    version: Result<Query<VersionQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<StatusCode, ApiError> {
    let version = version_param(version)?;
    store
        .delete_campaign(&id, version)
        .await
        .map_err(ApiError::store("this campaign"))?;
    Ok(StatusCode::NO_CONTENT)
}

fn version_param(
    q: Result<Query<VersionQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<i64, ApiError> {
    q.map(|Query(v)| v.version).map_err(|_| {
        ApiError::invalid(vec![Notice::new(
            Code::Required,
            Field::Version,
            "give the version you read: ?version=N (a newer one on the server means someone else changed it)",
        )])
    })
}

/// A creative with the URL core computes for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreativeWithUrl {
    #[serde(flatten)]
    pub creative: Creative,
    /// The tagged URL, absent when it cannot be built (see `error`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub warnings: Vec<Notice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

fn with_url(creative: Creative, campaign: &Campaign) -> CreativeWithUrl {
    match creative.tagged_url(campaign) {
        Ok(t) => CreativeWithUrl {
            creative,
            url: Some(t.url),
            warnings: t.warnings,
            error: None,
        },
        Err(e) => CreativeWithUrl {
            creative,
            url: None,
            warnings: Vec::new(),
            error: Some(e.to_string()),
        },
    }
}

#[utoipa::path(get, path = "/campaigns/{id}/creatives", tag = "creatives",
    responses((status = 200, body = Vec<CreativeWithUrl>), (status = 404, body = ErrorBody)))]
async fn list_creatives(
    State(store): State<Store>,
    Path(id): Path<String>,
) -> Result<Json<Vec<CreativeWithUrl>>, ApiError> {
    let campaign = store
        .get_campaign(&id)
        .await
        .map_err(ApiError::store("this campaign"))?;
    let creatives = store
        .list_creatives(&id)
        .await
        .map_err(ApiError::store("this campaign"))?;
    Ok(Json(
        creatives
            .into_iter()
            .map(|k| with_url(k, &campaign))
            .collect(),
    ))
}

#[utoipa::path(post, path = "/campaigns/{id}/creatives", tag = "creatives", request_body = CreativeDraft,
    responses((status = 201, body = CreativeWithUrl), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_creative(
    State(store): State<Store>,
    Path(id): Path<String>,
    JsonBody(draft): JsonBody<CreativeDraft>,
) -> Result<(StatusCode, Json<CreativeWithUrl>), ApiError> {
    let campaign = store
        .get_campaign(&id)
        .await
        .map_err(ApiError::store("this campaign"))?;
    let valid = draft.validate(&campaign).map_err(ApiError::invalid)?;
    let creative = store
        .create_creative(&id, &valid)
        .await
        .map_err(ApiError::store("this campaign"))?;
    Ok((StatusCode::CREATED, Json(with_url(creative, &campaign))))
}

async fn creative_and_campaign(store: &Store, id: &str) -> Result<(Creative, Campaign), ApiError> {
    let creative = store
        .get_creative(id)
        .await
        .map_err(ApiError::store("this creative"))?;
    let campaign = store
        .get_campaign(&creative.campaign_id)
        .await
        .map_err(ApiError::store("its campaign"))?;
    Ok((creative, campaign))
}

#[utoipa::path(get, path = "/creatives/{id}", tag = "creatives",
    responses((status = 200, body = CreativeWithUrl), (status = 404, body = ErrorBody)))]
async fn get_creative(
    State(store): State<Store>,
    Path(id): Path<String>,
) -> Result<Json<CreativeWithUrl>, ApiError> {
    let (creative, campaign) = creative_and_campaign(&store, &id).await?;
    Ok(Json(with_url(creative, &campaign)))
}

/// An update: every field of the creative, and the `version` it was read at.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreativeUpdate {
    pub version: i64,
    #[serde(flatten)]
    pub draft: CreativeDraft,
}

#[utoipa::path(put, path = "/creatives/{id}", tag = "creatives", request_body = CreativeUpdate,
    responses((status = 200, body = CreativeWithUrl), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_creative(
    State(store): State<Store>,
    Path(id): Path<String>,
    JsonBody(update): JsonBody<CreativeUpdate>,
) -> Result<Json<CreativeWithUrl>, ApiError> {
    let (_, campaign) = creative_and_campaign(&store, &id).await?;
    let valid = update
        .draft
        .validate(&campaign)
        .map_err(ApiError::invalid)?;
    let creative = store
        .update_creative(&id, update.version, &valid)
        .await
        .map_err(ApiError::store("this creative"))?;
    Ok(Json(with_url(creative, &campaign)))
}

#[utoipa::path(delete, path = "/creatives/{id}", tag = "creatives", params(VersionQuery),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete_creative(
    State(store): State<Store>,
    Path(id): Path<String>,
    version: Result<Query<VersionQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<StatusCode, ApiError> {
    let version = version_param(version)?;
    store
        .delete_creative(&id, version)
        .await
        .map_err(ApiError::store("this creative"))?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------------------------------------
// Stateless: tag and lint
// ---------------------------------------------------------------------------------------------

/// The fields of `utmforge tag`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TagBody {
    pub url: String,
    pub campaign: String,
    /// cpc or cpm, any case.
    pub medium: String,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub term: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
}

#[utoipa::path(post, path = "/tag", tag = "tagging", request_body = TagBody,
    responses((status = 200, description = "As `utmforge tag --json`", body = TaggedUrl),
        (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn tag_url(JsonBody(body): JsonBody<TagBody>) -> Result<Json<TaggedUrl>, ApiError> {
    let medium = body.medium.parse::<BuyingModel>().map_err(|e| {
        ApiError::invalid(vec![Notice::new(
            Code::InvalidMedium,
            Field::Medium,
            e.to_string(),
        )])
    })?;
    tag(&TagRequest {
        url: body.url,
        campaign: body.campaign,
        medium,
        content: body.content,
        term: body.term,
        id: body.id,
    })
    .map(Json)
    .map_err(|e| ApiError::invalid(e.0))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LintBody {
    /// The URLs to check (at most 10,000).
    pub urls: Vec<String>,
}

#[utoipa::path(post, path = "/lint", tag = "tagging", request_body = LintBody,
    responses((status = 200, description = "One report per URL, as `utmforge lint --json`", body = Vec<LintReport>),
        (status = 400, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn lint_urls(JsonBody(body): JsonBody<LintBody>) -> Result<Json<Vec<LintReport>>, ApiError> {
    if body.urls.len() > MAX_LINT_URLS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-many-urls",
            format!("{} URLs: at most {MAX_LINT_URLS} per call", body.urls.len()),
        ));
    }
    Ok(Json(body.urls.iter().map(|u| lint(u)).collect()))
}

// ---------------------------------------------------------------------------------------------
// GA4
// ---------------------------------------------------------------------------------------------

#[utoipa::path(get, path = "/ga4/channel-group", tag = "ga4",
    responses((status = 200, description = "Admin API v1alpha ChannelGroup", body = Object)))]
async fn ga4_channel_group() -> Json<ga4::ChannelGroup> {
    Json(ga4::channel_group())
}

#[utoipa::path(get, path = "/campaigns/{id}/ga4/funnel", tag = "ga4",
    responses((status = 200, description = "Data API v1alpha runFunnelReport body", body = Object),
        (status = 404, body = ErrorBody)))]
async fn ga4_funnel(
    State(store): State<Store>,
    Path(id): Path<String>,
) -> Result<Json<ga4::FunnelReportRequest>, ApiError> {
    let c = store
        .get_campaign(&id)
        .await
        .map_err(ApiError::store("this campaign"))?;
    Ok(Json(ga4::campaign_funnel(&c.slug, c.conversion)))
}

#[utoipa::path(get, path = "/campaigns/{id}/ga4/report", tag = "ga4",
    responses((status = 200, description = "Data API v1beta runReport body", body = Object),
        (status = 404, body = ErrorBody)))]
async fn ga4_report(
    State(store): State<Store>,
    Path(id): Path<String>,
) -> Result<Json<ga4::ReportRequest>, ApiError> {
    let c = store
        .get_campaign(&id)
        .await
        .map_err(ApiError::store("this campaign"))?;
    Ok(Json(ga4::exploration_report(Some(&c.slug))))
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// `true`: only plan the import (the preview); nothing is saved.
    #[serde(default)]
    dry_run: bool,
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    pub dry_run: bool,
    #[serde(flatten)]
    pub plan: utmforge_core::import::ImportPlan,
}

#[utoipa::path(post, path = "/campaigns/{id}/import", tag = "creatives", params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "A CSV or tab-separated sheet with a header row: content (the variant name), term, url, headline, notes; campaign and medium, when filled, must be this campaign's; other columns are ignored and listed. At most 10 MiB."),
    responses((status = 200, body = ImportResult, description = "Every row with its action (create, update, unchanged, invalid) and its URL or errors. Valid rows are saved in one transaction; invalid rows never."),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "A creative changed since the preview: nothing was saved"),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_creatives(
    State(store): State<Store>,
    Path(id): Path<String>,
    Query(query): Query<ImportQuery>,
    body: Result<String, axum::extract::rejection::StringRejection>,
) -> Result<Json<ImportResult>, ApiError> {
    let text = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                format!("the sheet is over {} MiB: split it", CSV_LIMIT >> 20),
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "unreadable-body", e.body_text())
        }
    })?;
    let campaign = store
        .get_campaign(&id)
        .await
        .map_err(ApiError::store("this campaign"))?;
    let existing = store
        .list_creatives(&id)
        .await
        .map_err(ApiError::store("this campaign"))?;
    let plan = utmforge_core::import::plan_import(&text, &campaign, &existing)
        .map_err(|n| ApiError::invalid(vec![n]))?;
    if !query.dry_run {
        store
            .apply_import(&id, &plan)
            .await
            .map_err(ApiError::store("this campaign"))?;
    }
    Ok(Json(ImportResult {
        dry_run: query.dry_run,
        plan,
    }))
}

// ---------------------------------------------------------------------------------------------
// Exports
// ---------------------------------------------------------------------------------------------

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn csv_download(filename: &str, rows: impl IntoIterator<Item = Vec<String>>) -> Response {
    let mut writer = RecordWriter::new(Vec::new());
    let header = export::EXPORT_COLUMNS.map(String::from).to_vec();
    for row in std::iter::once(header).chain(rows) {
        for cell in &row {
            // Writing to memory cannot fail.
            let _ = writer.field(cell);
        }
        let _ = writer.end_record();
    }
    attachment(filename, "text/csv; charset=utf-8", writer.into_inner())
}

/// A file to download: its type, and `Content-Disposition: attachment` with its name.
pub fn attachment(filename: &str, content_type: &'static str, body: impl Into<Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}

#[utoipa::path(get, path = "/campaigns/{id}/export.csv", tag = "export",
    responses((status = 200, description = "One row per creative, formula cells neutralized", content_type = "text/csv", body = String),
        (status = 404, body = ErrorBody)))]
async fn export_campaign(
    State(store): State<Store>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let campaign = store
        .get_campaign(&id)
        .await
        .map_err(ApiError::store("this campaign"))?;
    let creatives = store
        .list_creatives(&id)
        .await
        .map_err(ApiError::store("this campaign"))?;
    Ok(csv_download(
        &export::campaign_filename(&campaign, now_ms()),
        export::campaign_rows(&campaign, &creatives),
    ))
}

#[utoipa::path(get, path = "/export.csv", tag = "export",
    responses((status = 200, description = "Every campaign's creatives in one file", content_type = "text/csv", body = String)))]
async fn export_all(State(store): State<Store>) -> Result<Response, ApiError> {
    let campaigns = store
        .list_campaigns(None)
        .await
        .map_err(ApiError::store("the list"))?;
    let mut rows = Vec::new();
    for summary in campaigns {
        let creatives = store
            .list_creatives(&summary.campaign.id)
            .await
            .map_err(ApiError::store("a campaign"))?;
        rows.extend(export::campaign_rows(&summary.campaign, &creatives));
    }
    Ok(csv_download(
        &export::all_campaigns_filename(now_ms()),
        rows,
    ))
}

// ---------------------------------------------------------------------------------------------
// OpenAPI
// ---------------------------------------------------------------------------------------------

#[derive(OpenApi)]
#[openapi(
    info(title = "utmforge API", version = "1", description = "Campaigns, creatives and their tagged URLs; stateless tagging and linting; GA4 documents; CSV exports. Errors are {\"error\": {\"code\", \"message\", \"field\"}}."),
    servers((url = "/api/v1")),
    paths(
        list_campaigns, create_campaign, get_campaign, update_campaign, delete_campaign,
        list_creatives, create_creative, get_creative, update_creative, delete_creative,
        import_creatives, tag_url, lint_urls, ga4_channel_group, ga4_funnel, ga4_report, export_campaign, export_all,
    ),
    components(schemas(ErrorBody, ErrorDetail, Notice, Code, Field))
)]
pub struct ApiDoc;

async fn openapi() -> Json<Value> {
    Json(
        serde_json::to_value(ApiDoc::openapi())
            .unwrap_or_else(|e| json!({ "error": e.to_string() })),
    )
}
