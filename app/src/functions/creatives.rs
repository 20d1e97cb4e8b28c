//! Server functions for creatives: the preview, create, update, delete, one creative and its
//! link history.

#[cfg(feature = "ssr")]
use crate::api::ssr;
use crate::api::{Answer, AppError, JsonAnswer};
use leptos::prelude::*;
use utmforge_core::views::{CreativeWithUrl, Preview};
use utmforge_core::CreativeDraft;
#[cfg(feature = "ssr")]
use utmforge_service::creatives;

#[server(output = JsonAnswer)]
pub async fn preview_creative(
    campaign_id: String,
    draft: CreativeDraft,
) -> Result<Preview, AppError> {
    ssr::answer(creatives::preview(&ssr::ctx()?, &campaign_id, draft).await)
}

/// Form fields `campaign_id` and `draft[variant]`, `draft[topic]`, …
#[server(output = JsonAnswer)]
pub async fn create_creative(
    campaign_id: String,
    draft: CreativeDraft,
) -> Result<CreativeWithUrl, AppError> {
    ssr::answer(creatives::create(&ssr::ctx()?, &campaign_id, draft).await)
}

#[server(output = JsonAnswer)]
pub async fn update_creative(
    id: String,
    version: i64,
    draft: CreativeDraft,
    #[server(default)] confirm_live_change: Option<String>,
) -> Result<CreativeWithUrl, AppError> {
    let confirmed = confirm_live_change.is_some();
    let saved = ssr::answer(creatives::update(&ssr::ctx()?, &id, version, draft, confirmed).await)?;
    leptos_axum::redirect(&format!("/campaigns/{}", saved.creative.campaign_id));
    Ok(saved)
}

#[server(output = JsonAnswer)]
pub async fn delete_creative(id: String, version: i64) -> Result<(), AppError> {
    ssr::answer(creatives::delete(&ssr::ctx()?, &id, version).await)
}

#[server(output = JsonAnswer)]
pub async fn get_creative(id: String) -> Result<Answer, AppError> {
    ssr::json::<CreativeWithUrl>(creatives::get(&ssr::ctx()?, &id).await)
}

/// Every URL a creative has carried, the current one first.
#[server(output = JsonAnswer)]
pub async fn get_creative_history(id: String) -> Result<Answer, AppError> {
    ssr::json::<Vec<utmforge_core::views::LinkPeriod>>(creatives::history(&ssr::ctx()?, &id).await)
}
