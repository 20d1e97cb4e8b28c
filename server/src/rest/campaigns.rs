//! `/campaigns`: list, create, read, replace, change, delete; the campaign's export.

use super::{
    attachment, strict, versioned, ApiQuery, ApiResult, Asker, ErrorBody, JsonObject, VersionQuery,
    Versioned,
};
use axum::{extract::Path, http::StatusCode, response::Response, routing::get, Json, Router};
use serde::Deserialize;
use utmforge_core::views::{CampaignPatch, CampaignRow};
use utmforge_core::{Campaign, CampaignDraft};
use utmforge_service::{campaigns, documents, Ctx};

pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/campaigns", get(list).post(create))
        .route(
            "/campaigns/{id}",
            get(read).put(replace).patch(change).delete(delete),
        )
        .route("/campaigns/{id}/export.csv", get(export))
        .route("/export.csv", get(export_all))
}

/// The members of a campaign body.
pub const FIELDS: [&str; 8] = [
    "name",
    "slug",
    "buying_model",
    "topic",
    "landing_url",
    "conversion",
    "status",
    "notes",
];

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only campaigns with this status.
    #[param(inline, value_type = Option<utmforge_core::CampaignStatus>)]
    status: Option<String>,
    /// `true`: only campaigns whose links have problems (a URL that cannot be built, warnings,
    /// a broken link check); each row's `problems` counts them.
    #[serde(default)]
    problems: bool,
}

#[utoipa::path(get, path = "/campaigns", tag = "campaigns", params(ListQuery),
    responses((status = 200, body = Vec<CampaignRow>), (status = 422, body = ErrorBody)))]
async fn list(
    Asker(ctx): Asker,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<CampaignRow>>> {
    Ok(Json(
        campaigns::list(&ctx, q.status.as_deref(), q.problems).await?,
    ))
}

#[utoipa::path(post, path = "/campaigns", tag = "campaigns", request_body = crate::rest::openapi::NewCampaign,
    responses((status = 201, body = Campaign), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    Asker(ctx): Asker,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<Campaign>)> {
    let draft: CampaignDraft = strict(body, &FIELDS, &[])?;
    Ok((
        StatusCode::CREATED,
        Json(campaigns::create(&ctx, draft).await?),
    ))
}

#[utoipa::path(get, path = "/campaigns/{id}", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, body = Campaign), (status = 404, body = ErrorBody)))]
async fn read(Asker(ctx): Asker, Path(id): Path<String>) -> ApiResult<Json<Campaign>> {
    Ok(Json(campaigns::get(&ctx, &id).await?))
}

/// Replaces the whole campaign: every field is required (use PATCH to change some).
#[utoipa::path(put, path = "/campaigns/{id}", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id")),
    request_body = crate::rest::openapi::CampaignReplace,
    responses((status = 200, body = Campaign), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn replace(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Campaign>> {
    let r: Versioned<CampaignDraft> = versioned(body, &FIELDS, true)?;
    Ok(Json(
        campaigns::update(&ctx, &id, r.version, r.body, r.confirm_live_change).await?,
    ))
}

/// Changes the fields given; the others keep their values.
#[utoipa::path(patch, path = "/campaigns/{id}", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id")),
    request_body = crate::rest::openapi::CampaignChange,
    responses((status = 200, body = Campaign), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Campaign>> {
    let c: Versioned<CampaignPatch> = versioned(body, &FIELDS, false)?;
    Ok(Json(
        campaigns::patch(&ctx, &id, c.version, c.body, c.confirm_live_change).await?,
    ))
}

/// Deletes the campaign and its creatives, if it is still at `version`.
#[utoipa::path(delete, path = "/campaigns/{id}", tag = "campaigns",
    params(("id" = String, Path, description = "The campaign's id"), VersionQuery),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn delete(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    ApiQuery(v): ApiQuery<VersionQuery>,
) -> ApiResult<StatusCode> {
    campaigns::delete(&ctx, &id, v.required()?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/campaigns/{id}/export.csv", tag = "export",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, description = "One row per creative, formula cells neutralized", content_type = "text/csv", body = String),
        (status = 404, body = ErrorBody)))]
async fn export(Asker(ctx): Asker, Path(id): Path<String>) -> ApiResult<Response> {
    Ok(attachment(documents::export_campaign(&ctx, &id).await?))
}

#[utoipa::path(get, path = "/export.csv", tag = "export",
    responses((status = 200, description = "Every campaign's creatives in one file", content_type = "text/csv", body = String)))]
async fn export_all(Asker(ctx): Asker) -> ApiResult<Response> {
    Ok(attachment(documents::export_all(&ctx).await?))
}
