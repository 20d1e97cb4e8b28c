//! The measurement kit: the Tracking page's snippets as JSON, and the validation of a
//! Conversions API batch.

use super::{ApiQuery, ApiResult, Asker, Body, ErrorBody};
use axum::{
    routing::{get, post},
    Json, Router,
};
use utmforge_core::measure::capi::Validation;
use utmforge_core::measure::TrackingKit;
use utmforge_core::views::{CapiValidateBody, TrackingQuery};
use utmforge_service::{measure, Ctx};

pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/tracking", get(tracking))
        .route("/capi/validate", post(validate))
}

#[utoipa::path(get, path = "/tracking", tag = "measurement", params(TrackingQuery),
    responses((status = 200, description = "The pixel, event, first-touch and survey snippets for HTML, Shopify, WordPress and Next.js, and the GA4 custom dimensions and reports", body = Object),
        (status = 422, body = ErrorBody)))]
async fn tracking(
    Asker(ctx): Asker,
    ApiQuery(q): ApiQuery<TrackingQuery>,
) -> ApiResult<Json<TrackingKit>> {
    Ok(Json(measure::tracking(&ctx, &q).await?))
}

#[utoipa::path(post, path = "/capi/validate", tag = "measurement", request_body = CapiValidateBody,
    responses((status = 200, description = "Each event valid or not, with every problem's code and field; nothing is sent", body = Validation),
        (status = 400, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn validate(
    Asker(ctx): Asker,
    Body(body): Body<CapiValidateBody>,
) -> ApiResult<Json<Validation>> {
    Ok(Json(measure::validate_capi(&ctx, &body.events)?))
}
