//! Stateless: tag one URL, lint many.

use super::{ApiResult, Asker, Body, ErrorBody};
use axum::{routing::post, Json, Router};
use utmforge_core::views::{LintBody, TagBody};
use utmforge_core::{LintReport, TaggedUrl};
use utmforge_service::{documents, Ctx};

pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/tag", post(tag))
        .route("/lint", post(lint))
}

#[utoipa::path(post, path = "/tag", tag = "tagging", request_body = TagBody,
    responses((status = 200, description = "As `utmforge tag --json`", body = TaggedUrl),
        (status = 400, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn tag(Asker(ctx): Asker, Body(body): Body<TagBody>) -> ApiResult<Json<TaggedUrl>> {
    Ok(Json(documents::tag(&ctx, body)?))
}

#[utoipa::path(post, path = "/lint", tag = "tagging", request_body = LintBody,
    responses((status = 200, description = "One report per URL, as `utmforge lint --json`", body = Vec<LintReport>),
        (status = 400, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn lint(Asker(ctx): Asker, Body(body): Body<LintBody>) -> ApiResult<Json<Vec<LintReport>>> {
    Ok(Json(documents::audit(&ctx, body).await?))
}
