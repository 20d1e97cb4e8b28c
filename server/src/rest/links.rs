//! Link history: the URLs one creative has carried; every URL live on a day (JSON or CSV).

use super::{attachment, ApiQuery, ApiResult, Asker, ErrorBody};
use axum::{extract::Path, response::Response, routing::get, Json, Router};
use serde::Deserialize;
use utmforge_core::views::LinkPeriod;
use utmforge_service::{creatives, links, Ctx};

pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/creatives/{id}/history", get(history))
        .route("/link-history", get(live_on))
        .route("/link-history.csv", get(live_on_csv))
}

#[utoipa::path(get, path = "/creatives/{id}/history", tag = "creatives",
    params(("id" = String, Path, description = "The creative's id")),
    responses((status = 200, description = "Every URL the creative has carried, the current one (no `to`) first", body = Vec<LinkPeriod>),
        (status = 404, body = ErrorBody)))]
async fn history(Asker(ctx): Asker, Path(id): Path<String>) -> ApiResult<Json<Vec<LinkPeriod>>> {
    Ok(Json(creatives::history(&ctx, &id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// A UTC day, `YYYY-MM-DD`.
    #[param(required = true, value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    date: Option<String>,
}

impl DayQuery {
    fn day(&self) -> &str {
        self.date.as_deref().unwrap_or_default()
    }
}

#[utoipa::path(get, path = "/link-history", tag = "export", params(DayQuery),
    responses((status = 200, description = "Every URL that was live at some moment of the day (UTC), by campaign, variant and time; a creative changed that day has one per URL it carried", body = Vec<LinkPeriod>),
        (status = 422, description = "`date` is not a day (`invalid-date`)", body = ErrorBody)))]
async fn live_on(
    Asker(ctx): Asker,
    ApiQuery(query): ApiQuery<DayQuery>,
) -> ApiResult<Json<Vec<LinkPeriod>>> {
    Ok(Json(links::live_on(&ctx, query.day()).await?))
}

#[utoipa::path(get, path = "/link-history.csv", tag = "export", params(DayQuery),
    responses((status = 200, description = "The same as CSV: campaign, variant, url, live_from, live_to (empty: still live), creative_id, campaign_id", content_type = "text/csv", body = String),
        (status = 422, description = "`date` is not a day (`invalid-date`)", body = ErrorBody)))]
async fn live_on_csv(
    Asker(ctx): Asker,
    ApiQuery(query): ApiQuery<DayQuery>,
) -> ApiResult<Response> {
    Ok(attachment(links::live_on_csv(&ctx, query.day()).await?))
}
