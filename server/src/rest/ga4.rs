//! GA4 documents: the channel group, and each campaign's funnel and report. The pages'
//! `.json` downloads are these same routes with `?download=true`.

use super::{attachment, ApiQuery, ApiResult, Asker, ErrorBody};
use axum::{
    extract::Path,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use serde::Deserialize;
use utmforge_core::ga4::Artifact;
use utmforge_service::{documents, Ctx};

pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/ga4/channel-group", get(channel_group))
        .route("/campaigns/{id}/ga4/funnel", get(funnel))
        .route("/campaigns/{id}/ga4/report", get(report))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadQuery {
    /// `true`: answer as a file to save (`Content-Disposition: attachment`), named after the
    /// campaign.
    #[serde(default)]
    download: bool,
}

fn answer(artifact: Artifact, download: bool) -> Response {
    if download {
        attachment(artifact.into())
    } else {
        (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            artifact.json,
        )
            .into_response()
    }
}

#[utoipa::path(get, path = "/ga4/channel-group", tag = "ga4", params(DownloadQuery),
    responses((status = 200, description = "Admin API v1alpha ChannelGroup", body = Object),
        (status = 422, body = ErrorBody)))]
async fn channel_group(
    Asker(ctx): Asker,
    ApiQuery(q): ApiQuery<DownloadQuery>,
) -> ApiResult<Response> {
    Ok(answer(documents::channel_group(&ctx)?, q.download))
}

#[utoipa::path(get, path = "/campaigns/{id}/ga4/funnel", tag = "ga4",
    params(("id" = String, Path, description = "The campaign's id"), DownloadQuery),
    responses((status = 200, description = "Data API v1alpha runFunnelReport body", body = Object),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn funnel(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DownloadQuery>,
) -> ApiResult<Response> {
    Ok(answer(
        documents::campaign_document(&ctx, &id, "funnel").await?,
        q.download,
    ))
}

#[utoipa::path(get, path = "/campaigns/{id}/ga4/report", tag = "ga4",
    params(("id" = String, Path, description = "The campaign's id"), DownloadQuery),
    responses((status = 200, description = "Data API v1beta runReport body", body = Object),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn report(
    Asker(ctx): Asker,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DownloadQuery>,
) -> ApiResult<Response> {
    Ok(answer(
        documents::campaign_document(&ctx, &id, "report").await?,
        q.download,
    ))
}
