//! Workspace settings: the team's rules (approved landing domains, topic vocabulary).

use super::{ApiResult, Asker, Body, ErrorBody};
use axum::{routing::get, Json, Router};
use utmforge_core::rules::StoredRules;
use utmforge_core::views::SettingsBody;
use utmforge_service::{settings, Ctx};

pub fn router() -> Router<Ctx> {
    Router::new().route("/settings", get(read).put(replace))
}

#[utoipa::path(get, path = "/settings", tag = "settings",
    responses((status = 200, description = "The team's rules and their version", body = StoredRules)))]
async fn read(Asker(ctx): Asker) -> ApiResult<Json<StoredRules>> {
    Ok(Json(settings::get(&ctx).await?))
}

#[utoipa::path(put, path = "/settings", tag = "settings", request_body = SettingsBody,
    responses((status = 200, description = "The rules as saved (domains in ASCII, topics as slugs), with the new version", body = StoredRules),
        (status = 400, body = ErrorBody), (status = 409, description = "Changed since `version` was read (`stale`), or switching `utm_id` would change live links of active campaigns without `confirm_live_change` (`live-link-change`, listing them)", body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn replace(
    Asker(ctx): Asker,
    Body(body): Body<SettingsBody>,
) -> ApiResult<Json<StoredRules>> {
    Ok(Json(
        settings::update(
            &ctx,
            body.version,
            body.rules,
            body.confirm_live_change.unwrap_or(false),
        )
        .await?,
    ))
}
