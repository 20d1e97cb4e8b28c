//! Creatives: a campaign's list, create and import; one creative's read, replace, change,
//! delete.

use super::{
    ApiQuery, ApiResult, Body, Change, ErrorBody, Replace, Resource, VersionQuery, CSV_LIMIT,
};
use crate::rest::{body_error, require_content_type, ApiError, Asker};
use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, FromRequest, Path, Request},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use utmforge_core::views::{BulkChange, BulkPlan, CreativePatch, CreativeWithUrl, ImportOutcome};
use utmforge_core::CreativeDraft;
use utmforge_service::{creatives, import, Ctx, Error, ErrorKind};

pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/campaigns/{id}/creatives", get(list).post(create))
        .route(
            "/creatives/{id}",
            get(read).put(replace).patch(change).delete(delete),
        )
        .route("/campaigns/{id}/creatives/bulk", post(bulk))
        .route(
            "/campaigns/{id}/import",
            post(import_sheet).layer(DefaultBodyLimit::max(CSV_LIMIT)),
        )
}

/// A creative: POST takes a draft, GET answers it with its URL, PUT and PATCH are derived.
pub struct Creatives;

impl Resource for Creatives {
    const NAME: &'static str = "Creative";
    type Repr = CreativeWithUrl;
    type Draft = CreativeDraft;
    type Patch = CreativePatch;
}

/// PUT's body (its schema is derived: see `body`).
pub type CreativeReplace = Replace<Creatives>;
/// PATCH's body.
pub type CreativeChange = Change<Creatives>;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Only creatives whose variant name, topic or URL contains this (case ignored).
    q: Option<String>,
}

#[utoipa::path(get, path = "/campaigns/{id}/creatives", tag = "creatives",
    params(("id" = String, Path, description = "The campaign's id"), SearchQuery),
    responses((status = 200, body = Vec<CreativeWithUrl>), (status = 404, body = ErrorBody)))]
async fn list(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> ApiResult<Json<Vec<CreativeWithUrl>>> {
    Ok(Json(creatives::list(&ctx, &id, query.q.as_deref()).await?))
}

/// Which creatives, what to set (or delete), and, to apply it, the campaign `version` of the
/// preview.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkBody {
    /// The creatives' ids (or give `search`).
    ids: Option<Vec<String>>,
    /// Every creative this search finds (variant, topic, URL) instead of `ids`.
    search: Option<String>,
    /// The topic to set; empty: the campaign's.
    topic: Option<String>,
    /// The landing URL to set; empty: the campaign's.
    landing_url: Option<String>,
    /// `true`: move them to the trash.
    delete: Option<bool>,
    /// Absent: a preview (nothing saved). The preview's `version`: apply exactly that.
    version: Option<i64>,
    /// Confirms changing live URLs of an active campaign (else 409 `live-link-change`).
    confirm_live_change: Option<bool>,
}

impl BulkBody {
    /// The change, the version it applies at (none: a preview), and the confirmation.
    fn into_parts(self) -> (BulkChange, Option<i64>, bool) {
        (
            BulkChange {
                ids: self.ids.unwrap_or_default(),
                search: self.search,
                topic: self.topic,
                landing_url: self.landing_url,
                delete: self.delete.unwrap_or(false),
            },
            self.version,
            self.confirm_live_change.unwrap_or(false),
        )
    }
}

#[utoipa::path(post, path = "/campaigns/{id}/creatives/bulk", tag = "creatives",
    params(("id" = String, Path, description = "The campaign's id")), request_body = BulkBody,
    responses((status = 200, description = "Every creative touched with its URL before and after; `applied` false for a preview", body = BulkPlan),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Changed since the preview (`stale`), or live links change unconfirmed (`live-link-change`)", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, description = "Nothing chosen or nothing to change, or a creative the change would break (named)", body = ErrorBody)))]
async fn bulk(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    Body(body): Body<BulkBody>,
) -> ApiResult<Json<BulkPlan>> {
    let (change, version, confirm_live_change) = body.into_parts();
    Ok(Json(
        creatives::bulk(&ctx, &id, &change, version, confirm_live_change).await?,
    ))
}

#[utoipa::path(post, path = "/campaigns/{id}/creatives", tag = "creatives",
    params(("id" = String, Path, description = "The campaign's id")),
    request_body = CreativeDraft,
    responses((status = 201, body = CreativeWithUrl), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    Body(draft): Body<CreativeDraft>,
) -> ApiResult<(StatusCode, Json<CreativeWithUrl>)> {
    Ok((
        StatusCode::CREATED,
        Json(creatives::create(&ctx, &id, draft).await?),
    ))
}

#[utoipa::path(get, path = "/creatives/{id}", tag = "creatives",
    params(("id" = String, Path, description = "The creative's id")),
    responses((status = 200, body = CreativeWithUrl), (status = 404, body = ErrorBody)))]
async fn read(Asker(ctx): Asker, Path(id): Path<String>) -> ApiResult<Json<CreativeWithUrl>> {
    Ok(Json(creatives::get(&ctx, &id).await?))
}

/// Replaces the whole creative: every field is required (use PATCH to change some).
#[utoipa::path(put, path = "/creatives/{id}", tag = "creatives",
    params(("id" = String, Path, description = "The creative's id")),
    request_body = CreativeReplace,
    responses((status = 200, body = CreativeWithUrl), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn replace(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    Body(Replace(r, _)): Body<Replace<Creatives>>,
) -> ApiResult<Json<CreativeWithUrl>> {
    Ok(Json(
        creatives::update(&ctx, &id, r.version, r.body, r.confirm_live_change).await?,
    ))
}

/// Changes the fields given; the others keep their values.
#[utoipa::path(patch, path = "/creatives/{id}", tag = "creatives",
    params(("id" = String, Path, description = "The creative's id")),
    request_body = CreativeChange,
    responses((status = 200, body = CreativeWithUrl), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    Body(Change(c, _)): Body<Change<Creatives>>,
) -> ApiResult<Json<CreativeWithUrl>> {
    Ok(Json(
        creatives::patch(&ctx, &id, c.version, c.body, c.confirm_live_change).await?,
    ))
}

#[utoipa::path(delete, path = "/creatives/{id}", tag = "creatives",
    params(("id" = String, Path, description = "The creative's id"), VersionQuery),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn delete(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    ApiQuery(v): ApiQuery<VersionQuery>,
) -> ApiResult<StatusCode> {
    creatives::delete(&ctx, &id, v.required()?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true`: only plan the import (the preview); nothing is saved.
    #[serde(default)]
    dry_run: bool,
    /// The `token` of a dry run: the import is refused (409) if the campaign or any of its
    /// creatives changed since.
    token: Option<String>,
    /// `true`: confirms that the import may change live URLs of an active campaign (else 409
    /// `live-link-change` listing them; a dry run's `live_changes` says how many).
    #[serde(default)]
    confirm_live_change: bool,
}

#[utoipa::path(post, path = "/campaigns/{id}/import", tag = "creatives",
    params(("id" = String, Path, description = "The campaign's id"), ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "A CSV or tab-separated sheet with a header row: content (the variant name), term, url, headline, notes; campaign and medium, when filled, must be this campaign's; other columns are ignored and listed. A column the sheet lacks keeps each updated creative's value. At most 10 MiB, 5,000 rows, 64 columns."),
    responses((status = 200, body = ImportOutcome, description = "Every row with its action (create, update, unchanged, invalid), its URL or errors, and for updates the fields that change. Valid rows are saved in one transaction; invalid rows never."),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The campaign or a creative changed since the dry run (token), or a variant was created meanwhile: nothing was saved"),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_sheet(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<ImportQuery>,
    request: Request,
) -> ApiResult<Json<ImportOutcome>> {
    require_content_type(
        request.headers(),
        &["text/csv", "text/tab-separated-values"],
    )?;
    let bytes = Bytes::from_request(request, &())
        .await
        .map_err(|e| body_error(e, CSV_LIMIT))?;
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
        ApiError(Error::new(
            ErrorKind::Malformed,
            "unreadable-body",
            "the sheet is not UTF-8 text: save it as CSV UTF-8",
        ))
    })?;
    Ok(Json(if query.dry_run {
        import::plan(&ctx, &id, text).await?
    } else {
        import::apply(
            &ctx,
            &id,
            text,
            query.token.as_deref(),
            query.confirm_live_change,
        )
        .await?
    }))
}
