//! The activity log, read-only: `GET /activity` with filters. Nothing edits or deletes it.

use super::{ApiQuery, ApiResult, Asker, ErrorBody};
use axum::{routing::get, Json, Router};
use serde::Deserialize;
use utmforge_core::activity::Entry;
use utmforge_service::{activity, Ctx};

pub fn router() -> Router<Ctx> {
    Router::new().route("/activity", get(list))
}

/// Every filter given must match; newest first.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActivityQuery {
    /// One campaign's history (any signed-in role); without it, the whole log (admins).
    campaign_id: Option<String>,
    /// Only what this user did.
    actor_id: Option<String>,
    /// Only this kind of change, e.g. `creative-changed`.
    action: Option<String>,
    /// Only entries at or after this time (Unix milliseconds).
    since: Option<i64>,
    /// The next page: entries older than this entry id.
    before_id: Option<i64>,
    /// How many (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/activity", tag = "activity", params(ActivityQuery),
    responses((status = 200, body = Vec<Entry>, description = "Entries, newest first: who, when, what, and each field before → after"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    Asker(ctx): Asker,
    ApiQuery(q): ApiQuery<ActivityQuery>,
) -> ApiResult<Json<Vec<Entry>>> {
    let query = activity::Query {
        campaign_id: q.campaign_id,
        actor_id: q.actor_id,
        action: q.action,
        since: q.since,
        before_id: q.before_id,
        limit: q.limit,
    };
    Ok(Json(activity::list(&ctx, query).await?))
}
