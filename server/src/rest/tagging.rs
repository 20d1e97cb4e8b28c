//! Stateless: tag one URL, lint many.

use super::{strict, ApiResult, Asker, ErrorBody, JsonObject};
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
async fn tag(Asker(ctx): Asker, JsonObject(body): JsonObject) -> ApiResult<Json<TaggedUrl>> {
    let body: TagBody = strict(
        body,
        &["url", "campaign", "medium", "content", "term", "id"],
        &["url", "campaign", "medium"],
    )?;
    Ok(Json(documents::tag(&ctx, body)?))
}

#[utoipa::path(post, path = "/lint", tag = "tagging", request_body = LintBody,
    responses((status = 200, description = "One report per URL, as `utmforge lint --json`", body = Vec<LintReport>),
        (status = 400, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn lint(Asker(ctx): Asker, JsonObject(body): JsonObject) -> ApiResult<Json<Vec<LintReport>>> {
    let body: LintBody = strict(body, &["urls"], &["urls"])?;
    Ok(Json(documents::audit(&ctx, body).await?))
}
