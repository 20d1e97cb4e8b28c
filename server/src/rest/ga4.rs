//! GA4 documents: the channel group, and each campaign's funnel and report. The pages'
//! `.json` downloads are these same routes with `?download=true`. And the cost data file GA4's
//! Data Import takes, from the ChatGPT ads results kept.

use super::{attachment, ApiQuery, ApiResult, Asker, ErrorBody};
use axum::{
    extract::Path,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use serde::Deserialize;
use utmforge_core::ga4::Artifact;
use utmforge_service::{ads_results, documents, Ctx};

pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/ga4/channel-group", get(channel_group))
        .route("/campaigns/{id}/ga4/funnel", get(funnel))
        .route("/campaigns/{id}/ga4/report", get(report))
        .route("/ga4/cost-data.csv", get(cost_data))
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CostDataQuery {
    /// The first day, `YYYY-MM-DD` (default: 29 days before `to`).
    from: Option<String>,
    /// The last day, `YYYY-MM-DD`, inclusive (default: today, UTC). At most 400 days in all.
    to: Option<String>,
}

#[utoipa::path(get, path = "/ga4/cost-data.csv", tag = "ga4", params(CostDataQuery),
    responses((status = 200, description = "GA4 Data Import, data source type Cost data: header `campaign_id,campaign_name,source,medium,date,impressions,clicks,cost`, one row per campaign (`utm_id`), source, medium and day (the ad account's day, YYYY-MM-DD), summed from the ChatGPT ads results kept; cost in the ad account's currency, major units; a day whose spend is not known yet is left out", content_type = "text/csv", body = String),
        (status = 422, description = "A day is not YYYY-MM-DD, from is after to, more than 400 days (`field`: date); or links do not carry utm_id (`field`: id)", body = ErrorBody)))]
async fn cost_data(Asker(ctx): Asker, ApiQuery(q): ApiQuery<CostDataQuery>) -> ApiResult<Response> {
    Ok(attachment(
        ads_results::cost_data(&ctx, q.from.as_deref(), q.to.as_deref()).await?,
    ))
}
