//! Server functions for the team's rules.

#[cfg(feature = "ssr")]
use crate::api::ssr;
use crate::api::{Answer, AppError, JsonAnswer};
use leptos::prelude::*;

/// The team's rules, for the Settings page.
#[server(output = JsonAnswer)]
pub async fn get_settings() -> Result<Answer, AppError> {
    ssr::json::<utmforge_core::rules::StoredRules>(
        utmforge_service::settings::get(&ssr::ctx()?).await,
    )
}

/// Saves the Settings form (admins).
#[server(output = JsonAnswer)]
pub async fn save_settings(
    version: i64,
    domains: String,
    domain_mode: String,
    topics: String,
    topic_mode: String,
    #[server(default)] utm_id: Option<String>,
    #[server(default)] confirm_live_change: Option<String>,
) -> Result<utmforge_core::rules::StoredRules, AppError> {
    let form = utmforge_core::views::SettingsForm {
        domains,
        domain_mode,
        topics,
        topic_mode,
        utm_id: utm_id.is_some(),
        confirm_live_change: confirm_live_change.is_some(),
    };
    ssr::answer(utmforge_service::settings::update_from_form(&ssr::ctx()?, version, &form).await)
}
