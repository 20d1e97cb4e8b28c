//! Link checks: start one (a campaign's creatives, or up to 100 URLs) and poll it. A check
//! runs in the background: the start answers 202 with the run and its `Location`; `GET
//! /checks/{id}?from=N` answers the results from the N-th to arrive on.

use super::{ApiQuery, ApiResult, Asker, Body, ErrorBody};
use axum::{
    extract::Path,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use utmforge_core::linkcheck::{CheckRun, LinkStatus};
use utmforge_core::views::CheckBody;
use utmforge_service::{checks, Ctx};

pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/check", post(check_urls))
        .route("/checks/{id}", get(read))
        .route(
            "/campaigns/{id}/check",
            post(check_campaign).get(campaign_statuses),
        )
}

/// 202 with the run and where to poll it.
fn started(run: CheckRun) -> Response {
    let location = format!("/api/v1/checks/{}", run.id);
    (
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(run),
    )
        .into_response()
}

/// Starts following each URL like a browser (editors and above). Poll the `Location`.
#[utoipa::path(post, path = "/check", tag = "link check", request_body = CheckBody,
    responses((status = 202, description = "Started: poll `GET /checks/{id}` (the Location header)", body = CheckRun),
        (status = 400, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, description = "Too many checks running (`too-many-checks`): see Retry-After", body = ErrorBody)))]
async fn check_urls(Asker(ctx): Asker, Body(body): Body<CheckBody>) -> ApiResult<Response> {
    Ok(started(checks::start_url_check(&ctx, body.urls).await?))
}

/// Starts checking every creative of the campaign (editors and above); while one is running,
/// answers that one. The results also become each creative's latest status.
#[utoipa::path(post, path = "/campaigns/{id}/check", tag = "link check",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 202, description = "Started (or already running): poll `GET /checks/{id}`", body = CheckRun),
        (status = 404, body = ErrorBody),
        (status = 429, description = "Too many checks running (`too-many-checks`): see Retry-After", body = ErrorBody)))]
async fn check_campaign(Asker(ctx): Asker, Path(id): Path<String>) -> ApiResult<Response> {
    Ok(started(checks::start_campaign_check(&ctx, &id).await?))
}

/// Each checked creative's latest status (with when its link broke, if it is broken).
#[utoipa::path(get, path = "/campaigns/{id}/check", tag = "link check",
    params(("id" = String, Path, description = "The campaign's id")),
    responses((status = 200, body = Vec<LinkStatus>), (status = 404, body = ErrorBody)))]
async fn campaign_statuses(
    Asker(ctx): Asker,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<LinkStatus>>> {
    Ok(Json(checks::campaign_statuses(&ctx, &id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunQuery {
    /// Only the results from this one on (`seq`), to poll for what is new; default 0.
    #[param(minimum = 0)]
    from: Option<i64>,
}

/// A check as it stands: `state` (running, done, interrupted), `done` of `total`, results.
#[utoipa::path(get, path = "/checks/{id}", tag = "link check",
    params(("id" = String, Path, description = "The check's id"), RunQuery),
    responses((status = 200, body = CheckRun), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn read(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<RunQuery>,
) -> ApiResult<Json<CheckRun>> {
    Ok(Json(
        checks::check_run(&ctx, &id, q.from.unwrap_or(0)).await?,
    ))
}
